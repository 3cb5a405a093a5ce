#include <vt/detail/manual_task_state.hpp>
#include <vt/detail/task_state.hpp>

namespace vt::detail {

// Inside another state's destruction: queue `state` (null: none), so that teardown of a
// long chain is a loop; outside one, destroy what is queued, first queued first.
void reclaim_deferred(task_state_base* state) noexcept {
  reclaim_queue& queue = t_reclaim_queue;
  if (state != nullptr) {
    state->set_next_reclaim(nullptr);
    if (queue.tail != nullptr) {
      queue.tail->set_next_reclaim(state);
    } else {
      queue.head = state;
    }
    queue.tail = state;
  }
  if (queue.active) return;
  queue.active = true;
  while (queue.head != nullptr) {
    task_state_base* next = queue.head;
    queue.head = next->next_reclaim();
    if (queue.head == nullptr) queue.tail = nullptr;
    next->destroy();
  }
  queue.active = false;
}

namespace {
class completed_void_state final : public manual_task_state<void> {
public:
  completed_void_state() noexcept {
    make_immortal();
    complete_value();
  }
};
}  // namespace

task_state<void>* completed_task_state() noexcept {
  // Never destroyed: a task made during static teardown may still hold it.
  static completed_void_state* const state = new completed_void_state();
  return state;
}

}  // namespace vt::detail
