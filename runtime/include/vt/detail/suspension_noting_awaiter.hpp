#pragma once
// Wraps the awaiter of every co_await in a vt coroutine body so that its promise hears of
// a suspension just before it happens (Promise::before_suspension): the value_task
// builder attaches its pooled source there, and a task learns that its state may now be
// shared. A suspension that does not happen (await_suspend returning false) still counts.
#include <coroutine>
#include <utility>

#include <vt/detail/get_awaiter.hpp>

namespace vt::detail {

template <class Awaiter, class Promise>
struct suspension_noting_awaiter {
  Awaiter inner;  // nothing else: this lives in the frame, and frames are kept small

  bool await_ready() { return inner.await_ready(); }
  auto await_suspend(std::coroutine_handle<Promise> self) {
    self.promise().before_suspension();
    return inner.await_suspend(self);
  }
  decltype(auto) await_resume() { return inner.await_resume(); }
};

// The promise's await_transform: co_await `awaitable` through its noting awaiter.
template <class Promise, class Awaitable>
suspension_noting_awaiter<awaiter_t<Awaitable>, Promise> noting_suspension(Awaitable&& awaitable) {
  return {get_awaiter(std::forward<Awaitable>(awaitable))};
}

}  // namespace vt::detail
