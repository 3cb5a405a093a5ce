#pragma once
// A result type for section 9's tests: it owns a heap cell (a value destroyed twice or
// never is an AddressSanitizer / LeakSanitizer report), and a countdown shared by all
// instances makes the Nth copy or move from now throw, wherever the runtime makes it.
#include <memory>
#include <stdexcept>

namespace vt_test {

struct fragile_error : std::runtime_error {
  fragile_error() : std::runtime_error("fragile_value: copy or move failed") {}
};

class fragile_value {
public:
  // The next `n` copies and moves succeed; the one after throws (once). Negative: never.
  static void fail_after(int n) noexcept { countdown() = n; }

  explicit fragile_value(int value) : cell_(std::make_unique<int>(value)) {}
  fragile_value(const fragile_value& other) : cell_(std::make_unique<int>((tick(), *other.cell_))) {}
  fragile_value(fragile_value&& other) : cell_((tick(), std::move(other.cell_))) {}
  fragile_value& operator=(const fragile_value& other) {
    tick();
    cell_ = std::make_unique<int>(*other.cell_);
    return *this;
  }
  fragile_value& operator=(fragile_value&& other) {
    tick();
    cell_ = std::move(other.cell_);
    return *this;
  }
  ~fragile_value() = default;

  int value() const noexcept { return cell_ ? *cell_ : -1; }

private:
  static int& countdown() noexcept {
    static int remaining = -1;
    return remaining;
  }
  static void tick() {
    int& remaining = countdown();
    if (remaining < 0) return;
    if (remaining-- == 0) throw fragile_error();
  }
  std::unique_ptr<int> cell_;
};

// Disarms the countdown at the end of a test, whatever happened.
struct fragile_reset {
  ~fragile_reset() { fragile_value::fail_after(-1); }
};

}  // namespace vt_test
