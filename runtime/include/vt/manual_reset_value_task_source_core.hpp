#pragma once
// The reusable engine behind every source (.NET ManualResetValueTaskSourceCore<T>),
// stricter where .NET corrupts silently: a second completion, a second continuation
// and a reset over an unrun continuation all throw and change nothing.
//
// Completion and registration race through one atomic word: each side sets its bit
// with one read-modify-write, and whichever comes second runs the continuation.
#include <atomic>
#include <exception>
#include <stdexcept>
#include <utility>

#include <vt/cancellation.hpp>
#include <vt/config.hpp>
#include <vt/detail/inline_resumer.hpp>
#include <vt/detail/outcome.hpp>
#include <vt/detail/sync.hpp>
#include <vt/errors.hpp>
#include <vt/executor.hpp>
#include <vt/value_task_source.hpp>

namespace vt {

template <class T>
class pooled_source;

namespace detail {
[[noreturn]] void throw_stale_token(unsigned long token, unsigned long version);
[[noreturn]] void throw_double_completion(unsigned long version);
[[noreturn]] void throw_second_continuation(unsigned long version);
[[noreturn]] void throw_reset_with_continuation(unsigned long version);
[[noreturn]] void throw_result_before_completion(unsigned long version);
}  // namespace detail

template <class T>
class manual_reset_value_task_source_core {
public:
  manual_reset_value_task_source_core() noexcept = default;
  // Starts at `first_version` instead of 0 (a test can put the token's wraparound a few
  // generations away).
  explicit manual_reset_value_task_source_core(token_t first_version) noexcept : version_(first_version) {}
  manual_reset_value_task_source_core(const manual_reset_value_task_source_core&) = delete;
  manual_reset_value_task_source_core& operator=(const manual_reset_value_task_source_core&) = delete;

  token_t version() const noexcept { return version_.load(std::memory_order_acquire); }

  bool run_continuations_asynchronously() const noexcept { return run_asynchronously_; }
  void run_continuations_asynchronously(bool value) noexcept { run_asynchronously_ = value; }

  // Starts the next generation. A registered continuation whose completion has not
  // come yet would be lost: that throws and changes nothing.
  void reset() {
    const unsigned char flags = flags_.load(std::memory_order_acquire);
    if ((flags & claimed) != 0 && (flags & completed) == 0) {
      detail::throw_reset_with_continuation(version());
    }
    outcome_access_.write();
    outcome_.clear();
    continuation_ = nullptr;
    continuation_state_ = nullptr;
    context_ = nullptr;
    // The version moves on first: a stale status() that sees the cleared flags (released
    // here) also sees the new version, and reports a stale token instead of "pending".
    version_.store(static_cast<token_t>(version() + 1), std::memory_order_release);
    flags_.store(0, std::memory_order_release);
  }

  template <class... Args>
    requires(std::is_void_v<T> ? sizeof...(Args) == 0 : std::is_constructible_v<detail::stored_t<T>, Args&&...>)
  void set_result(Args&&... args) {
    begin_completion();
    outcome_access_.write();
    try {
      outcome_.set_value(std::forward<Args>(args)...);
    } catch (...) {
      flags_.fetch_and(static_cast<unsigned char>(~completing), std::memory_order_relaxed);
      throw;
    }
    finish_completion();
  }

  // As set_result, but a value whose store throws completes this generation faulted with
  // that exception instead (for coroutine builders, which have nobody to throw to).
  template <class U>
  void set_result_or_exception(U&& value) {
    begin_completion();
    outcome_access_.write();
    try {
      outcome_.set_value(std::forward<U>(value));
    } catch (...) {
      outcome_.set_error_as(std::current_exception(), source_status::faulted);
    }
    finish_completion();
  }

  // An operation_canceled inside completes as canceled.
  void set_exception(std::exception_ptr error) {
    if (!error) throw std::invalid_argument("set_exception: null exception_ptr");
    const bool canceled = detail::is_cancellation(error);
    begin_completion();
    outcome_access_.write();
    outcome_.set_error_as(std::move(error), canceled ? source_status::canceled : source_status::faulted);
    finish_completion();
  }

