#pragma once
// A task_state completed by code rather than by a coroutine body: task factories,
// as_task over a pending source, when_all, when_any, run and delay.
#include <utility>
#include <vector>

#include <vt/detail/task_state.hpp>

namespace vt::detail {

template <class T>
class manual_task_state : public task_state<T> {
public:
  // One reference, owned by the caller.
  static manual_task_state* create() { return new manual_task_state(); }

  // Each completes once and resumes the waiters; the caller must hold a reference.
  template <class... Args>
  void complete_value(Args&&... args) {
    this->outcome_.set_value(std::forward<Args>(args)...);
    this->publish_completion();
  }
  // Canceled for an operation_canceled, faulted for anything else.
  void complete_error(std::exception_ptr error) {
    this->outcome_.set_error(std::move(error));
    this->publish_completion();
  }
  // Faulted whatever the exception (Task.FromException keeps a cancellation faulted).
  void complete_faulted(std::exception_ptr error) {
    this->outcome_.set_error_as(std::move(error), source_status::faulted);
    this->publish_completion();
  }
  // Faulted with an aggregate_error of `errors`; awaiting rethrows errors.front().
  void complete_aggregate(std::vector<std::exception_ptr> errors) {
    // Two statements: the temporary aggregate_error (whose message string it shares with
    // the stored copy) dies before completion publishes the copy to other threads. Marked
    // an aggregate only once one exists: building it may throw bad_alloc.
    auto error = std::make_exception_ptr(aggregate_error(std::move(errors)));
    this->aggregate_ = true;
    complete_faulted(std::move(error));
  }
  // Takes `source`'s outcome as its own (moving the value out). A value whose move throws
  // completes this task faulted with that exception: completion runs in jobs and
  // continuations, which have nobody to throw to (nothing ends in std::terminate).
  void complete_from(outcome<T>&& source) noexcept {
    if (source.status() != source_status::succeeded) {
      this->outcome_.set_error_as(source.error(), source.status());
    } else if constexpr (std::is_void_v<T>) {
      this->outcome_.set_value();
    } else {
      try {
        this->outcome_.set_value(std::move(source.value()));
      } catch (...) {
        this->outcome_.set_error(std::current_exception());
      }
    }
    this->publish_completion();
  }
  // Completes with what `produce` returns, or faulted (canceled, for an operation_canceled)
  // with what it throws, the result built in place: one move of a returned value, inside
  // the guard.
  template <class Produce>
  void complete_with_result_of(Produce&& produce) noexcept {
    try {
      if constexpr (std::is_void_v<T>) {
        std::forward<Produce>(produce)();
        this->outcome_.set_value();
      } else {
        this->outcome_.set_value(std::forward<Produce>(produce)());
      }
    } catch (...) {
      this->outcome_.set_error(std::current_exception());
    }
    this->publish_completion();
  }

protected:
  manual_task_state() noexcept : task_state<T>(1) {}
  virtual ~manual_task_state() = default;
  void destroy() noexcept override { delete this; }
};

}  // namespace vt::detail
