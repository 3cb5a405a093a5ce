// The codec: decoding is total and encoding canonical, so a property counterexample is a
// fuzz input and a fuzz input prints as a scenario.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <vth/codec.hpp>
#include <vth/program.hpp>

#include "support/scenario_generators.hpp"

namespace {

RC_GTEST_PROP(codec, every_byte_string_decodes_to_a_canonical_scenario, (std::vector<std::uint8_t> bytes)) {
  const vth::scenario s = vth::decode(bytes);
  RC_ASSERT(vth::is_canonical(s));
  RC_ASSERT(vth::decode(vth::encode(s)) == s);
}

RC_GTEST_PROP(codec, encode_then_decode_is_the_identity, ()) {
  const vth::scenario s = *vth_properties::gen_scenario(vth_properties::lost_wakeup_profile());
  RC_ASSERT(vth::is_canonical(s));
  RC_ASSERT(vth::decode(vth::encode(s)) == s);
}

RC_GTEST_PROP(codec, programs_round_trip, (std::vector<std::uint8_t> bytes)) {
  const vth::program p = vth::decode_program(bytes);
  RC_ASSERT(vth::decode_program(vth::encode_program(p)) == p);
  const vth::program q = *vth_properties::gen_program();
  RC_ASSERT(vth::decode_program(vth::encode_program(q)) == q);
}

}  // namespace
