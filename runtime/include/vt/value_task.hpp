#pragma once
// vt::value_task<T>: a one-shot value holding exactly one of a result, a task, or a
// source + token (.NET ValueTask<T>). Result- and task-backed ones may be consumed any
// number of times; a source-backed one exactly once. The result-backed path allocates
// nothing, calls nothing virtual and performs no atomic read-modify-write.
#include <concepts>
#include <coroutine>
#include <exception>
#include <new>
#include <stdexcept>
#include <utility>

#include <vt/config.hpp>
#include <vt/detail/coroutine_resume.hpp>
#include <vt/detail/manual_task_state.hpp>
#include <vt/detail/stored.hpp>
#include <vt/detail/task_state.hpp>
#include <vt/errors.hpp>
#include <vt/task.hpp>
#include <vt/value_task_source.hpp>

namespace vt {

namespace detail {
template <class T>
class value_task_promise;
template <class T, bool MayMove>
class value_task_awaiter;
template <class T>
class source_bridge_state;
}  // namespace detail

template <class T = void>
class [[nodiscard]] value_task {
  using value_type = detail::stored_t<T>;

public:
  using promise_type = detail::value_task_promise<T>;

  enum class representation : unsigned char { result, task, source };

  // Completed successfully with T{} (nothing, for void).
  value_task() noexcept(std::is_nothrow_default_constructible_v<value_type>) {
    ::new (static_cast<void*>(&value_)) value_type();
  }
  explicit value_task(const value_type& value) requires(!std::is_void_v<T>) {
    ::new (static_cast<void*>(&value_)) value_type(value);
  }
  explicit value_task(value_type&& value) requires(!std::is_void_v<T>) {
    ::new (static_cast<void*>(&value_)) value_type(std::move(value));
  }
  explicit value_task(task<T> t) : representation_(representation::task) {
    if (!t.valid()) throw std::invalid_argument("value_task: empty task");
    task_ = t.state();
    task_->add_ref();
  }
  value_task(value_task_source<T>& source, token_t token) noexcept
      : representation_(representation::source), token_(token) {
    source_ = &source;
  }
  value_task(value_task_source<T>* source, token_t token) : representation_(representation::source), token_(token) {
    if (source == nullptr) throw std::invalid_argument("value_task: null source");
    source_ = source;
  }

  value_task(const value_task& other) noexcept(std::is_nothrow_copy_constructible_v<value_type>)
      : representation_(other.representation_), token_(other.token_) {
    copy_payload(other);
  }
  value_task(value_task&& other) noexcept(std::is_nothrow_move_constructible_v<value_type>)
      : representation_(other.representation_), token_(other.token_) {
    move_payload_of(other);
  }
  // Strong guarantee: when copying or moving the value throws, *this keeps its old value.
  value_task& operator=(const value_task& other) {
    if (this == &other) return *this;
    if (representation_ == representation::result && other.representation_ == representation::result) {
      value_ = other.value_;  // the value's own assignment (it throws before changing anything)
      token_ = other.token_;
      return *this;
    }
    replace_with(value_task(other));  // a copy that throws leaves *this alone
    return *this;
  }
  value_task& operator=(value_task&& other) noexcept(std::is_nothrow_move_constructible_v<value_type> &&
                                                     std::is_nothrow_move_assignable_v<value_type>) {
    if (this != &other) replace_with(std::move(other));
    return *this;
  }
  ~value_task() { destroy_payload(); }

  template <class... Args>
    requires std::is_constructible_v<value_type, Args&&...>
  static value_task from_result(Args&&... args) {
    return value_task(in_place_tag{}, std::forward<Args>(args)...);
  }
  static value_task from_exception(std::exception_ptr error) { return value_task(task<T>::from_exception(std::move(error))); }
  static value_task from_canceled(cancellation_token token) { return value_task(task<T>::from_canceled(std::move(token))); }

  representation kind() const noexcept { return representation_; }

  bool is_completed() const { return status() != source_status::pending; }
  bool is_completed_successfully() const { return status() == source_status::succeeded; }
  bool is_faulted() const { return status() == source_status::faulted; }
  bool is_canceled() const { return status() == source_status::canceled; }
  source_status status() const {
    switch (representation_) {
      case representation::result: return source_status::succeeded;
      case representation::task: return task_->status();
      case representation::source: break;
    }
    return source_->status(token_);
  }

