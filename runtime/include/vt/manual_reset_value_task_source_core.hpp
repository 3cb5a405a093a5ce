#pragma once
// The reusable engine behind every source (.NET ManualResetValueTaskSourceCore<T>),
// stricter where .NET corrupts silently: a second completion, a second continuation
// and a reset over an unrun continuation all throw and change nothing.
//
// One atomic word holds the generation's version and its flags: completion and
// registration each set their bit with one read-modify-write (whichever comes second
// runs the continuation), and every call that takes a token checks it and claims its
// bit in the same compare-and-swap, so a stale caller racing a reset() or a consumption
// is turned away instead of landing in the next generation.
#include <atomic>
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <utility>

#include <vt/cancellation.hpp>
#include <vt/config.hpp>
#include <vt/detail/inline_resumer.hpp>
#include <vt/detail/outcome.hpp>
#include <vt/detail/sync.hpp>
#include <vt/detail/thread_reach.hpp>
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
  explicit manual_reset_value_task_source_core(token_t first_version) noexcept : state_(pack(first_version, 0)) {}
  manual_reset_value_task_source_core(const manual_reset_value_task_source_core&) = delete;
  manual_reset_value_task_source_core& operator=(const manual_reset_value_task_source_core&) = delete;

  token_t version() const noexcept { return version_of(state_.load(std::memory_order_acquire)); }

  bool run_continuations_asynchronously() const noexcept { return run_asynchronously_; }
  void run_continuations_asynchronously(bool value) noexcept { run_asynchronously_ = value; }

  // Starts the next generation. A registered continuation whose completion has not
  // come yet would be lost: that throws and changes nothing.
  void reset() {
    const state_t state = state_.load(std::memory_order_acquire);
    if ((state & claimed) != 0 && (state & completed) == 0) {
      detail::throw_reset_with_continuation(version_of(state));
    }
    outcome_access_.write();
    outcome_.clear();
    // The continuation fields are left alone: they mean something only while `registered`
    // is set in the same generation, and a registration still in flight may be writing them.
    // The next version with every flag clear, in one store.
    state_.store(pack(static_cast<token_t>(version_of(state) + 1), 0), std::memory_order_release);
  }

  template <class... Args>
    requires(std::is_void_v<T> ? sizeof...(Args) == 0 : std::is_constructible_v<detail::stored_t<T>, Args&&...>)
  void set_result(Args&&... args) {
    begin_completion();
    outcome_access_.write();
    try {
      outcome_.set_value(std::forward<Args>(args)...);
    } catch (...) {
      state_.fetch_and(~state_t{completing}, std::memory_order_relaxed);
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
    const state_t state = validated(token);
    if ((state & completed) == 0) return source_status::pending;
    if ((state & faulted) != 0) return source_status::faulted;
    return (state & canceled) != 0 ? source_status::canceled : source_status::succeeded;
  }

  // A copy of the result (re-readable until reset), or the stored exception rethrown.
  T get_result(token_t token) const {
    detail::note_crossing(detail::crossing::source_outcome);
    validate_completed(token);
    outcome_access_.read();
    return outcome_.get();
  }

  void on_completed(continuation_fn fn, void* state, token_t token, on_completed_flags flags) {
    detail::note_crossing(detail::crossing::source_continuation);
    validated(token);
    if (fn == nullptr) throw std::invalid_argument("on_completed: null continuation");
    executor* const context = has_flag(flags, on_completed_flags::use_scheduling_context) ? current_executor() : nullptr;
    const state_t before = claim(token, claimed);
    if ((before & claimed) != 0) detail::throw_second_continuation(token);
    // Completed first (now, or before this generation could be consumed and reset): post
    // it, never inline on the registering thread. The completion never reads the fields.
    const auto post_now = [&] { (context != nullptr ? *context : default_executor()).post(fn, state); };
    if ((before & completed) != 0) {
      post_now();
      return;
    }
    continuation_ = fn;
    continuation_state_ = state;
    context_ = context;
    if ((publish_registration(token) & completed) != 0) post_now();
  }

private:
  template <class>
  friend class pooled_source;

  // The state word: the version above the low byte, the flags in it.
  using state_t = std::uint64_t;
  enum : state_t {
    completing = 1,  // a set_* call owns this generation's outcome
    completed = 2,   // the outcome is published
    claimed = 4,     // an on_completed call owns this generation's continuation slot
    registered = 8,  // the continuation is published
    faulted = 16,    // with completed: how it completed (neither bit: succeeded)
    canceled = 32,
    consumed = 64,   // a pooled source's consumer owns this generation's outcome
  };
  static constexpr state_t pack(token_t version, state_t flags) noexcept { return (state_t{version} << 8) | flags; }
  static constexpr token_t version_of(state_t state) noexcept { return static_cast<token_t>(state >> 8); }

  // The state, if `token` names the current generation.
  state_t validated(token_t token) const {
    const state_t state = state_.load(std::memory_order_acquire);
    if (version_of(state) != token) detail::throw_stale_token(token, version_of(state));
    return state;
  }

  // Sets `bit` in `token`'s generation and returns the state before; a stale token is
  // rejected in the same step (nothing is set in any other generation).
  state_t claim(token_t token, state_t bit) {
    state_t state = state_.load(std::memory_order_acquire);
    for (;;) {
      if (version_of(state) != token) detail::throw_stale_token(token, version_of(state));
      if ((state & bit) != 0) return state;
      if (state_.compare_exchange_weak(state, state | bit, std::memory_order_acq_rel, std::memory_order_acquire)) {
        return state;
      }
    }
  }

  // Sets `registered` in `token`'s generation; returns the state before. A generation that
  // completed, was consumed and reset meanwhile reads as completed (the caller posts).
  state_t publish_registration(token_t token) {
    state_t state = state_.load(std::memory_order_acquire);
    for (;;) {
      if (version_of(state) != token) return completed;
      if (state_.compare_exchange_weak(state, state | registered, std::memory_order_acq_rel, std::memory_order_acquire)) {
        return state;
      }
    }
  }

  void validate_completed(token_t token) const {
    if ((validated(token) & completed) == 0) detail::throw_result_before_completion(token);
  }

  // A pooled source's consumption: of all the callers holding this generation's token,
  // exactly one gets true (and the outcome); the others get false.
  bool claim_consumption(token_t token) {
    detail::note_crossing(detail::crossing::source_outcome);
    state_t state = state_.load(std::memory_order_acquire);
    for (;;) {
      if (version_of(state) != token) detail::throw_stale_token(token, version_of(state));
      if ((state & completed) == 0) detail::throw_result_before_completion(token);
      if ((state & consumed) != 0) return false;
      if (state_.compare_exchange_weak(state, state | consumed, std::memory_order_acq_rel, std::memory_order_acquire)) {
        return true;
      }
    }
  }

  void begin_completion() {
    if ((state_.fetch_or(completing, std::memory_order_acq_rel) & completing) != 0) {
      detail::throw_double_completion(version());
    }
  }

  void finish_completion() {
    detail::note_crossing(detail::crossing::source_continuation);
    detail::note_crossing(detail::crossing::source_outcome);
    const source_status status = outcome_.status();
    const state_t how = status == source_status::faulted ? faulted : status == source_status::canceled ? canceled : 0;
    if ((state_.fetch_or(completed | how, std::memory_order_acq_rel) & registered) == 0) return;
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
  detail::atomic<state_t> state_{0};  // pack(version, flags)
  bool run_asynchronously_ = false;
  detail::shared_field<continuation_fn> continuation_;
  detail::shared_field<void*> continuation_state_;
  detail::shared_field<executor*> context_;
  detail::outcome<T> outcome_;
  detail::access_marker outcome_access_;  // every read and write of outcome_, for the race checker
};

}  // namespace vt
