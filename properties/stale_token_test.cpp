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

// A token a few generations ahead (forged, or copied from a future rental) equals the
// version once the current generation is consumed and the source sits idle in its pool;
// until somebody rents it again, every use of that token is rejected. Whatever follows
// (a rent may make the token legitimately current) must still agree with the model.
RC_GTEST_PROP(stale_token, a_future_token_is_rejected_while_its_source_is_idle, ()) {
  using vth::op_code;
  const auto ahead = static_cast<std::uint8_t>(127 + *rc::gen::inRange(1, 4));  // version + 1..3
  const auto consume = *rc::gen::element(op_code::result, op_code::as_task, op_code::await_in_task);
  vth::scenario s;
  s.ops.push_back({op_code::rent, {0, 0, 0}});
  s.ops.push_back({op_code::wrap, {0, 0, 0}});
  s.ops.push_back({op_code::wrap_wrong_token, {1, 0, ahead}});
  for (int step = 1; step < ahead - 127; ++step) s.ops.push_back({op_code::recycle, {0, 0, 0}});
  s.ops.push_back({op_code::wrap, {0, 0, 0}});  // the generation just before the token's
  s.ops.push_back({op_code::set_result, {0, 5, 0}});
  s.ops.push_back({consume, {consume == op_code::result ? std::uint8_t{0} : std::uint8_t{1}, 0, 0}});
  const auto use = *rc::gen::element(op_code::status, op_code::result, op_code::as_task, op_code::preserve,
                                     op_code::await_in_task, op_code::await_in_value_task, op_code::register_raw);
  s.ops.push_back({use, {use == op_code::status || use == op_code::result || use == op_code::register_raw
                             ? std::uint8_t{1} : std::uint8_t{2},
                         1, 0}});
  for (const vth::op& o : (*vth_properties::gen_scenario(vth_properties::stale_token_profile())).ops) s.ops.push_back(o);
  vth_properties::check_scenario(s, "stale_token_future");
}

}  // namespace
