#pragma once
// The outcome of one operation: nothing yet, a value, an error, or a cancellation.
// Not synchronized: its owner publishes it (see the source core and task_state).
#include <exception>
#include <new>
#include <utility>

#include <vt/detail/stored.hpp>
#include <vt/errors.hpp>
#include <vt/value_task_source.hpp>

namespace vt::detail {

template <class T>
class outcome {
public:
  using value_type = stored_t<T>;

  outcome() noexcept {}
  outcome(const outcome&) = delete;
  outcome& operator=(const outcome&) = delete;
  ~outcome() { destroy_held(); }

  source_status status() const noexcept { return status_; }

  // Requires an empty outcome (new, or cleared).
  template <class... Args>
  void set_value(Args&&... args) {
    ::new (static_cast<void*>(&value_)) value_type(std::forward<Args>(args)...);
    status_ = source_status::succeeded;
  }
  // An operation_canceled inside completes as canceled, anything else as faulted.
  void set_error(std::exception_ptr error) {
    const source_status status = is_cancellation(error) ? source_status::canceled : source_status::faulted;
    set_error_as(std::move(error), status);
  }
  // Replaces whatever the outcome held.
  void set_error_as(std::exception_ptr error, source_status status) noexcept {
    clear();
    ::new (static_cast<void*>(&error_)) std::exception_ptr(std::move(error));
    status_ = status;
  }

  value_type& value() noexcept { return value_; }
  const value_type& value() const noexcept { return value_; }
  // The stored error; null unless faulted or canceled.
  std::exception_ptr error() const noexcept { return holds_error() ? error_ : nullptr; }

  // A copy of the value, or the stored error rethrown (the same exception object).
  T get() const {
    if (status_ != source_status::succeeded) std::rethrow_exception(error());
    if constexpr (!std::is_void_v<T>) return value_;
  }
  // Moves the value out (or rethrows); the outcome is left for clear().
  T take() {
    if (status_ != source_status::succeeded) std::rethrow_exception(error());
    if constexpr (!std::is_void_v<T>) return std::move(value_);
  }

  void clear() noexcept {
    destroy_held();
    status_ = source_status::pending;
  }

  // Moves this outcome into `target` (which must be empty); a pending one leaves it empty.
  void move_into(outcome& target) {
    if (status_ == source_status::succeeded) {
      target.set_value(std::move(value_));
    } else if (holds_error()) {
      target.set_error_as(error_, status_);
    }
  }

private:
  bool holds_error() const noexcept {
    return status_ != source_status::succeeded && status_ != source_status::pending;
  }
  // Ends the life of whichever member status_ says lives (the status is left to the caller).
  void destroy_held() noexcept {
    if (status_ == source_status::succeeded) {
      value_.~value_type();
    } else if (holds_error()) {
      error_.~exception_ptr();
    }
  }

  // Which member lives is status_'s to say: a value when succeeded, an error when faulted
  // or canceled, neither while pending (so a new outcome costs one store).
  source_status status_ = source_status::pending;
  union {
    value_type value_;
    std::exception_ptr error_;
  };
};

}  // namespace vt::detail
