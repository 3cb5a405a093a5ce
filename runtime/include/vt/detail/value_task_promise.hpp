#pragma once
// The pooling builder for value_task coroutines (.NET PoolingAsyncValueTaskMethodBuilder).
//
// Frames come from the per-thread frame pool. A body that finishes without suspending
// leaves its outcome in the caller's get_return_object proxy (which outlives the frame:
// it lives in the caller until the call returns) and its frame is freed as the body ends,
// without a final suspension; the caller gets a result-backed value_task (or a
// task-backed one if it threw). Before the body's first real suspension a pooled source
// is attached; the caller then gets a source-backed value_task and the body completes the
// source at final suspend.
//
// The proxy is converted only after the body first returns to the caller. By then another
// thread may have finished a suspended body, so its frame is freed by whichever of "the
// caller took its value_task" and "the body reached final suspend" happens second; the
// branch is on the attached source, never on done().
#include <coroutine>
#include <cstdlib>
#include <exception>

#include <vt/detail/frame_allocator.hpp>
#include <vt/detail/last_of_two.hpp>
#include <vt/detail/thread_reach.hpp>
#include <vt/detail/outcome.hpp>
#include <vt/detail/promise_return.hpp>
#include <vt/detail/suspension_noting_awaiter.hpp>
#include <vt/source_pool.hpp>
#include <vt/value_task.hpp>

namespace vt::detail {

// One per result type, never destroyed: sources may be consumed during static teardown.
template <class T>
source_pool<T>& coroutine_source_pool() {
  static source_pool<T>* const pool = new source_pool<T>();
  return *pool;
}

template <class T>
class value_task_promise : public promise_return<value_task_promise<T>, T> {
  using handle = std::coroutine_handle<value_task_promise>;

public:
  static void* operator new(std::size_t size) { return allocate_frame(size); }
  static void operator delete(void* frame, std::size_t size) noexcept { deallocate_frame(frame, size); }

  value_task_promise() noexcept {}
  value_task_promise(const value_task_promise&) = delete;
  value_task_promise& operator=(const value_task_promise&) = delete;
  ~value_task_promise() {
    if (source_ != nullptr) suspended_.~suspended_part();
  }

  // Built in place in the caller (never copied or moved, so the promise may point at it).
  class return_proxy {
  public:
    explicit return_proxy(handle coroutine) noexcept : coroutine_(coroutine) {
      coroutine.promise().proxy_ = this;
    }
    return_proxy(const return_proxy&) = delete;
    return_proxy& operator=(const return_proxy&) = delete;

    // Inline for the common case (a value that moves without throwing); the rest out of line.
    operator value_task<T>() {
      if constexpr (std::is_nothrow_move_constructible_v<stored_t<T>>) {
        if (early_.status() == source_status::succeeded) return value_task<T>::from_result(std::move(early_.value()));
      }
      return convert();
    }

  private:
    friend class value_task_promise;

    [[gnu::noinline]] value_task<T> convert() {
      if (early_.status() == source_status::pending) return coroutine_.promise().hand_over(coroutine_);
      // The body finished without suspending, and its frame is gone.
      if (early_.status() != source_status::succeeded) return value_task<T>::from_body_exception(early_.error());
      try {
        return value_task<T>::from_result(std::move(early_.value()));
      } catch (...) {
        return value_task<T>::from_body_exception(std::current_exception());  // the value could not move out
      }
    }

    handle coroutine_;
    outcome<T> early_;  // the outcome of a body that never suspended
  };

  return_proxy get_return_object() noexcept { return return_proxy(handle::from_promise(*this)); }
  std::suspend_never initial_suspend() const noexcept { return {}; }

  struct final_awaiter {
    value_task_promise& promise;
    // A body that never suspended left its outcome in the proxy: the frame ends here.
    bool await_ready() const noexcept { return promise.source_ == nullptr; }
    void await_suspend(handle self) const noexcept {
      promise.complete_source();  // may resume the consumer inline
      note_crossing(crossing::frame_hand_over);
      if (promise.suspended_.handed_over.arrive()) self.destroy();
    }
    void await_resume() const noexcept {}
  };
  final_awaiter final_suspend() noexcept { return {*this}; }

  // Until the first suspension the caller is still in the call, so its proxy is alive.
  void unhandled_exception() noexcept {
    (source_ == nullptr ? proxy_->early_ : suspended_.body_outcome).set_error(std::current_exception());
  }

  template <class... Args>
  void store_value(Args&&... args) {
    (source_ == nullptr ? proxy_->early_ : suspended_.body_outcome).set_value(std::forward<Args>(args)...);
  }

  // Every co_await in the body attaches the pooled source just before a real suspension.
  template <class Awaitable>
  auto await_transform(Awaitable&& awaitable) {
    return noting_suspension<value_task_promise>(std::forward<Awaitable>(awaitable));
  }

  // Attaches the pooled source, once, and builds what a suspended body needs.
  void before_suspension() {
    if (source_ != nullptr) return;
    pooled_source<T>& source = coroutine_source_pool<T>().rent();
    ::new (static_cast<void*>(&suspended_)) suspended_part(source.version());
    source_ = &source;
  }

private:
  // A value that cannot move into the source completes it faulted with why (section 9:
  // the co_return value's store throwing after suspension).
  void complete_source() noexcept {
    outcome<T>& body = suspended_.body_outcome;
    if (body.status() == source_status::succeeded) {
      if constexpr (std::is_void_v<T>) {
        source_->set_result();
      } else {
        source_->set_result_or_exception(std::move(body.value()));
      }
    } else {
      source_->set_exception(body.error());
    }
  }

  // The proxy's conversion after a suspension (the body may still run, or be done).
  value_task<T> hand_over(handle self) {
    // A body that has not run cannot have suspended: the compiler converted the proxy early.
    if (source_ == nullptr) std::abort();
    value_task<T> result(*source_, suspended_.token);
    note_crossing(crossing::frame_hand_over);
    if (suspended_.handed_over.arrive()) self.destroy();
    return result;
  }

  // What only a body that suspends uses, built as the source is attached: a body that
  // finishes without suspending (the hot path) neither initializes nor destroys it.
  struct suspended_part {
    explicit suspended_part(token_t attached) noexcept : token(attached) {}
    token_t token;
    last_of_two handed_over;  // the caller's conversion and the body's end
    outcome<T> body_outcome;
  };

  return_proxy* proxy_ = nullptr;
  pooled_source<T>* source_ = nullptr;  // non-null once attached: suspended_ lives from then on
  union {
    suspended_part suspended_;
  };
};

}  // namespace vt::detail
