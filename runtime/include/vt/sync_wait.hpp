#pragma once
// vt::sync_wait(awaitable): blocks this thread until the awaitable completes and returns
// its result (or rethrows). With a manual_scheduler current it drives that scheduler,
// waiting for other threads only when the scheduler is idle.
#include <atomic>
#include <condition_variable>
#include <coroutine>
#include <exception>
#include <mutex>
#include <utility>

#include <vt/detail/get_awaiter.hpp>
#include <vt/detail/outcome.hpp>
#include <vt/detail/promise_return.hpp>
#include <vt/executor.hpp>
#include <vt/manual_scheduler.hpp>
#include <vt/detail/sync.hpp>
#include <vt/detail/thread_reach.hpp>

namespace vt {

namespace detail {

// Shared by the waiting thread and the driver coroutine. The completer signals under
// `mutex`, and the waiter takes `mutex` before leaving, so the waiter cannot destroy
// this while the completer still touches it.
template <class T>
struct sync_wait_state {
  // detail/sync.hpp's: the std types, Relacy's in the model checker (sync_wait_vs_completion).
  detail::mutex mutex;
  detail::condition_variable completed_signal;
  detail::atomic<bool> completed{false};
  manual_scheduler* scheduler = nullptr;
  outcome<T> result;
};

template <class T>
class sync_wait_driver {
public:
  class promise_type : public promise_return<promise_type, T> {
  public:
    explicit promise_type(auto&&, sync_wait_state<T>& state) noexcept : state_(&state) {}
    sync_wait_driver get_return_object() noexcept {
      return sync_wait_driver(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_never initial_suspend() const noexcept { return {}; }
    struct final_awaiter {
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<promise_type> self) const noexcept {
        sync_wait_state<T>& state = *self.promise().state_;
        std::lock_guard lock(state.mutex);
        detail::note_crossing(detail::crossing::sync_wait_signal);
        state.completed.store(true, std::memory_order_release);
        if (state.scheduler != nullptr) state.scheduler->notify();
        state.completed_signal.notify_all();
      }
      void await_resume() const noexcept {}
    };
    final_awaiter final_suspend() const noexcept { return {}; }
    void unhandled_exception() noexcept { state_->result.set_error_as(std::current_exception(), source_status::faulted); }
    template <class... Args>
    void store_value(Args&&... args) {
      state_->result.set_value(std::forward<Args>(args)...);
    }

  private:
    sync_wait_state<T>* state_;
  };

  sync_wait_driver(sync_wait_driver&& other) noexcept : coroutine_(std::exchange(other.coroutine_, {})) {}
  ~sync_wait_driver() {
    if (coroutine_) coroutine_.destroy();
  }

private:
  explicit sync_wait_driver(std::coroutine_handle<promise_type> coroutine) noexcept : coroutine_(coroutine) {}
  std::coroutine_handle<promise_type> coroutine_;
};

template <class T, class Awaitable>
sync_wait_driver<T> make_sync_wait_driver(Awaitable&& awaitable, sync_wait_state<T>&) {
  if constexpr (std::is_void_v<T>) {
    co_await std::forward<Awaitable>(awaitable);
  } else {
    co_return co_await std::forward<Awaitable>(awaitable);
  }
}

}  // namespace detail

template <class Awaitable>
auto sync_wait(Awaitable&& awaitable) -> std::remove_cvref_t<detail::await_result_t<Awaitable&&>> {
  using T = std::remove_cvref_t<detail::await_result_t<Awaitable&&>>;
  detail::sync_wait_state<T> state;
  state.scheduler = dynamic_cast<manual_scheduler*>(current_executor());
  {
    auto driver = detail::make_sync_wait_driver<T>(std::forward<Awaitable>(awaitable), state);
    if (state.scheduler != nullptr) {
      while (!state.completed.load(std::memory_order_acquire)) {
        if (!state.scheduler->run_one()) {
          state.scheduler->wait_for_work([&] { return state.completed.load(std::memory_order_acquire); });
        }
      }
    }
    detail::note_crossing(detail::crossing::sync_wait_signal);
    std::unique_lock lock(state.mutex);
    state.completed_signal.wait(lock, [&] { return state.completed.load(std::memory_order_acquire); });
  }
  return state.result.take();
}

}  // namespace vt