  // Consumes. Never blocks: before completion it throws invalid_operation.
  T result() const& {
    switch (representation_) {
      case representation::result:
        if constexpr (std::is_void_v<T>) return; else return value_;
      case representation::task:
        if (!task_->is_completed()) throw invalid_operation(misuse::result_before_completion, "value_task::result() before the task completed");
        return task_->result();
      case representation::source: break;
    }
    return source_->get_result(token_);
  }
  T result() && {
    if (representation_ == representation::result) {
      if constexpr (std::is_void_v<T>) return; else return std::move(value_);
    }
    return static_cast<const value_task&>(*this).result();
  }

  // Consumes. Result: a completed task; task: the same task; source: a task completed
  // from the source (now if complete, else from its continuation).
  task<T> as_task() const {
    switch (representation_) {
      case representation::result:
        if constexpr (std::is_void_v<T>) return completed_task(); else return task<T>::from_result(value_);
      case representation::task:
        task_->add_ref();
        return task<T>::adopt(task_);
      case representation::source: break;
    }
    return source_as_task();
  }

  // Safe to consume many times: result-backed stays as it is, anything else becomes task-backed.
  value_task preserve() const {
    if (representation_ == representation::result) return *this;
    return value_task(as_task());
  }

  // An rvalue's result may be moved out (a result-backed one is read any number of times).
  detail::value_task_awaiter<T, false> operator co_await() & noexcept { return {*this, true}; }
  detail::value_task_awaiter<T, true> operator co_await() && noexcept { return {*this, true}; }

  // co_await vt.configure_await(false): do not resume on the captured scheduling context.
  class configured_awaitable {
  public:
    detail::value_task_awaiter<T, false> operator co_await() & noexcept { return {value_task_, capture_}; }
    detail::value_task_awaiter<T, true> operator co_await() && noexcept { return {value_task_, capture_}; }

  private:
    friend class value_task;
    configured_awaitable(value_task vt, bool capture) : value_task_(std::move(vt)), capture_(capture) {}
    value_task value_task_;
    bool capture_;
  };
  configured_awaitable configure_await(bool continue_on_captured_context) const& {
    return configured_awaitable(*this, continue_on_captured_context);
  }
  configured_awaitable configure_await(bool continue_on_captured_context) && {
    return configured_awaitable(std::move(*this), continue_on_captured_context);
  }

  // Same representation and: equal results, the same task, or the same source and token.
  friend bool operator==(const value_task& a, const value_task& b)
    requires std::equality_comparable<value_type>
  {
    if (a.representation_ != b.representation_) return false;
    switch (a.representation_) {
      case representation::result: return a.value_ == b.value_;
      case representation::task: return a.task_ == b.task_;
      case representation::source: break;
    }
    return a.source_ == b.source_ && a.token_ == b.token_;
  }

  // The outcome of a coroutine body that threw before suspending: canceled for an
  // operation_canceled, faulted for anything else.
  static value_task from_body_exception(std::exception_ptr error) {
    auto* state = detail::manual_task_state<T>::create();
    state->complete_error(std::move(error));
    return value_task(task<T>::adopt(state));
  }

  value_task_source<T>* source() const noexcept { return representation_ == representation::source ? source_ : nullptr; }
  token_t token() const noexcept { return token_; }

private:
  template <class, bool>
  friend class detail::value_task_awaiter;
  struct in_place_tag {};
  // A value whose construction throws leaves no value_task behind, so nothing to destroy.
  template <class... Args>
  explicit value_task(in_place_tag, Args&&... args) {
    ::new (static_cast<void*>(&value_)) value_type(std::forward<Args>(args)...);
  }

  task<T> source_as_task() const;

  void copy_payload(const value_task& other) {
    switch (representation_) {
      case representation::result: ::new (static_cast<void*>(&value_)) value_type(other.value_); break;
      case representation::task: task_ = other.task_; task_->add_ref(); break;
      case representation::source: source_ = other.source_; break;
    }
  }
  // Takes `fresh`'s payload. Only building the new payload can throw, and until it stands
  // the old one is kept (a result is overwritten by the value's own assignment).
  void replace_with(value_task&& fresh) {
    if (representation_ == representation::result) {
      if (fresh.representation_ == representation::result) {
        value_ = std::move(fresh.value_);
      } else {
        value_.~value_type();
        move_payload_of(fresh);  // a task or a source: cannot throw
      }
    } else {
      // A task-backed value_task always holds a task.
      detail::task_state<T>* const old_task = representation_ == representation::task ? task_ : nullptr;
      value_task_source<T>* const old_source = representation_ == representation::source ? source_ : nullptr;
      try {
        move_payload_of(fresh);
      } catch (...) {
        if (old_task != nullptr) task_ = old_task; else source_ = old_source;
        throw;
      }
      if (old_task != nullptr) old_task->release();
    }
    representation_ = fresh.representation_;
    token_ = fresh.token_;
  }
  // Builds this payload from `fresh`'s (its representation), moving a result.
  void move_payload_of(value_task& fresh) {
    switch (fresh.representation_) {
      case representation::result: ::new (static_cast<void*>(&value_)) value_type(std::move(fresh.value_)); break;
      case representation::task: task_ = fresh.task_; task_->add_ref(); break;
      case representation::source: source_ = fresh.source_; break;
    }
  }
  void destroy_payload() noexcept {
    switch (representation_) {
      case representation::result: value_.~value_type(); break;
      case representation::task: task_->release(); break;
      case representation::source: break;
    }
  }

