// The drain (snapshot.hpp): after an input's last op the model chooses the ops that bring
// the scenario to rest, both sides perform them, and the trace shows them; and the one
// comparison of model and runtime state reads both the same way.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <vth/printer.hpp>
#include <vth/runner.hpp>
#include <vth/snapshot.hpp>

#include "support/scenario_generators.hpp"

namespace {

using vth::op;
using vth::op_code;

bool drains(const op& o) { return vth::is_drain(o.code) || o.code == op_code::core_complete; }

RC_GTEST_PROP(drain, follows_every_input_op_and_only_drain_ops, ()) {
  namespace vp = vth_properties;
  const vp::profile profiles[] = {vp::exactly_once_profile(), vp::lost_wakeup_profile(), vp::misuse_profile(),
                                  vp::faults_profile()};
  const vth::scenario s = *vp::gen_scenario(profiles[*rc::gen::inRange(0, 4)]);
  const vth::report r = vth::run_scenario(s);
  RC_ASSERT(r.ok());
  RC_ASSERT(r.steps.size() >= s.ops.size());
  for (std::size_t i = 0; i < s.ops.size(); ++i) RC_ASSERT(r.steps[i].operation == s.ops[i]);
  for (std::size_t i = s.ops.size(); i < r.steps.size(); ++i) RC_ASSERT(drains(r.steps[i].operation));
  RC_TAG(r.steps.size() - s.ops.size() > 0 ? "drained something" : "already at rest");
}

TEST(drain, completes_consumes_and_runs_what_the_input_left) {
  const vth::scenario s{{
      {op_code::rent, {0, 0, 0}},           // S0 pending
      {op_code::wrap, {0, 0, 0}},           // V0 = S0
      {op_code::await_in_task, {0, 0, 0}},  // T0 waits on V0 (and consumes it)
      {op_code::rent, {1, 0, 0}},           // S1: pending, nobody waits
  }};
  const vth::report r = vth::run_scenario(s);
  ASSERT_TRUE(r.ok()) << vth::print_trace(s, r);
  std::vector<op_code> drained;
  for (std::size_t i = s.ops.size(); i < r.steps.size(); ++i) drained.push_back(r.steps[i].operation.code);
  // S0 completes (T0's resumption is posted to the scheduler), S1 completes; the scheduler
  // runs T0, which consumes S0; the cores complete; S1 is consumed (its value: the drain's 0).
  const std::vector<op_code> want{op_code::drain_complete, op_code::drain_settle,  op_code::drain_complete,
                                  op_code::core_complete,  op_code::core_complete, op_code::drain_consume};
  EXPECT_EQ(drained, want) << vth::print_trace(s, r);
  EXPECT_EQ(r.steps.back().actual, (vth::outcome{vth::outcomes::value{0}}));
  EXPECT_NE(vth::print_trace(s, r).find("drain_consume source #1"), std::string::npos);
}

TEST(drain, a_rested_state_needs_nothing) {
  vth::state_snapshot s;
  s.pool_sources = {{7, false, false}};
  s.cores = {{0, true, true}};
  s.coroutine_results = {{0, false, false}};
  EXPECT_EQ(vth::next_drain_op(s), std::nullopt);
  s.scheduled = 1;
  EXPECT_EQ(vth::next_drain_op(s)->code, op_code::drain_settle);
}

TEST(snapshot, versions_compare_modulo_the_token_width) {
  vth::state_snapshot model, runtime;
  model.pool_sources = {{65536 + 3, true, false}};
  runtime.pool_sources = {{3, true, false}};
  EXPECT_FALSE(vth::first_difference(model, runtime, 16));
  EXPECT_EQ(vth::first_difference(model, runtime, 32).what, vth::property::model_agreement);
}

TEST(snapshot, fewer_scheduled_items_than_the_model_is_a_lost_wakeup) {
  vth::state_snapshot model, runtime;
  model.scheduled = 2;
  runtime.scheduled = 1;
  EXPECT_EQ(vth::first_difference(model, runtime, 32).what, vth::property::no_lost_wakeups);
  EXPECT_EQ(vth::first_difference(runtime, model, 32).what, vth::property::model_agreement);
}

TEST(snapshot, a_coroutine_result_left_unconsumed_differs) {
  vth::state_snapshot model, runtime;
  model.coroutine_results = {{0, false, false}};   // consumed
  runtime.coroutine_results = {{0, true, true}};   // still completed, unconsumed
  const vth::violation v = vth::first_difference(model, runtime, 32);
  EXPECT_EQ(v.what, vth::property::model_agreement);
  EXPECT_NE(v.message.find("coroutine result #0"), std::string::npos) << v.message;
}

TEST(snapshot, coroutines_are_compared_at_every_step) {
  vth::state_snapshot model, runtime;
  model.coroutines = {{1, true}};
  runtime.coroutines = {{0, false}};  // the model's resumed; the runtime's still waits
  EXPECT_EQ(vth::first_difference(model, runtime, 32).what, vth::property::no_lost_wakeups);
  runtime.coroutines = {{2, true}};
  EXPECT_EQ(vth::first_difference(model, runtime, 32).what, vth::property::exactly_once);
  model.coroutines = {{0, false}};
  runtime.coroutines = {{1, true}};  // resumed before the model's
  const vth::violation early = vth::first_difference(model, runtime, 32);
  EXPECT_EQ(early.what, vth::property::model_agreement);
  EXPECT_NE(early.message.find("coroutine #0 resumed 1 times"), std::string::npos) << early.message;
  runtime.coroutines = {{0, false}, {0, false}};
  EXPECT_TRUE(vth::first_difference(model, runtime, 32));
}

TEST(snapshot, task_states_are_compared_at_every_step) {
  using vth::task_state;
  vth::state_snapshot model, runtime;
  model.tasks = runtime.tasks = {task_state::pending, task_state::succeeded};
  model.when_alls = runtime.when_alls = {task_state::empty, task_state::pending};
  EXPECT_FALSE(vth::first_difference(model, runtime, 32));
  runtime.tasks[1] = task_state::faulted;
  const vth::violation slot = vth::first_difference(model, runtime, 32);
  EXPECT_EQ(slot.what, vth::property::model_agreement);
  EXPECT_NE(slot.message.find("T1 is faulted; the model's is succeeded"), std::string::npos) << slot.message;
  runtime.tasks = model.tasks;
  runtime.when_alls[1] = task_state::canceled;
  EXPECT_NE(vth::first_difference(model, runtime, 32).message.find("W1 is canceled"), std::string::npos);
  runtime.when_alls = model.when_alls;
  model.value_tasks = {{vth::backing::task, task_state::pending}};
  runtime.value_tasks = {{vth::backing::task, task_state::succeeded}};
  EXPECT_NE(vth::first_difference(model, runtime, 32).message.find("V0 is task-backed (its task succeeded)"),
            std::string::npos);
}

TEST(snapshot, cancellation_requests_are_compared_at_every_step) {
  vth::state_snapshot model, runtime;
  model.cancellations = {false, true};
  runtime.cancellations = {false, false};
  const vth::violation v = vth::first_difference(model, runtime, 32);
  EXPECT_EQ(v.what, vth::property::model_agreement);
  EXPECT_NE(v.message.find("K1 is not canceled"), std::string::npos) << v.message;
}

}  // namespace
