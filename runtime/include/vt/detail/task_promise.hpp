#pragma once
// The promise of a task coroutine: it is the task's shared state. Two references at
// start (the returned task and the running body); the body's is dropped at final suspend.
// A body that finishes without suspending completes with plain stores: nothing else can
// see its state before the call returns.
#include <coroutine>
#include <exception>

#include <vt/detail/promise_return.hpp>
#include <vt/detail/suspension_noting_awaiter.hpp>
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
    // Forced inline: clang kept it out of line, a call on every task's synchronous path.
    [[gnu::always_inline]] void await_suspend(std::coroutine_handle<task_promise> self) const noexcept {
      task_promise& promise = self.promise();
      if (!promise.body_suspended_) {
        promise.complete_unshared();  // the synchronous path: no locked instruction
        return;
      }
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

  // Every co_await in the body notes a suspension before it happens: from then on the
  // caller holds the task and other threads may register on it.
  template <class Awaitable>
  auto await_transform(Awaitable&& awaitable) {
    return noting_suspension<task_promise>(std::forward<Awaitable>(awaitable));
  }
  void before_suspension() noexcept { this->body_suspended_ = true; }

private:
  void destroy() noexcept override { std::coroutine_handle<task_promise>::from_promise(*this).destroy(); }
};

}  // namespace vt::detail
