#include <vt/detail/manual_task_state.hpp>
#include <vt/detail/task_state.hpp>

namespace vt::detail {

void queue_reclaim(task_state_base* state) noexcept {
  reclaim_queue& queue = t_reclaim_queue;
  state->set_next_reclaim(nullptr);
  if (queue.tail != nullptr) {
    queue.tail->set_next_reclaim(state);
  } else {
    queue.head = state;
  }
  queue.tail = state;
}

void drain_reclaim_queue() noexcept {
  reclaim_queue& queue = t_reclaim_queue;
  while (queue.head != nullptr) {
    task_state_base* next = queue.head;
    queue.head = next->next_reclaim();
    if (queue.head == nullptr) queue.tail = nullptr;
    next->destroy();  // may queue more behind it
  }
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
