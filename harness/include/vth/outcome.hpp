#pragma once
// What one step did, as the model predicts it and as the runtime showed it: one small
// struct per thing a step can show, compared whole (defaulted ==) and printed by describe.
// The model keeps its operations' results in the same type, so that both sides speak one
// language.
#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include <vth/misuse.hpp>

namespace vth {

// One error inside an aggregate_error, as far as a step shows it.
struct inner_error {
  enum class kind : std::uint8_t {
    none,                // no error at this place (the aggregate holds fewer)
    harness_error,       // `code` is its value
    invalid_operation,
    out_of_memory,       // std::bad_alloc
    operation_canceled,  // held as a fault
    aggregate_error,     // nested, not flattened
  };
  kind what = kind::none;
  long code = 0;

  friend bool operator==(const inner_error&, const inner_error&) = default;
};
inline inner_error harness_error_inside(long code) noexcept { return {inner_error::kind::harness_error, code}; }

namespace outcomes {

struct skipped {  // the op did not apply (e.g. its source slot holds no live rental)
  friend bool operator==(const skipped&, const skipped&) = default;
};
struct done {  // completed without a value
  long detail = 0;  // what ran (an event, below), or 0
  friend bool operator==(const done&, const done&) = default;
};
struct value {  // produced a number (a result, a count, a yes/no)
  long number = 0;
  friend bool operator==(const value&, const value&) = default;
};
struct status {  // a source_status or a task state, as its number
  long state = 0;
  friend bool operator==(const status&, const status&) = default;
};
struct error {  // a harness_error (set_exception's payload, an injected fault)
  long code = 0;
  friend bool operator==(const error&, const error&) = default;
};
struct canceled {  // operation_canceled
  long by = -1;  // the cancellation slot whose token it carries, or -1 for none
  friend bool operator==(const canceled&, const canceled&) = default;
};
struct invalid_operation {
  misuse_report misuse;  // what the rejection names (unnamed where it is not read)
  friend bool operator==(const invalid_operation&, const invalid_operation&) = default;
};
struct invalid_argument {
  friend bool operator==(const invalid_argument&, const invalid_argument&) = default;
};
struct pool_exhausted {
  friend bool operator==(const pool_exhausted&, const pool_exhausted&) = default;
};
struct aggregate {  // an aggregate_error: how many it holds, and the first three
  long count = 0;
  std::array<inner_error, 3> first{};
  friend bool operator==(const aggregate&, const aggregate&) = default;
};
struct callbacks {  // the cancellation callbacks one cancel() ran
  long count = 0;
  std::array<long, 2> first{-1, -1};  // by registration number (the order of cancel_on ops), in the order they ran
  friend bool operator==(const callbacks&, const callbacks&) = default;
};
struct out_of_memory {  // std::bad_alloc
  friend bool operator==(const out_of_memory&, const out_of_memory&) = default;
};

}  // namespace outcomes

using outcome = std::variant<outcomes::skipped, outcomes::done, outcomes::value, outcomes::status, outcomes::error,
                             outcomes::canceled, outcomes::invalid_operation, outcomes::invalid_argument,
                             outcomes::pool_exhausted, outcomes::aggregate, outcomes::callbacks, outcomes::out_of_memory>;

// Whether an outcome (or anything built on one) is the alternative `Alternative`.
template <class Alternative>
bool is(const outcome& o) noexcept {
  return std::holds_alternative<Alternative>(o);
}

// An aggregate_error's outcome from the whole list of its inner errors, in order.
outcomes::aggregate aggregate_of(const std::vector<inner_error>& errors);
// The callbacks one cancel() ran, by registration number, in the order they ran.
outcomes::callbacks callbacks_of(const std::vector<long>& ran);

std::string describe(const outcome& o);
// For GoogleTest's messages.
inline void PrintTo(const outcome& o, std::ostream* out) { *out << describe(o); }
// A step's events in order, for a report: "resumed coroutine #3, raw continuation #0".
std::string describe_events(const std::vector<long>& events);

// What a scheduler item was, recorded as the first event it caused (run_one's detail).
inline constexpr long resumed_coroutine_event = 1'000'000;
inline constexpr long raw_continuation_event = 2'000'000;
inline constexpr long completion_event = 3'000'000;

}  // namespace vth