  void set_canceled(cancellation_token token = {}) {
    auto error = std::make_exception_ptr(operation_canceled("the operation was canceled", std::move(token)));
    begin_completion();
    outcome_access_.write();
    outcome_.set_error_as(std::move(error), source_status::canceled);
    finish_completion();
  }

  // Answers from the flags alone (the outcome's status is published with it), then checks
  // the token again: an owner's reset() racing a stale status() is caught, not misread.
  source_status status(token_t token) const {
    validate(token);
    const unsigned char flags = flags_.load(std::memory_order_acquire);
    validate(token);
    if ((flags & completed) == 0) return source_status::pending;
    if ((flags & faulted) != 0) return source_status::faulted;
    return (flags & canceled) != 0 ? source_status::canceled : source_status::succeeded;
  }

  // A copy of the result (re-readable until reset), or the stored exception rethrown.
  T get_result(token_t token) const {
    validate_completed(token);
    outcome_access_.read();
    return outcome_.get();
  }

  void on_completed(continuation_fn fn, void* state, token_t token, on_completed_flags flags) {
    validate(token);
    if (fn == nullptr) throw std::invalid_argument("on_completed: null continuation");
    if ((flags_.fetch_or(claimed, std::memory_order_acq_rel) & claimed) != 0) {
      detail::throw_second_continuation(token);
    }
    executor* const context = has_flag(flags, on_completed_flags::use_scheduling_context) ? current_executor() : nullptr;
    continuation_ = fn;
    continuation_state_ = state;
    context_ = context;
    if ((flags_.fetch_or(registered, std::memory_order_acq_rel) & completed) != 0) {
      // Completed first: never run inline on the registering thread.
      (context != nullptr ? *context : default_executor()).post(fn, state);
    }
  }

private:
  template <class>
  friend class pooled_source;

  enum : unsigned char {
    completing = 1,  // a set_* call owns this generation's outcome
    completed = 2,   // the outcome is published
    claimed = 4,     // an on_completed call owns this generation's continuation slot
    registered = 8,  // the continuation is published
    faulted = 16,    // with completed: how it completed (neither bit: succeeded)
    canceled = 32,
  };

  void validate(token_t token) const {
    const token_t current = version();
    if (token != current) detail::throw_stale_token(token, current);
  }

  void validate_completed(token_t token) const {
    validate(token);
    if ((flags_.load(std::memory_order_acquire) & completed) == 0) {
      detail::throw_result_before_completion(token);
    }
  }

  void begin_completion() {
    if ((flags_.fetch_or(completing, std::memory_order_acq_rel) & completing) != 0) {
      detail::throw_double_completion(version());
    }
  }

  void finish_completion() {
    const source_status status = outcome_.status();
    const auto how = static_cast<unsigned char>(status == source_status::faulted    ? faulted
                                                : status == source_status::canceled ? canceled
                                                                                    : 0);
    if ((flags_.fetch_or(static_cast<unsigned char>(completed | how), std::memory_order_acq_rel) & registered) == 0) return;
    // Registered first: this side runs it. Copy out before running: the continuation
    // may consume and recycle this source.
    const continuation_fn fn = continuation_;
    void* const state = continuation_state_;
    executor* const context = context_;
    if (context == nullptr && run_asynchronously_) {
      default_executor().post(fn, state);
    } else {
      detail::dispatch(fn, state, context);
    }
  }

  // detail::atomic is std::atomic except in the model-checking build (detail/sync.hpp).
  detail::atomic<token_t> version_{0};
  detail::atomic<unsigned char> flags_{0};
  bool run_asynchronously_ = false;
  detail::shared_field<continuation_fn> continuation_;
  detail::shared_field<void*> continuation_state_;
  detail::shared_field<executor*> context_;
  detail::outcome<T> outcome_;
  detail::access_marker outcome_access_;  // every read and write of outcome_, for the race checker
};

}  // namespace vt
