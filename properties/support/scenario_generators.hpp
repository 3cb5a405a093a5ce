#pragma once
// RapidCheck generators for scenarios and programs. A profile weights the ops, so each
// property spends its cases where its bug lives; RapidCheck shrinks a failing scenario by
// dropping ops and lowering arguments, down to a few steps.
#include <string>
#include <utility>
#include <vector>

#include <rapidcheck.h>

#include <vth/program.hpp>
#include <vth/scenario.hpp>

namespace vth_properties {

struct profile {
  std::vector<std::pair<int, vth::op_code>> weights;
  int max_ops = 40;
  int wraparound_weight = 1;  // relative weight of a 65,536-fold recycle among recycles
  bool tracked_values = false;  // only tracked values (else int, tracked and void alike)
};

profile stale_token_profile();
profile exactly_once_profile();
profile lost_wakeup_profile();
profile misuse_profile();
profile faults_profile();
profile threads_profile();

rc::Gen<vth::op> gen_op(const profile& p);
rc::Gen<vth::scenario_settings> gen_settings(bool tracked_values = false);
// Drawn blindly, most ops on sources and registrations named a slot holding nothing live and
// did nothing on either side (measured, exactly_once profile: wrap 87%, set_result 90%,
// register_raw 94% skipped). gen_scenario therefore aims each op the model would skip at
// the next argument value where it applies, or else puts before it the one or two ops that
// give it something to act on (a rental, a value_task over it, a when_all, a cancellation
// registration); an op nothing makes apply stays as drawn.
std::vector<vth::op> aimed_at_live_slots(const std::vector<vth::op>& drawn, const vth::scenario_settings& settings);
rc::Gen<vth::scenario> gen_scenario(const profile& p);
rc::Gen<vth::program> gen_program();

// Runs the scenario; on a contract violation it writes the scenario's bytes to a file,
// then fails the property with the trace, the file's path and a ready-to-paste test.
void check_scenario(const vth::scenario& s, const std::string& property);

// The same for a program (task / value_task equivalence).
void check_program(const vth::program& p, const std::string& property);

}  // namespace vth_properties

namespace rc {
template <>
struct Arbitrary<vth::scenario> {
  static Gen<vth::scenario> arbitrary();
};
}  // namespace rc
