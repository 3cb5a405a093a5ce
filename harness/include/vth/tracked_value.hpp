#pragma once
// A result type whose moves show: a copy keeps the value, a move leaves the moved-from
// object holding `moved_from`. Scenarios run with it (value type `tracked`) catch a
// runtime that moves where the contract requires a copy (a task's shared result handed to
// a second awaiter, a raw core's re-readable result), which an int cannot show.
namespace vth {

class tracked_value {
public:
  static constexpr long moved_from = -1'000'000'007;

  tracked_value() noexcept = default;
  tracked_value(long value) noexcept : value_(value) {}  // NOLINT: values convert implicitly
  tracked_value(const tracked_value&) noexcept = default;
  tracked_value& operator=(const tracked_value&) noexcept = default;
  tracked_value(tracked_value&& other) noexcept : value_(other.value_) { other.value_ = moved_from; }
  tracked_value& operator=(tracked_value&& other) noexcept {
    if (this != &other) {
      value_ = other.value_;
      other.value_ = moved_from;
    }
    return *this;
  }
  ~tracked_value() = default;

  long value() const noexcept { return value_; }
  friend bool operator==(const tracked_value&, const tracked_value&) = default;

private:
  long value_ = 0;
};

}  // namespace vth
