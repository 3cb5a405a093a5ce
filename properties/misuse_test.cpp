// Property 6: every misuse in docs/semantics.md section 8 gives exactly the listed outcome:
// scenarios heavy in double consumption, stale copies, early results, double completion,
// second awaiters and wrong tokens, checked step by step against the model (the
// bad-argument rows are in misuse_arguments_test.cpp).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "support/scenario_generators.hpp"

namespace {

RC_GTEST_PROP(misuse, every_misuse_gets_the_listed_outcome, ()) {
  vth_properties::check_scenario(*vth_properties::gen_scenario(vth_properties::misuse_profile()), "misuse");
}

}  // namespace
