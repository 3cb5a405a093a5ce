#pragma once
// The error scenarios and programs throw: it carries a value, so the model can predict
// exactly which error reaches which await. No message string: the fuzz targets throw it
// on most inputs, and the value is what every report prints.
#include <exception>

namespace vth {

// The harness_error values of faults injected into user code (section 9 of the contract),
// each below 1,000 so that it fits an aggregate code.
inline constexpr long injected_fault_code = 997;     // a poisoned value's copy or move
inline constexpr long continuation_fault_code = 996; // a continuation that throws
inline constexpr long post_fault_code = 995;         // an executor whose post throws
inline constexpr long callback_fault_code = 994;     // a cancellation callback that throws
inline constexpr long suspension_skipped_code = 992; // a yield that resumed on its own thread, a delay that ended early

class harness_error : public std::exception {
public:
  explicit harness_error(long value) noexcept : value_(value) {}
  long value() const noexcept { return value_; }
  const char* what() const noexcept override { return "vth::harness_error"; }

private:
  long value_;
};

}  // namespace vth
