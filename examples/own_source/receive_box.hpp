#pragma once
// A user's pooled value_task source, written the way much .NET code writes one: a box
// around a manual_reset core, rented from a pool per receive and recycled when its result
// is read. Two versions, one line apart:
//
//   recycling::in_finally         .NET's classic: GetResult is `try { return core.GetResult(token); }
//                                 finally { Reset(); pool.Return(this); }`, so a GetResult that the
//                                 core rejects (a stale copy, a result read too early) still
//                                 recycles the box under its current renter.
//   recycling::after_validation   the fix: the token is checked first; only a consumption the
//                                 core accepts recycles the box.
//
// and, for either, which idle box the pool hands out next: the one returned last (a stack,
// as vt's pool does) or the one returned first (a queue). Both are correct: the contract
// leaves the choice to the pool.
//
// Nothing here knows about vtlab's harness: adapters.hpp adapts it.
#include <atomic>
#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <vt/errors.hpp>
#include <vt/manual_reset_value_task_source_core.hpp>
#include <vt/value_task_source.hpp>

#include "source_stack_pool.hpp"

namespace boxes {

enum class recycling { in_finally, after_validation };
using examples::reuse;

template <class T, recycling Policy, reuse Order>
class receive_box;
template <class T, recycling Policy, reuse Order = reuse::last_returned_first>
using box_pool = examples::source_stack_pool<receive_box<T, Policy, Order>, Order>;

template <class T, recycling Policy, reuse Order = reuse::last_returned_first>
class receive_box final : public vt::value_task_source<T> {
public:
  vt::token_t version() const noexcept { return core_.version(); }
  bool is_rented() const noexcept { return rented_.load(std::memory_order_acquire); }

  template <class... Args>
  void set_result(Args&&... args) {
    require_rented(version());
    core_.set_result(std::forward<Args>(args)...);
  }
  void set_exception(std::exception_ptr error) {
    require_rented(version());
    core_.set_exception(std::move(error));
  }
  void set_canceled(vt::cancellation_token token = {}) {
    require_rented(version());
    core_.set_canceled(std::move(token));
  }
  bool run_continuations_asynchronously() const noexcept { return core_.run_continuations_asynchronously(); }
  void run_continuations_asynchronously(bool value) noexcept { core_.run_continuations_asynchronously(value); }

  vt::source_status status(vt::token_t token) const override {
    require_rented(token);
    return core_.status(token);
  }
  void on_completed(vt::continuation_fn fn, void* state, vt::token_t token, vt::on_completed_flags flags) override {
    require_rented(token);
    core_.on_completed(fn, state, token, flags);
  }

  T get_result(vt::token_t token) override {
    if constexpr (Policy == recycling::in_finally) {
      recycle_on_exit recycle{*this};  // the finally: whatever happens below
      require_rented(token);
      return core_.get_result(token);
    } else {
      require_rented(token);
      if (core_.status(token) == vt::source_status::pending) return core_.get_result(token);  // throws: too early
      // One consumer per generation, even when two copies are read on two threads at once:
      // the core's get_result only reads, so the box claims the consumption itself.
      if (consumed_.exchange(true, std::memory_order_acq_rel)) {
        throw vt::invalid_operation("receive_box: already consumed at version " + std::to_string(token));
      }
      recycle_on_exit recycle{*this};  // accepted: consumed, even if copying the value out throws
      return core_.get_result(token);
    }
  }

private:
  friend box_pool<T, Policy, Order>;
  explicit receive_box(box_pool<T, Policy, Order>& pool, vt::token_t first_version) noexcept
      : core_(first_version), pool_(&pool) {}

  struct recycle_on_exit {
    receive_box& box;
    ~recycle_on_exit() { box.recycle(); }
  };
  void recycle() noexcept {
    try {
      core_.reset();
    } catch (const vt::invalid_operation&) {  // a continuation still waits: left as it is
    }
    rented_.store(false, std::memory_order_release);
    pool_->give_back(*this);
  }
  void mark_rented() noexcept {
    consumed_.store(false, std::memory_order_relaxed);  // published by the store below
    rented_.store(true, std::memory_order_release);
  }
  // An idle box takes no token: its version belongs to the next renter.
  void require_rented(vt::token_t token) const {
    if (!is_rented()) {
      throw vt::invalid_operation("receive_box: idle at version " + std::to_string(version()) + " (token " +
                                  std::to_string(token) + ")");
    }
  }

  vt::manual_reset_value_task_source_core<T> core_;
  box_pool<T, Policy, Order>* pool_;
  std::atomic<bool> rented_{false};
  std::atomic<bool> consumed_{false};  // this generation's consumption is claimed
};

}  // namespace boxes
