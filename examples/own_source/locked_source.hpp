#pragma once
// A user's pooled value_task source written from scratch, without vt's core: one mutex
// guards each source's state, and a continuation registered before the completion is
// called directly by the completing thread (as .NET's ManualResetValueTaskSourceCore calls
// it), at whatever depth the completion runs. A continuation registered after the
// completion is posted, never run on the registering thread. The pool is the examples'
// stack of idle sources (source_stack_pool.hpp).
//
// Nothing here knows about vtlab's harness: adapters.hpp adapts it.
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
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
#include <vt/value_task_source.hpp>

#include "is_cancellation.hpp"
#include "source_stack_pool.hpp"

namespace locked {

template <class T>
class source;
template <class T>
using pool = examples::source_stack_pool<source<T>>;

template <class T>
class source final : public vt::value_task_source<T> {
public:
  vt::token_t version() const {
    std::lock_guard lock(mutex_);
    return version_;
  }
  bool is_rented() const {
    std::lock_guard lock(mutex_);
    return rented_;
  }
  bool run_continuations_asynchronously() const {
    std::lock_guard lock(mutex_);
    return asynchronously_;
  }
  void run_continuations_asynchronously(bool value) {
    std::lock_guard lock(mutex_);
    asynchronously_ = value;
  }

  template <class... Args>
  void set_result(Args&&... args) {
    std::unique_lock lock(mutex_);
    require_incomplete();
    value_.emplace(std::forward<Args>(args)...);  // a value that cannot be stored changes nothing
    status_ = vt::source_status::succeeded;
    complete(lock);
  }
  void set_exception(std::exception_ptr error) {
    if (!error) throw std::invalid_argument("locked::source: set_exception(nullptr)");
    std::unique_lock lock(mutex_);
    require_incomplete();
    status_ = examples::is_cancellation(error) ? vt::source_status::canceled : vt::source_status::faulted;
    error_ = std::move(error);
    complete(lock);
  }
  void set_canceled(vt::cancellation_token token) {
    set_exception(std::make_exception_ptr(vt::operation_canceled("locked::source: canceled", std::move(token))));
  }

  vt::source_status status(vt::token_t token) const override {
    std::lock_guard lock(mutex_);
    require_current(token);
    return completed_ ? status_ : vt::source_status::pending;
  }

  void on_completed(vt::continuation_fn fn, void* state, vt::token_t token, vt::on_completed_flags flags) override {
    if (fn == nullptr) throw std::invalid_argument("locked::source: on_completed(nullptr)");
    vt::executor* context =
        vt::has_flag(flags, vt::on_completed_flags::use_scheduling_context) ? vt::current_executor() : nullptr;
    std::unique_lock lock(mutex_);
    require_current(token);
    if (claimed_) throw vt::invalid_operation("locked::source: a second continuation at version " + std::to_string(token));
    claimed_ = true;
    if (!completed_) {
      continuation_ = {fn, state, context};
      return;
    }
    lock.unlock();  // completed first: posted, never run on the registering thread
    (context != nullptr ? *context : vt::default_executor()).post(fn, state);
  }

  // Consumes: the outcome moves out, and the source goes back to its pool even when
  // moving the value out throws (.NET's finally). A refused call changes nothing.
  T get_result(vt::token_t token) override {
    std::unique_lock lock(mutex_);
    require_current(token);
    if (!completed_) throw vt::invalid_operation("locked::source: result before completion at version " + std::to_string(token));
    struct recycle_on_exit {
      source& self;
      std::unique_lock<std::mutex>& lock;
      ~recycle_on_exit() {
        self.reset();
        lock.unlock();
        self.pool_->give_back(self);
      }
    } recycle{*this, lock};
    if (status_ != vt::source_status::succeeded) std::rethrow_exception(error_);
    if constexpr (!std::is_void_v<T>) return std::move(*value_);
  }

private:
  friend pool<T>;
  using stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;
  struct continuation {
    vt::continuation_fn fn = nullptr;
    void* state = nullptr;
    vt::executor* context = nullptr;
  };

  source(pool<T>& owner, vt::token_t first_version) noexcept : version_(first_version), pool_(&owner) {}

  // Idle sources take no token; a rented one only its current version's.
  void require_current(vt::token_t token) const {
    if (!rented_ || token != version_) {
      throw vt::invalid_operation("locked::source: token " + std::to_string(token) + ", version " + std::to_string(version_) +
                                  (rented_ ? "" : " (idle)"));
    }
  }
  void require_incomplete() const {
    if (!rented_) throw vt::invalid_operation("locked::source: completed while idle");
    if (completed_) throw vt::invalid_operation("locked::source: completed twice at version " + std::to_string(version_));
  }
  // Publishes the outcome (the lock's release does) and tells the continuation, if one waits.
  void complete(std::unique_lock<std::mutex>& lock) {
    completed_ = true;
    const continuation waiting = std::exchange(continuation_, {});
    const bool asynchronously = asynchronously_;
    lock.unlock();
    if (waiting.fn == nullptr) return;
    if (waiting.context != nullptr) {
      waiting.context->post(waiting.fn, waiting.state);
    } else if (asynchronously) {
      vt::default_executor().post(waiting.fn, waiting.state);
    } else {
      waiting.fn(waiting.state);  // directly, at any depth
    }
  }
  void mark_rented() {
    std::lock_guard lock(mutex_);
    rented_ = true;
  }
  void reset() noexcept {
    ++version_;
    completed_ = claimed_ = rented_ = false;
    continuation_ = {};
    value_.reset();
    error_ = nullptr;
  }

  mutable std::mutex mutex_;
  vt::token_t version_;
  bool rented_ = false;
  bool completed_ = false;
  bool claimed_ = false;  // this generation's continuation slot is taken
  bool asynchronously_ = false;
  vt::source_status status_ = vt::source_status::pending;
  std::optional<stored> value_;
  std::exception_ptr error_;
  continuation continuation_;
  pool<T>* pool_;
};

}  // namespace locked
