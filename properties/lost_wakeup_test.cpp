// Property 5: when the scheduler goes idle nothing that can still complete waits forever,
// and at scenario end every coroutine finished and every source is back in its pool
// (the pool counters agree with the model; LeakSanitizer checks the frames at exit).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "support/scenario_generators.hpp"

namespace {

RC_GTEST_PROP(no_lost_wakeups, everything_finishes_and_returns_to_its_pool, ()) {
  vth_properties::check_scenario(*vth_properties::gen_scenario(vth_properties::lost_wakeup_profile()),
                                 "no_lost_wakeups");
}

}  // namespace
