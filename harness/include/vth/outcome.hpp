#pragma once
// What one step did, as the model predicts it and as the runtime showed it.
#include <cstdint>
#include <string>
#include <vector>

namespace vth {

enum class outcome_kind : std::uint8_t {
  skipped,            // the op did not apply (e.g. its source slot holds no live rental)
  done,               // completed without a value; `value` may carry a detail (what ran, how many)
  value,              // produced an int
  status,             // a source_status, as int
  error,              // a harness error carrying `value` (set_exception's payload)
  canceled,           // operation_canceled; value = cancellation slot, or -1 for none
  invalid_operation,
  invalid_argument,
  pool_exhausted,
  aggregate,  // an aggregate_error: its count and first three inner errors (see aggregate_code)
  callbacks,  // the cancellation callbacks a cancel() ran, in the order they ran (see callbacks_code)
  out_of_memory,  // std::bad_alloc
};

struct outcome {
  outcome_kind kind = outcome_kind::done;
  long value = 0;

  friend bool operator==(const outcome&, const outcome&) = default;
};

std::string describe(const outcome& o);
// A step's events in order, for a report: "resumed coroutine #3, raw continuation #0".
std::string describe_events(const std::vector<long>& events);

// One inner error of an aggregate, as a number below 1,000: a harness error's value, or
// invalid_operation_code.
inline constexpr long invalid_operation_code = 999;
inline constexpr long out_of_memory_code = 998;  // std::bad_alloc
inline constexpr long cancellation_code = 993;  // an operation_canceled held as a fault (below the injected faults, harness_error.hpp)
inline constexpr long aggregate_inner_code = 991;  // an aggregate_error inside one (nested, not flattened)
// An aggregate's count and its first three inner errors, in order (a when_all of two inputs
// holds two, one over a user's nested aggregate more).
inline long aggregate_code(long count, long first, long second, long third = 0) noexcept {
  return count * 1'000'000'000 + first * 1'000'000 + second * 1'000 + third;
}
// The same from the whole list of inner errors, in order.
inline long aggregate_code(const std::vector<long>& errors) noexcept {
  const auto at = [&](std::size_t i) { return i < errors.size() ? errors[i] : 0; };
  return aggregate_code(static_cast<long>(errors.size()), at(0), at(1), at(2));
}

// The cancellation callbacks one cancel() ran, by registration number (the order of the
// scenario's cancel_on ops), in the order they ran: their count and the first two.
long callbacks_code(const std::vector<long>& ran) noexcept;

// What a scheduler item was, recorded as the first event it caused (run_one's detail).
inline constexpr long resumed_coroutine_event = 1'000'000;
inline constexpr long raw_continuation_event = 2'000'000;
inline constexpr long completion_event = 3'000'000;

}  // namespace vth
