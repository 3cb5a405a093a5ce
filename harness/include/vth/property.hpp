#pragma once
// The contract's properties, as a failure names them. The runner sets the property where it
// detects the violation; reports, crash deduplication, the 16-bit verdicts and the mutant
// runner read this value, never the wording of a message.
#include <cstdint>
#include <string>
#include <string_view>

namespace vth {

enum class property : std::uint8_t {
  none,                         // the contract held
  stale_token_rejection,        // a stale, future or wrong token was accepted
  misuse_reported,              // another misuse of section 8 was accepted
  no_false_misuse,              // invalid_operation where the contract has none
  model_agreement,              // an outcome or an observed state differs from the model
  exactly_once,                 // a continuation ran, or a coroutine resumed, more than once
  no_lost_wakeups,              // something that could complete waits forever
  no_leaks,                     // a source never went back to its pool
  task_value_task_equivalence,  // a program gave different results under task and value_task
  harness_consistency,          // the model itself is stuck: a harness bug, not a runtime one
};

std::string_view name(property p) noexcept;  // e.g. "stale-token-rejection"

// A broken property and what broke it, for people.
struct violation {
  property what = property::none;
  std::string message;
  explicit operator bool() const noexcept { return what != property::none; }
};

}  // namespace vth
