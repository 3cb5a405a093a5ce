// Property 4: every registered continuation runs exactly once, every awaiting coroutine
// resumes exactly once, nothing resumes after destruction (ASan watches that part).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "support/scenario_generators.hpp"

namespace {

RC_GTEST_PROP(exactly_once, continuations_and_awaiters_resume_exactly_once, ()) {
  vth_properties::check_scenario(*vth_properties::gen_scenario(vth_properties::exactly_once_profile()),
                                 "exactly_once");
}

// The same, where continuations nest past the inline-resumption limit (section 6) and the
// deferred ones must still run, once each, in the order the model gives.
RC_GTEST_PROP(exactly_once, deferred_inline_continuations_run_once_each_in_order, ()) {
  vth_properties::check_scenario(*vth_properties::gen_scenario(vth_properties::nesting_profile()),
                                 "exactly_once_nesting");
}

}  // namespace
