#pragma once
// RapidCheck generators for scenarios and programs. A profile weights the ops, so each
// property spends its cases where its bug lives; RapidCheck shrinks a failing scenario by
// dropping ops and lowering arguments, down to a few steps.
#include <string>
#include <utility>
#include <vector>

#include <rapidcheck.h>

#include <vth/aim.hpp>
#include <vth/program.hpp>
#include <vth/scenario.hpp>

namespace vth_properties {

struct profile {
  std::vector<std::pair<int, vth::op_code>> weights;
  int max_ops = 40;
  int wraparound_weight = 1;  // relative weight of a 65,536-fold recycle among recycles
  bool tracked_values = false;  // only tracked values (else int, tracked and void alike)
  // Where the bug a property looks for lives in lawful traffic, a drawn misuse is moved to
  // where the op is lawful when it can be (vth/aim.hpp); the misuse properties keep theirs.
  vth::misuse drawn_misuse = vth::misuse::aimed_past;
};

profile stale_token_profile();
profile exactly_once_profile();
profile lost_wakeup_profile();
profile misuse_profile();
profile faults_profile();
profile threads_profile();
profile nesting_profile();
profile dotnet_profile();

// Every profile a property draws from, by name: what the reach and completeness tests cover.
struct named_profile {
  const char* name;
  profile p;
};
std::vector<named_profile> every_profile();

rc::Gen<vth::op> gen_op(const profile& p);
rc::Gen<vth::scenario_settings> gen_settings(bool tracked_values = false);
// Scenarios with their ops aimed at what they can act on (vth/aim.hpp), measured by the
// reach properties.
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
