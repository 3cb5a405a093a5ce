#pragma once
// A user's pooled value_task source written from scratch without locks: one atomic word
// holds each source's version and its generation's progress, and every step of the
// protocol is one compare-exchange on it (the shape of .NET's ManualResetValueTaskSourceCore,
// made exact about misuse). Its synchronization is vt::sync's, so vtlab's model checker
// explores it as it explores vt's own core (vtlab_add_source_checks(... MODEL_CHECK)).
// The pool is the examples' stack of idle sources (source_stack_pool.hpp) on a vt::sync::mutex.
//
// `flaw` plants one classic bug, to show what finds it (examples/own_source/CMakeLists.txt):
// the correct source is flaw::none.
//
// Nothing here knows about vtlab's harness: adapters.hpp adapts it.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <vt/cancellation.hpp>
#include <vt/errors.hpp>
#include <vt/executor.hpp>
#include <vt/sync.hpp>
#include <vt/value_task_source.hpp>

#include "is_cancellation.hpp"
#include "source_stack_pool.hpp"

namespace lockfree {

enum class flaw {
  none,
  continuation_stored_plainly,    // registration reads the word, then writes it back: a racing completion is lost
  completion_published_relaxed,   // the completion's publication does not release the value written before it
                                  // (no release order: relaxed, as far as the value is concerned)
};

template <class T, flaw Flaw>
class source;
template <class T, flaw Flaw = flaw::none>
using pool = examples::source_stack_pool<source<T, Flaw>, examples::reuse::last_returned_first, vt::sync::mutex>;

template <class T, flaw Flaw>
class source final : public vt::value_task_source<T> {
  // The word: the version in the low 32 bits, the generation's progress above them.
  using word = std::uint64_t;
  static constexpr word rented = word{1} << 32;
  static constexpr word completing = word{1} << 33;        // a completer claimed the generation
  static constexpr word completed = word{1} << 34;         // ... and published its outcome
  static constexpr word registering = word{1} << 35;       // a continuation claimed the slot
  static constexpr word registered = word{1} << 36;        // ... and wrote it
  static constexpr word consumed = word{1} << 37;          // a consumer claimed the outcome
  static constexpr unsigned status_shift = 38;             // the outcome's vt::source_status, once completed
  static constexpr word status_mask = word{3} << status_shift;
  static vt::token_t version_of(word w) noexcept { return static_cast<vt::token_t>(w & 0xffff'ffffu); }

public:
  vt::token_t version() const { return version_of(state_.load(std::memory_order_acquire)); }
  bool is_rented() const { return (state_.load(std::memory_order_acquire) & rented) != 0; }
  bool run_continuations_asynchronously() const { return asynchronously_.load(std::memory_order_relaxed); }
  void run_continuations_asynchronously(bool value) { asynchronously_.store(value, std::memory_order_relaxed); }

  template <class... Args>
  void set_result(Args&&... args) {
    claim_completion();
    try {
      outcome_written_.write();
      value_.emplace(std::forward<Args>(args)...);
    } catch (...) {  // a value that cannot be stored changes nothing
      state_.fetch_and(~completing, std::memory_order_release);
      throw;
    }
    publish_completion(vt::source_status::succeeded);
  }
  void set_exception(std::exception_ptr error) {
    if (!error) throw std::invalid_argument("lockfree::source: set_exception(nullptr)");
    const bool canceled = examples::is_cancellation(error);
    claim_completion();
    outcome_written_.write();
    error_ = std::move(error);
    publish_completion(canceled ? vt::source_status::canceled : vt::source_status::faulted);
  }
  void set_canceled(vt::cancellation_token token) {
    set_exception(std::make_exception_ptr(vt::operation_canceled("lockfree::source: canceled", std::move(token))));
  }

  vt::source_status status(vt::token_t token) const override {
    const word w = state_.load(std::memory_order_acquire);
    require_current(w, token);
    return (w & completed) != 0 ? static_cast<vt::source_status>((w & status_mask) >> status_shift) : vt::source_status::pending;
  }

  // Claims the slot, writes it, then publishes it; whichever of the completion and the
  // publication comes second hands the continuation on. Registered after the completion,
  // it is posted, never run on the registering thread.
  void on_completed(vt::continuation_fn fn, void* state, vt::token_t token, vt::on_completed_flags flags) override {
    if (fn == nullptr) throw std::invalid_argument("lockfree::source: on_completed(nullptr)");
    vt::executor* context =
        vt::has_flag(flags, vt::on_completed_flags::use_scheduling_context) ? vt::current_executor() : nullptr;
    word w = state_.load(std::memory_order_acquire);
    do {
      require_current(w, token);
      if ((w & registering) != 0) throw misuse("a second continuation", token);
    } while (!state_.compare_exchange_weak(w, w | registering, std::memory_order_acquire, std::memory_order_acquire));
    continuation_written_.write();
    continuation_ = {fn, state, context};
    word before;
    if constexpr (Flaw == flaw::continuation_stored_plainly) {
      before = state_.load(std::memory_order_acquire);
      state_.store(before | registered, std::memory_order_release);
    } else {
      before = state_.fetch_or(registered, std::memory_order_acq_rel);
    }
    if ((before & completed) != 0) post({fn, state, context});
  }

  // Consumes: the claim refuses a second consumer, the outcome moves out, and the source
  // goes back to its pool even when moving the value out throws. A refused call changes
  // nothing.
  T get_result(vt::token_t token) override {
    word w = state_.load(std::memory_order_acquire);
    for (;;) {
      require_current(w, token);
      if ((w & completed) == 0) throw misuse("a result read before completion", token);
      // A registration between its claim and its publication still writes the slot: the
      // next generation's registration must not meet it there.
      if ((w & registering) != 0 && (w & registered) == 0) {
        vt::sync::spin_pause();
        w = state_.load(std::memory_order_acquire);
        continue;
      }
      if (state_.compare_exchange_weak(w, w | consumed, std::memory_order_acquire, std::memory_order_acquire)) break;
    }
    struct recycle_on_exit {
      source& self;
      ~recycle_on_exit() { self.recycle(); }
    } recycle{*this};
    outcome_written_.read();
    if (static_cast<vt::source_status>((w & status_mask) >> status_shift) != vt::source_status::succeeded) {
      std::rethrow_exception(error_);
    }
    if constexpr (!std::is_void_v<T>) return std::move(*value_);
  }

private:
  friend pool<T, Flaw>;
  using stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;
  struct continuation {
    vt::continuation_fn fn = nullptr;
    void* state = nullptr;
    vt::executor* context = nullptr;
  };

  source(pool<T, Flaw>& owner, vt::token_t first_version) noexcept : state_(first_version), pool_(&owner) {}

  static vt::invalid_operation misuse(const char* what, vt::token_t token) {
    return vt::invalid_operation(std::string("lockfree::source: ") + what + " at version " + std::to_string(token));
  }
  // Idle sources take no token; a rented one only its current version's, until a consumer
  // claims it.
  static void require_current(word w, vt::token_t token) {
    if ((w & rented) == 0 || version_of(w) != token) {
      throw vt::invalid_operation("lockfree::source: token " + std::to_string(token) + ", version " +
                                  std::to_string(version_of(w)) + ((w & rented) != 0 ? "" : " (idle)"));
    }
    if ((w & consumed) != 0) throw misuse("a token already consumed", token);
  }

  void claim_completion() {
    word w = state_.load(std::memory_order_relaxed);
    do {
      if ((w & rented) == 0) throw vt::invalid_operation("lockfree::source: completed while idle");
      if ((w & completing) != 0) throw misuse("a second completion", version_of(w));
    } while (!state_.compare_exchange_weak(w, w | completing, std::memory_order_acquire, std::memory_order_relaxed));
  }
  // Publishes the outcome with its status. A continuation already written is read before the
  // publication (afterwards a consumer may recycle the source and the next renter write the
  // slot), and run once the outcome is out.
  void publish_completion(vt::source_status status) {
    constexpr auto publication =
        Flaw == flaw::completion_published_relaxed ? std::memory_order_acquire : std::memory_order_acq_rel;
    const word outcome = completed | (static_cast<word>(status) << status_shift);
    word w = state_.load(std::memory_order_acquire);
    continuation waiting;
    do {
      waiting = {};
      if ((w & registered) != 0) {
        continuation_written_.read();
        waiting = continuation_;
      }
    } while (!state_.compare_exchange_weak(w, w | outcome, publication, std::memory_order_acquire));
    if (waiting.fn == nullptr) return;
    if (waiting.context != nullptr || asynchronously_.load(std::memory_order_relaxed)) {
      post(waiting);
    } else {
      waiting.fn(waiting.state);  // directly, at any depth
    }
  }
  static void post(const continuation& c) { (c.context != nullptr ? *c.context : vt::default_executor()).post(c.fn, c.state); }

  void mark_rented() { state_.store(state_.load(std::memory_order_relaxed) | rented, std::memory_order_release); }
  // The consumer's: the outcome cleared, the next version published idle, back to the pool.
  void recycle() noexcept {
    outcome_written_.write();
    value_.reset();
    error_ = nullptr;
    const vt::token_t next = static_cast<vt::token_t>(version_of(state_.load(std::memory_order_relaxed)) + 1);
    state_.store(next, std::memory_order_release);
    pool_->give_back(*this);
  }

  vt::sync::atomic<word> state_;
  vt::sync::atomic<bool> asynchronously_{false};
  // Ordered by the word: the outcome is written under the completion's claim and read under
  // the consumption's; the slot is written under the registration's claim.
  std::optional<stored> value_;
  std::exception_ptr error_;
  vt::sync::access_marker outcome_written_;
  continuation continuation_;
  vt::sync::access_marker continuation_written_;
  pool<T, Flaw>* pool_;
};

}  // namespace lockfree
