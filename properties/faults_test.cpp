// Property 10: faults in user code (semantics.md section 9). Values whose copy or move
// throws, continuations and cancellation callbacks that throw, executors whose post
// throws, and continuation chains deeper than the inline-resumption limit, among the
// usual traffic: each fault reaches the caller the contract names, and afterwards the
// usual end checks hold (everything runs exactly once, nothing leaks, pools exact).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "support/scenario_generators.hpp"

namespace {

RC_GTEST_PROP(faults_in_user_code, runtime_stays_whole_and_reports_each_fault, ()) {
  vth_properties::check_scenario(*vth_properties::gen_scenario(vth_properties::faults_profile()), "faults");
}

}  // namespace
