#pragma once
// The error scenarios and programs throw: it carries a value, so the model can predict
// exactly which error reaches which await.
#include <stdexcept>
#include <string>

namespace vth {

class harness_error : public std::runtime_error {
public:
  explicit harness_error(long value) : std::runtime_error("error" + std::to_string(value)), value_(value) {}
  long value() const noexcept { return value_; }

private:
  long value_;
};

}  // namespace vth
