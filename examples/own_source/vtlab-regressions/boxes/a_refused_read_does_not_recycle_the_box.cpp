// A regression test: a file of its own in a regressions folder (vtlab_add_source_checks
// compiles every .cpp in <folder>/ against the source under test).
#include <gtest/gtest.h>

#include <cstdint>
#include <variant>
#include <vector>

#include <vth/codec.hpp>
#include <vth/printer.hpp>
#include <vth/program.hpp>
#include <vth/runner.hpp>

// Printed by boxes_recycled_in_finally_campaign.sh for the box recycled in a finally: the
// recycle's consumption is refused (as_task consumed the generation first) and still
// recycled the box under its renter. The fixed box passes it.
TEST(scenario_regression, a_refused_read_does_not_recycle_the_box) {
  const vth::scenario s{{
      {vth::op_code::rent, {0, 0, 0}},  // rent S0
      {vth::op_code::wrap, {0, 0, 0}},  // wrap V0 S0
      {vth::op_code::as_task, {0, 0, 0}},  // as_task T0 <- V0
      {vth::op_code::recycle, {0, 0, 0}},  // recycle S0 x1
  }, {vth::op_alphabet::full, vth::value_type::int_value, vth::recycle_budget::small, 0u}};
  const vth::report r = vth::run_scenario(s);
  EXPECT_TRUE(r.ok()) << vth::print_trace(s, r);
}
