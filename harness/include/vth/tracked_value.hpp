#pragma once
// A result type whose moves, lifetime and faults show:
// - a copy keeps the value, a move leaves the moved-from object reading `moved_from`, so
//   a runtime that moves where the contract requires a copy (a task's shared result handed
//   to a second awaiter, a raw core's re-readable result) reads the sentinel;
// - the number lives in a heap cell, so a value destroyed twice, or never, is an
//   AddressSanitizer / LeakSanitizer report rather than silence;
// - a poisoned value throws `harness_error(injected_fault_code)` from every copy (or every
//   move): the user code that section 9 of the contract says the runtime must survive.
//   Copies keep the poison; a value computed from a poisoned one is poisoned too.
#include <memory>

#include <vth/allocation_faults.hpp>
#include <vth/harness_error.hpp>

namespace vth {

enum class poison : unsigned char {
  none,
  copy_throws,  // every copy (construction or assignment) throws; moves work
  move_throws,  // every move (construction or assignment) throws; copies work
};

class tracked_value {
public:
  static constexpr long moved_from = -1'000'000'007;

  tracked_value() : cell_(new_cell(0)) {}
  tracked_value(long value, poison p = poison::none)  // NOLINT: values convert implicitly
      : cell_(new_cell(value)), poison_(p) {}
  tracked_value(const tracked_value& other) : cell_(copy_cell(other)), poison_(other.poison_) {}
  tracked_value(tracked_value&& other) : cell_(take_cell(other)), poison_(other.poison_) {}
  tracked_value& operator=(const tracked_value& other) {
    if (this != &other) {
      cell_ = copy_cell(other);  // throws before anything changes
      poison_ = other.poison_;
    }
    return *this;
  }
  tracked_value& operator=(tracked_value&& other) {
    if (this != &other) {
      cell_ = take_cell(other);
      poison_ = other.poison_;
    }
    return *this;
  }
  ~tracked_value() = default;

  long value() const noexcept { return cell_ ? *cell_ : moved_from; }
  poison poisoned() const noexcept { return poison_; }
  friend bool operator==(const tracked_value& a, const tracked_value& b) noexcept { return a.value() == b.value(); }

private:
  static std::unique_ptr<long> copy_cell(const tracked_value& from) {
    if (from.poison_ == poison::copy_throws) throw harness_error(injected_fault_code);
    return from.cell_ ? new_cell(*from.cell_) : nullptr;
  }
  // The harness's own allocation: an operator new failure armed for the runtime passes it by.
  static std::unique_ptr<long> new_cell(long value) {
    allocation_faults::pause harness_allocation;
    return std::make_unique<long>(value);
  }
  static std::unique_ptr<long> take_cell(tracked_value& from) {
    if (from.poison_ == poison::move_throws) throw harness_error(injected_fault_code);
    return std::move(from.cell_);
  }

  std::unique_ptr<long> cell_;
  poison poison_ = poison::none;
};

}  // namespace vth
