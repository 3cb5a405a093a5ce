#pragma once
// A step's verdict: whether the runtime's outcome is one the model's prediction allows, and,
// where not, which property of the contract it breaks.
#include <optional>
#include <string>

#include <vt/vt.hpp>
#include <vth/misuse.hpp>
#include <vth/outcome.hpp>
#include <vth/property.hpp>
#include <vth/snapshot.hpp>
#include <vth/source_under_test.hpp>

namespace vth::detail {

// The model's prediction as far as the runtime can word it: no misuse named where the
// adapter does not name one.
template <class Sources>
outcome as_the_runtime_names_it(outcome predicted) {
  if constexpr (!names_misuse<Sources>) {
    if (is<outcomes::invalid_operation>(predicted)) predicted = outcomes::invalid_operation{};
  }
  return predicted;
}

// Outcomes agree; a stale token's distance counts modulo the runtime's token width (the
// model's is exact, and the trace shows it so).
inline bool agree(const outcome& expected, const outcome& actual) {
  const auto* predicted = std::get_if<outcomes::invalid_operation>(&expected);
  const auto* named = std::get_if<outcomes::invalid_operation>(&actual);
  if (predicted == nullptr || named == nullptr) return expected == actual;
  return allows(predicted->misuse, named->misuse, static_cast<int>(vt::token_bits));
}

// A step that broke the contract, classified: the property it breaks, why, and, where a
// stale token is to blame, how far behind its source it was.
struct step_failure {
  property violated = property::none;
  std::string message;
  std::optional<std::int64_t> token_lag;
};

// The step's outcomes disagree. `rejected_lag`: how far behind its source a token was that
// the model turned away in this step, if it turned one away.
inline step_failure classify_outcome_difference(const outcome& expected, const outcome& actual,
                                                std::optional<std::int64_t> rejected_lag) {
  std::string message = "the runtime gave " + describe(actual) + " where the contract says " + describe(expected);
  if (is<outcomes::invalid_operation>(expected) && is<outcomes::invalid_operation>(actual)) {
    // Refused as anything but a stale token where the model turned one away: the runtime
    // took the token for its current generation (in a narrow build, the ABA hazard).
    const named_misuse named = std::get<outcomes::invalid_operation>(actual).misuse.kind;
    if (rejected_lag && *rejected_lag != 0 && named != named_misuse::stale_token && named != named_misuse::unnamed) {
      return {property::stale_token_rejection, message + " (" + token_at_lag(*rejected_lag) + " was taken as current)",
              rejected_lag};
    }
    return {property::misuse_reported, message + " (the rejection names another misuse)", std::nullopt};
  }
  if (is<outcomes::invalid_operation>(expected)) {
    if (rejected_lag) {
      return {property::stale_token_rejection, message + " (" + token_at_lag(*rejected_lag) + " was accepted)", rejected_lag};
    }
    return {property::misuse_reported, message + " (a misuse was accepted)", std::nullopt};
  }
  if (is<outcomes::invalid_operation>(actual)) return {property::no_false_misuse, message, std::nullopt};
  return {property::model_agreement, message, std::nullopt};
}

// The step's outcome held but the state it left differs (`problem`). A token the model
// turned away in this step (`this_step_lag`) or, unseen, in an earlier one
// (`unobserved_lag`) is to blame for a difference of its shape.
inline step_failure classify_state_difference(violation problem, const outcome& expected,
                                              std::optional<std::int64_t> this_step_lag,
                                              std::optional<std::int64_t> unobserved_lag) {
  // The op's outcome matched, but the state did not, in a step where the model turned a
  // token away (e.g. a coroutine's await of a stale copy): the runtime accepted it, and its
  // coroutine waits where the model's finished with the rejection.
  const auto lag = this_step_lag ? this_step_lag : unobserved_lag;
  const bool token_shaped = problem.what == property::model_agreement || problem.what == property::no_lost_wakeups;
  if (token_shaped && lag) {
    return {property::stale_token_rejection,
            problem.message + " (the model rejected " + token_at_lag(*lag) +
                (this_step_lag ? " in this step)" : " in an earlier step)"),
            lag};
  }
  // Or a misuse both sides rejected, but the runtime's rejection changed the state
  // (section 8: a misuse changes nothing).
  if (problem.what == property::model_agreement && is<outcomes::invalid_operation>(expected)) {
    return {property::misuse_reported, problem.message + " (a rejected misuse changed the state)", std::nullopt};
  }
  return {problem.what, std::move(problem.message), std::nullopt};
}

}  // namespace vth::detail
