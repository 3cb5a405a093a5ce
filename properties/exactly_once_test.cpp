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

}  // namespace
