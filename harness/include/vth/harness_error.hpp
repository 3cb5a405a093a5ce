#pragma once
// The error scenarios and programs throw: it carries a value, so the model can predict
// exactly which error reaches which await. No message string: the fuzz targets throw it
// on most inputs, and the value is what every report prints.
#include <exception>

namespace vth {

class harness_error : public std::exception {
public:
  explicit harness_error(long value) noexcept : value_(value) {}
  long value() const noexcept { return value_; }
  const char* what() const noexcept override { return "vth::harness_error"; }

private:
  long value_;
};

}  // namespace vth
