#pragma once
// The runner's machinery, for scenario_runner.hpp: the step loop that checks the runtime side
// of a scenario (system_under_test.hpp) against the model, step by step. A header so that a
// binary can instantiate it with its own sources.
#include <memory>

#include <vth/detail/step_verdict.hpp>
#include <vth/detail/system_under_test.hpp>

namespace vth::detail {

// After a violation nothing more of the source under test runs: cleaning up a scenario that
// broke the contract runs its code on broken state (a value never built, destroyed), which
// can end the process before the violation is reported, shrunk and printed, or leak and turn
// a failed property into LeakSanitizer's report at exit. What the scenario holds stays
// alive, and out of LeakSanitizer's count.
extern "C" __attribute__((weak)) void __lsan_ignore_object(const void* p);
template <class System>
void abandon(std::unique_ptr<System>& sut) noexcept {
  sut->leave_as_it_is();
  System* kept = sut.release();
  if (__lsan_ignore_object != nullptr) __lsan_ignore_object(kept);
}

// One input op on both sides: its predicted and its actual outcome. `fail_at`: the
// allocation an allocation_fails op just before it armed, if any.
template <class System>
std::pair<outcome, outcome> apply_on_both_sides(model& expected_model, System& sut, const op& o,
                                              std::optional<long> fail_at) {
  outcome expected, actual;
  // Ops that rent go to the runtime first: which idle source its pool hands out may be
  // the pool's choice, and the model takes it where the contract allows it.
  const auto model_apply = [&](const op& applied) {
    expected_model.observe_pool_choices(sut.take_pool_choices());
    return expected_model.apply(applied);
  };
  if (fail_at && allocation_failure_applies(o.code)) {  // armed only where the hook is installed
    // The runtime goes first: where its allocations fall is not the contract's business,
    // only what a failing one leaves behind (the model's state untouched).
    actual = sut.apply_failing_allocation(o, *fail_at);
    if (!sut.allocation_failed()) {
      expected = model_apply(o);  // the op made fewer allocations than that
    } else if (is<outcomes::out_of_memory>(actual) || (o.code != op_code::when_all && o.code != op_code::when_all_into)) {
      expected = {outcomes::out_of_memory{}};  // propagated; the model's state stays as it was
    } else {
      // A when_all whose inputs had all completed builds its results at once: the failure
      // faults the when_all. Nothing else in the op may have swallowed it.
      expected = expected_model.apply_failing_result_build(o).value_or(outcome{outcomes::out_of_memory{}});
    }
  } else if (o.code == op_code::rent || o.code == op_code::recycle) {
    actual = sut.apply(o);
    expected = model_apply(o);
  } else {
    expected = expected_model.apply(o);
    actual = sut.apply(o);
  }
  return {expected, actual};
}

template <class Value, class Sources>
report run_with(const scenario& s, step_watcher* watcher) {
  report result;
  result.steps.reserve(s.ops.size());
  model expected_model(s.settings, choices_of<Sources>());
  auto sut = std::make_unique<system_under_test<Value, Sources>>(s.settings);
  auto fail = [&](int step, property what, std::string message) {
    result.failed_step = step;
    result.violated = what;
    result.failure = std::move(message);
    abandon(sut);
    return false;
  };
  auto fail_as = [&](int step, step_failure failure) {
    if (failure.token_lag) result.token_lag = *failure.token_lag;
    return fail(step, failure.violated, std::move(failure.message));
  };
  // Refilled after every step; kept across scenarios on this thread, so their buffers are
  // allocated once (a fuzz target runs thousands of scenarios a second).
  thread_local state_snapshot expected_state, actual_state;
  // A token the model turned away in a step that otherwise held: where the rejection leaves
  // nothing a snapshot holds, the runtime's acceptance shows only in a later step, and that
  // later difference is this stale token's. (An await of a stale copy now shows at once, in
  // its coroutine's and its task's state.)
  std::optional<std::int64_t> unobserved_rejection;
  // Records one step and checks it: its outcome, then the state it leaves.
  auto step_holds = [&](const op& o, const outcome& predicted, const outcome& actual) {
    const outcome expected = as_the_runtime_names_it<Sources>(predicted);
    result.steps.push_back({o, expected, actual});
    const int step = static_cast<int>(result.steps.size()) - 1;
    if (!agree(expected, actual)) {
      return fail_as(step, classify_outcome_difference(expected, actual, expected_model.last_token_rejection()));
    }
    if (const auto winner = expected_model.last_race_winner();
        winner && !agree(as_the_runtime_names_it<Sources>(*winner), sut->race_winner())) {
      return fail(step, property::model_agreement,
                  "the race's winner read " + describe(sut->race_winner()) + " where the contract says " +
                      describe(as_the_runtime_names_it<Sources>(*winner)));
    }
    settle_default_executor();
    violation problem = sut->first_violation();
    if (!problem) {
      expected_model.snapshot(expected_state);
      sut->snapshot(actual_state);
      problem = first_difference(expected_state, actual_state, vt::token_bits);
    }
    if (problem) {
      return fail_as(step, classify_state_difference(std::move(problem), expected, expected_model.last_token_rejection(),
                                                     unobserved_rejection));
    }
    // The order of side effects: in a step whose continuations all run on the harness
    // thread, every coroutine it resumed and raw continuation it ran, in order (section 6's
    // inline runs and their deferral past the depth limit, the scheduler's order).
    if (info(o.code).flags.continuations_on_the_harness_thread && sut->step_events() != expected_model.step_events()) {
      return fail(step, property::model_agreement,
                  "the runtime ran " + describe_events(sut->step_events()) + " where the contract says " +
                      describe_events(expected_model.step_events()));
    }
    // A rejection the op's own outcome showed (invalid_operation on both sides) hides nothing.
    if (const auto lag = expected_model.last_token_rejection(); lag && !is<outcomes::invalid_operation>(expected)) {
      unobserved_rejection = lag;
    }
    return true;
  };
  std::optional<long> armed_allocation;  // an allocation_fails op's choice, for the op after it
  for (const op& o : s.ops) {
    if (watcher != nullptr) watcher->before_step(s, result, o);
    const std::optional<long> fail_at = std::exchange(armed_allocation, std::nullopt);
    if (o.code == op_code::allocation_fails && allocation_faults::installed()) armed_allocation = o.args[0];
    const auto [expected, actual] = apply_on_both_sides(expected_model, *sut, o, fail_at);
    (void)sut->take_pool_choices();  // any rent outside those ops is the model's own to predict
    if (!step_holds(o, expected, actual)) return result;
  }
  // The drain: the model says what brings the scenario to rest, both sides do it, and each
  // of its steps is checked like the input's.
  for (int drained = 0;; ++drained) {
    expected_model.snapshot(expected_state);
    const std::optional<op> next = next_drain_op(expected_state);
    if (!next) break;
    if (drained == max_drain_ops) {
      fail(static_cast<int>(result.steps.size()), property::harness_consistency,
           "the drain did not converge in " + std::to_string(max_drain_ops) + " ops (a harness bug)");
      return result;
    }
    if (watcher != nullptr) watcher->before_step(s, result, *next);
    const outcome expected = expected_model.apply(*next);
    const outcome actual = sut->apply(*next);
    if (!step_holds(*next, expected, actual)) return result;
  }
  const int end = static_cast<int>(result.steps.size());
  if (std::string stuck = expected_model.stuck(); !stuck.empty()) {
    fail(end, property::harness_consistency, "the model itself is stuck (a harness bug): " + stuck);
    return result;
  }
  settle_default_executor();
  if (violation problem = sut->end_checks(expected_model)) {
    result.failed_step = end;
    result.violated = problem.what;
    result.failure = std::move(problem.message);
    abandon(sut);
  }
  return result;
}

}  // namespace vth::detail
