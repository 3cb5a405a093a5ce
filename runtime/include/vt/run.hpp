#pragma once
// vt::run(f): runs a callable on an executor (the default one unless given) and returns
// a task of its result or exception (.NET Task.Run, for CPU-bound work).
#include <exception>
#include <type_traits>
#include <utility>

#include <vt/detail/manual_task_state.hpp>
#include <vt/executor.hpp>
#include <vt/task.hpp>

namespace vt {

namespace detail {

template <class F, class R>
class run_state final : public manual_task_state<R> {
public:
  explicit run_state(F function) : function_(std::move(function)) {}

  static void execute(void* self) {
    auto* state = static_cast<run_state*>(self);
    state->complete_with_result_of(state->function_);
    state->release();  // the posted item's reference
  }

private:
  F function_;
};

}  // namespace detail

template <class F>
auto run(executor& ex, F&& function) -> task<std::invoke_result_t<std::decay_t<F>&>> {
  using result_type = std::invoke_result_t<std::decay_t<F>&>;
  auto* state = new detail::run_state<std::decay_t<F>, result_type>(std::forward<F>(function));
  task<result_type> result = task<result_type>::adopt(state);  // frees the state if post throws
  state->add_ref();  // held by the posted item
  try {
    ex.post(&detail::run_state<std::decay_t<F>, result_type>::execute, state);
  } catch (...) {
    state->release();  // never posted: the item's reference goes, the task's with `result`
    throw;
  }
  return result;
}

template <class F>
auto run(F&& function) {
  return run(default_executor(), std::forward<F>(function));
}

}  // namespace vt
