#pragma once
// The source protocol: what a source-backed value_task wraps (.NET IValueTaskSource<T>).
#include <vt/config.hpp>
#include <vt/executor.hpp>

namespace vt {

enum class source_status : unsigned char { pending, succeeded, faulted, canceled };

enum class on_completed_flags : unsigned {
  none = 0,
  use_scheduling_context = 1,
  flow_execution_context = 2,  // accepted; C++ has no ambient execution context to flow
};

constexpr on_completed_flags operator|(on_completed_flags a, on_completed_flags b) noexcept {
  return static_cast<on_completed_flags>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
constexpr bool has_flag(on_completed_flags flags, on_completed_flags flag) noexcept {
  return (static_cast<unsigned>(flags) & static_cast<unsigned>(flag)) != 0;
}

const char* to_string(source_status status) noexcept;

namespace detail {
template <class T>
class outcome;
template <class T>
class source_bridge_state;
}  // namespace detail

template <class T>
class value_task_source {
public:
  virtual source_status status(token_t token) const = 0;
  virtual T get_result(token_t token) = 0;  // consumes the outcome
  virtual void on_completed(continuation_fn fn, void* state, token_t token,
                            on_completed_flags flags) = 0;

protected:
  ~value_task_source() = default;

  // as_task's bridge consumes through this first: a source that can hand its outcome over
  // without throwing a fault or cancellation (and then rethrowing it into a task) does so
  // and returns true; misuse still throws. The default declines: get_result is used.
  virtual bool consume_into(token_t /*token*/, detail::outcome<T>& /*into*/) { return false; }

private:
  template <class>
  friend class detail::source_bridge_state;
};

}  // namespace vt
