#include <vt/detail/manual_task_state.hpp>
#include <vt/detail/task_state.hpp>

namespace vt::detail {

namespace {
struct reclaim_queue {
  bool active = false;
  task_state_base* head = nullptr;
  task_state_base* tail = nullptr;
};
thread_local reclaim_queue t_reclaim;
}  // namespace

void reclaim(task_state_base* state) noexcept {
  reclaim_queue& queue = t_reclaim;
  if (queue.active) {
    // Inside another state's destruction: defer, so teardown of a long chain is a loop.
    state->next_reclaim_ = nullptr;
    if (queue.tail != nullptr) {
      queue.tail->next_reclaim_ = state;
    } else {
      queue.head = state;
    }
    queue.tail = state;
    return;
  }
  queue.active = true;
  state->destroy();
  while (queue.head != nullptr) {
    task_state_base* next = queue.head;
    queue.head = next->next_reclaim_;
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
