#pragma once
// The promise of a task coroutine: it is the task's shared state. Two references at
// start (the returned task and the running body); the body's is dropped at final suspend.
#include <coroutine>
#include <exception>

#include <vt/detail/promise_return.hpp>
#include <vt/detail/task_state.hpp>
#include <vt/task.hpp>

namespace vt::detail {

template <class T>
class task_promise final : public task_state<T>, public promise_return<task_promise<T>, T> {
public:
  task_promise() noexcept : task_state<T>(2) {}

  task<T> get_return_object() noexcept { return task<T>::adopt(this); }
  std::suspend_never initial_suspend() const noexcept { return {}; }

  struct final_awaiter {
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<task_promise> self) const noexcept {
      task_promise& promise = self.promise();
      promise.publish_completion();
      promise.release();  // may destroy this frame: touch nothing after
    }
    void await_resume() const noexcept {}
  };
  final_awaiter final_suspend() const noexcept { return {}; }

  // An operation_canceled escaping the body ends the task canceled.
  void unhandled_exception() noexcept { this->outcome_.set_error(std::current_exception()); }

  template <class... Args>
  void store_value(Args&&... args) {
    this->outcome_.set_value(std::forward<Args>(args)...);
  }

private:
  void destroy() noexcept override { std::coroutine_handle<task_promise>::from_promise(*this).destroy(); }
};

}  // namespace vt::detail
