#include <vt/when_any.hpp>
#include <vt/detail/thread_reach.hpp>

namespace vt::detail {

when_any_state::when_any_state(std::vector<task_state_base*> inputs)
    : inputs_(std::move(inputs)), registrations_(inputs_.size()) {
  for (task_state_base* input : inputs_) input->add_ref();
}

when_any_state::~when_any_state() {
  for (task_state_base* input : inputs_) input->release();
}

void when_any_state::start() {
  // Each registration holds a reference: a loser may complete long after the winner.
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    registration& r = registrations_[i];
    r.owner = this;
    r.index = i;
    r.node.fn = &on_input_completed;
    r.node.state = &r;
    add_ref();
    if (!inputs_[i]->try_add_waiter(r.node)) on_input_completed(&r);
  }
}

void when_any_state::on_input_completed(void* registration_address) {
  auto& r = *static_cast<registration*>(registration_address);
  when_any_state* owner = r.owner;
  note_crossing(crossing::when_any_decision);
  if (!owner->decided_.exchange(true, std::memory_order_acq_rel)) owner->complete_value(r.index);
  owner->release();
}

}  // namespace vt::detail
