#pragma once
// Which misuse an invalid_operation names. The contract's errors table (docs/semantics.md
// section 1) makes a rejection name its misuse ("stale token 7, source is at version 9"):
// vt's carry it as values (vt::invalid_operation::misuse(), token(), version()), the runner
// reads them, the model predicts them, and a rejection that names another misuse than the
// one committed fails the scenario, as an accepted misuse does.
#include <cstdint>
#include <string>
#include <string_view>

#include <vt/errors.hpp>

namespace vth {

enum class named_misuse : std::uint8_t {
  unnamed,                  // not read (a source whose adapter does not name misuse), or none recognized
  stale_token,              // a token of another generation: older, newer, or already consumed
  idle_source,              // a token equal to the version of a source idle in its pool
  before_completion,        // a result read before completion (a source's get_result, a task's result())
  double_completion,        // a generation completed twice
  second_continuation,      // a second continuation on one generation
  reset_with_continuation,  // reset() over a registered continuation that has not run
  empty_task,               // a default-constructed or moved-from task used
  consumed_twice,           // a generation consumed again before its source moved on: a source's own
                            //   word (vt's consumption moves the version first, so vt names a stale token)
  // Predicted by the model only: the loser of two consumptions racing. The contract asks for
  // an invalid_operation naming the misuse, and either name is true of it: consumed twice,
  // or, where the winner's recycle came first, a stale token 1 generation behind.
  lost_consumption_race,
};

// What a rejection names: the misuse, and for a stale token how far its
// version is behind the source's (version - token; negative for a newer token). The model
// counts exactly (width 0); a runtime counts modulo 2^width, its token width, which is how
// its messages word it.
struct misuse_report {
  named_misuse kind = named_misuse::unnamed;
  int width = 0;
  std::int64_t distance = 0;

  friend bool operator==(const misuse_report&, const misuse_report&) = default;
};

misuse_report stale_token(std::int64_t version_minus_token) noexcept;
// A stale token whose distance the model cannot know: a value_task coroutine's result,
// whose source the runtime's coroutine pool may have handed to other coroutines since.
inline constexpr int unknown_distance = 63;  // as a width: any distance agrees
misuse_report stale_token_of_unknown_distance() noexcept;
// The loser of two consumptions racing, as the model predicts it.
misuse_report lost_consumption_race() noexcept;
// Whether a runtime's report `named` is a name the model's `predicted` allows (the runtime's
// token width `token_bits`).
bool allows(const misuse_report& predicted, const misuse_report& named, int token_bits) noexcept;
// The same report as a runtime whose tokens are `token_bits` wide words it.
misuse_report at_width(misuse_report report, int token_bits) noexcept;

// "stale token, 3 generations behind", "stale token, 1 generation ahead"; "" for unnamed.
std::string describe(const misuse_report& report);

// "1 generation", "3 generations".
std::string generations(std::int64_t count);
// What a token `lag` generations behind its source's version is, for a failure message:
// "a token 3 generations behind its source", "a token 1 generation ahead of its source", or,
// at no distance, "a token for a source that is back in its pool (idle)".
std::string token_at_lag(std::int64_t lag);

// The misuse a rejection of vt's reports, from its values; unnamed for one built from a
// message alone (misuse::unspecified).
misuse_report misuse_reported(const vt::invalid_operation& rejection, int token_bits) noexcept;

}  // namespace vth
