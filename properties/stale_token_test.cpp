// Property 1: every use of a value_task whose source moved to a later version throws
// invalid_operation, never returns a value, never touches the current generation; in the
// default build for any number of recycles a scenario can reach. Built a second time with
// VT_TOKEN_BITS=16, where it must find the ABA hazard (ctest expects that failure).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "support/scenario_generators.hpp"

namespace {

RC_GTEST_PROP(stale_token, stale_and_wrong_tokens_are_always_rejected, ()) {
  vth_properties::check_scenario(*vth_properties::gen_scenario(vth_properties::stale_token_profile()),
                                 "stale_token");
}

// A copy taken before n recycles, used after them: any n up to the recycle budget,
// token-width multiples included.
RC_GTEST_PROP(stale_token, a_copy_stays_stale_for_any_number_of_recycles, ()) {
  const int recycles = *rc::gen::weightedOneOf<int>({{4, rc::gen::inRange(1, 300)},
                                                     {1, rc::gen::element(65'536, 131'072)},
                                                     {1, rc::gen::inRange(65'530, 65'542)}});
  vth::scenario s;
  s.ops.push_back({vth::op_code::rent, {0, 0, 0}});
  s.ops.push_back({vth::op_code::wrap, {0, 0, 0}});
  for (int left = recycles; left > 0; left -= 65'536) {
    const int count = std::min(left, 65'536) - 1;
    s.ops.push_back({vth::op_code::recycle, {0, static_cast<std::uint8_t>(count / 256), static_cast<std::uint8_t>(count % 256)}});
  }
  const auto use = *rc::gen::element(vth::op_code::status, vth::op_code::result, vth::op_code::register_raw,
                                     vth::op_code::await_in_task);
  s.ops.push_back({use, {0, 0, 0}});
  s.ops.push_back({vth::op_code::set_result, {0, 7, 0}});
  s.ops.push_back({vth::op_code::result, {0, 0, 0}});
  vth_properties::check_scenario(s, "stale_token_recycles");
}

}  // namespace
