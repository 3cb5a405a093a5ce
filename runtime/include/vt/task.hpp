#pragma once
// vt::task<T>: a shared, multi-await operation (the .NET Task<T> reference type).
// Copies share one reference-counted state; any number of awaiters, resumed in the
// order they registered. As a coroutine return type it is eager, and its frame (which
// holds the shared state) is heap-allocated on every call.
#include <coroutine>
#include <exception>
#include <new>
#include <stdexcept>
#include <utility>

#include <vt/cancellation.hpp>
#include <vt/detail/coroutine_resume.hpp>
#include <vt/detail/manual_task_state.hpp>
#include <vt/detail/task_state.hpp>
#include <vt/errors.hpp>
#include <vt/executor.hpp>

namespace vt {

namespace detail {
template <class T>
class task_promise;
template <class T>
class task_awaiter;
}  // namespace detail

template <class T = void>
class [[nodiscard]] task {
public:
  using promise_type = detail::task_promise<T>;
  using value_type = T;

  task() noexcept = default;  // no operation: every query throws invalid_operation
  task(const task& other) noexcept : state_(other.state_) {
    if (state_ != nullptr) state_->add_ref();
  }
  task(task&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
  task& operator=(task other) noexcept {
    std::swap(state_, other.state_);
    return *this;
  }
  ~task() {
    if (state_ != nullptr) state_->release();
  }

  // Takes ownership of one reference.
  static task adopt(detail::task_state<T>* state) noexcept { return task(state); }

  // Each factory's state is owned by the returned handle before it completes: a value
  // whose copy throws frees it.
  template <class... Args>
    requires(std::is_void_v<T> ? sizeof...(Args) == 0 : std::is_constructible_v<T, Args&&...>)
  static task from_result(Args&&... args) {
    auto* state = detail::manual_task_state<T>::create();
    task result(state);
    state->complete_value(std::forward<Args>(args)...);
    return result;
  }
  // Faulted, even for an operation_canceled (as Task.FromException).
  static task from_exception(std::exception_ptr error) {
    if (!error) throw std::invalid_argument("from_exception: null exception_ptr");
    auto* state = detail::manual_task_state<T>::create();
    task result(state);
    state->complete_faulted(std::move(error));
    return result;
  }
  static task from_canceled(cancellation_token token) {
    if (!token.is_cancellation_requested()) {
      throw std::invalid_argument("from_canceled: the token is not canceled");
    }
    auto error = std::make_exception_ptr(operation_canceled("the operation was canceled", std::move(token)));
    auto* state = detail::manual_task_state<T>::create();
    task result(state);
    state->complete_error(std::move(error));
    return result;
  }

  bool valid() const noexcept { return state_ != nullptr; }
  bool is_completed() const { return checked().is_completed(); }
  bool is_completed_successfully() const { return checked().status() == source_status::succeeded; }
  bool is_faulted() const { return checked().status() == source_status::faulted; }
  bool is_canceled() const { return checked().status() == source_status::canceled; }
  source_status status() const { return checked().status(); }

  // Never blocks: before completion it throws invalid_operation (use vt::sync_wait).
  T result() const {
    const auto& state = checked();
    if (!state.is_completed()) throw invalid_operation(misuse::result_before_completion, "task::result() before the task completed");
    return state.result();
  }
  std::exception_ptr exception() const { return checked().exception(); }

  detail::task_awaiter<T> operator co_await() const { return detail::task_awaiter<T>(checked(), true); }

  // co_await t.configure_await(false): resume wherever the task completes.
  class configured_awaitable {
  public:
    detail::task_awaiter<T> operator co_await() const { return detail::task_awaiter<T>(task_.checked(), capture_); }

  private:
    friend class task;
    configured_awaitable(task t, bool capture) noexcept : task_(std::move(t)), capture_(capture) {}
    task task_;
    bool capture_;
  };
  configured_awaitable configure_await(bool continue_on_captured_context) const {
    checked();
    return configured_awaitable(*this, continue_on_captured_context);
  }

  friend bool operator==(const task& a, const task& b) noexcept { return a.state_ == b.state_; }

  detail::task_state<T>* state() const noexcept { return state_; }

private:
  explicit task(detail::task_state<T>* state) noexcept : state_(state) {}

  detail::task_state<T>& checked() const {
    if (state_ == nullptr) throw invalid_operation(misuse::empty_task, "use of an empty (default-constructed or moved-from) task");
    return *state_;
  }

  detail::task_state<T>* state_ = nullptr;
};

namespace detail {
task_state<void>* completed_task_state() noexcept;
}  // namespace detail

// One shared, immortal completed task<void> (.NET's Task.CompletedTask): every call gives
// the same operation, and copying it touches no reference count.
inline task<void> completed_task() noexcept { return task<void>::adopt(detail::completed_task_state()); }

namespace detail {

// The registration of a suspended coroutine on a task: a waiter node inside the awaiter,
// built only when the await suspends (a ready await writes none of it).
class coroutine_waiter {
public:
  coroutine_waiter() noexcept {}
  // False when the task already completed (the coroutine continues at once).
  bool register_on(task_state_base& state, std::coroutine_handle<> awaiting, bool capture_context) noexcept {
    ::new (static_cast<void*>(&node_)) waiter{};
    node_.fn = &resume_coroutine;
    node_.state = awaiting.address();
    node_.context = capture_context ? current_executor() : nullptr;
    return state.try_add_waiter(node_);
  }

private:
  union {
    waiter node_;
  };
};

template <class T>
class task_awaiter {
public:
  task_awaiter(task_state<T>& state, bool capture_context) noexcept
      : state_(&state), capture_context_(capture_context) {}

  bool await_ready() const noexcept { return state_->is_completed(); }

  bool await_suspend(std::coroutine_handle<> awaiting) noexcept {
    return waiter_.register_on(*state_, awaiting, capture_context_);
  }

  T await_resume() const { return state_->result(); }

private:
  task_state<T>* state_;
  bool capture_context_;
  coroutine_waiter waiter_;
};

}  // namespace detail
}  // namespace vt

#include <vt/detail/task_promise.hpp>