  representation representation_ = representation::result;
  token_t token_ = 0;
  union {
    value_type value_;
    detail::task_state<T>* task_;
    value_task_source<T>* source_;
  };
};

namespace detail {

// The task behind as_task() of a pending source: completed by the source's continuation.
template <class T>
class source_bridge_state final : public manual_task_state<T> {
public:
  source_bridge_state(value_task_source<T>& source, token_t token) noexcept : source_(&source), token_(token) {}

  static void on_source_completed(void* self) {
    auto* bridge = static_cast<source_bridge_state*>(self);
    bridge->consume();
    bridge->release();  // the registration's reference
  }

  void consume() {
    outcome<T> taken;
    try {
      // A source that hands its outcome over without throwing (pooled ones) does; any
      // other goes through get_result.
      if (!source_->consume_into(token_, taken)) {
        if constexpr (std::is_void_v<T>) {
          source_->get_result(token_);
          taken.set_value();
        } else {
          taken.set_value(source_->get_result(token_));
        }
      }
    } catch (...) {
      taken.set_error(std::current_exception());
    }
    this->complete_from(std::move(taken));  // a value that cannot move in faults the task with why
  }

private:
  value_task_source<T>* source_;
  token_t token_;
};

// MayMove: the awaited value_task is an rvalue, so a result-backed one's value may move out.
template <class T, bool MayMove>
class value_task_awaiter {
public:
  value_task_awaiter(value_task<T>& awaited, bool capture_context) noexcept
      : awaited_(&awaited), capture_context_(capture_context) {}

  bool await_ready() const {
    switch (awaited_->representation_) {
      case value_task<T>::representation::result: return true;
      case value_task<T>::representation::task: return awaited_->task_->is_completed();
      case value_task<T>::representation::source: break;
    }
    return awaited_->source_->status(awaited_->token_) != source_status::pending;
  }

  // A second awaiter on one source generation gets invalid_operation from here.
  bool await_suspend(std::coroutine_handle<> awaiting) {
    if (awaited_->representation_ == value_task<T>::representation::task) {
      return waiter_.register_on(*awaited_->task_, awaiting, capture_context_);
    }
    awaited_->source_->on_completed(&resume_coroutine, awaiting.address(), awaited_->token_,
                                    capture_context_ ? on_completed_flags::use_scheduling_context
                                                     : on_completed_flags::none);
    return true;
  }

  T await_resume() const {
    switch (awaited_->representation_) {
      case value_task<T>::representation::result:
        if constexpr (std::is_void_v<T>) {
          return;
        } else {
          if constexpr (MayMove) {
            return std::move(awaited_->value_);
          } else {
            return awaited_->value_;
          }
        }
      case value_task<T>::representation::task: return awaited_->task_->result();
      case value_task<T>::representation::source: break;
    }
    return awaited_->source_->get_result(awaited_->token_);
  }

private:
  value_task<T>* awaited_;
  bool capture_context_;
  coroutine_waiter waiter_;  // used only when the await suspends on a task
};

}  // namespace detail

template <class T>
task<T> value_task<T>::source_as_task() const {
  const source_status status = source_->status(token_);
  if constexpr (std::is_void_v<T>) {
    if (status == source_status::succeeded) {
      source_->get_result(token_);  // consumed
      return completed_task();
    }
  }
  if (status != source_status::pending) {
    auto* bridge = new detail::source_bridge_state<T>(*source_, token_);
    bridge->consume();
    return task<T>::adopt(bridge);
  }
  auto* bridge = new detail::source_bridge_state<T>(*source_, token_);
  bridge->add_ref();  // held by the registration until the continuation runs
  try {
    source_->on_completed(&detail::source_bridge_state<T>::on_source_completed, bridge, token_,
                          on_completed_flags::none);
  } catch (...) {
    bridge->release();
    bridge->release();
    throw;
  }
  return task<T>::adopt(bridge);
}

}  // namespace vt

#include <vt/detail/value_task_promise.hpp>
