#include <vt/delay.hpp>
#include <vt/detail/manual_task_state.hpp>
#include <vt/manual_scheduler.hpp>
#include <vt/thread_pool.hpp>

namespace vt {

namespace {
void complete_delay(void* state) {
  auto* delay_state = static_cast<detail::manual_task_state<void>*>(state);
  delay_state->complete_value();
  delay_state->release();  // the timer's reference
}
}  // namespace

task<void> delay(std::chrono::nanoseconds duration) {
  auto* state = detail::manual_task_state<void>::create();
  state->add_ref();  // held by the timer
  if (auto* scheduler = dynamic_cast<manual_scheduler*>(current_executor())) {
    scheduler->post_at(scheduler->now() + duration, &complete_delay, state);
  } else {
    default_thread_pool().post_after(duration, &complete_delay, state);
  }
  return task<void>::adopt(state);
}

}  // namespace vt
