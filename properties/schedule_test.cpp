// The harness explores schedules through the runtime's choosers (docs/semantics.md section 6).
// Programs check each choice a chooser makes: a list replays exactly, a seeded chooser
// repeats itself from its seed (vth/schedule_check.hpp). What no single run can show is a
// seeded random chooser that never picks some ready item, which would hide every schedule
// that needs it: here, over many choices among the same number of ready items, each
// item is picked.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <vector>

#include <vt/schedule_chooser.hpp>

namespace {

RC_GTEST_PROP(schedules, a_seeded_random_choice_reaches_every_ready_item, (std::uint64_t seed)) {
  const auto ready = *rc::gen::inRange<std::size_t>(1, 17);
  vt::random_chooser chooser(seed);
  std::vector<int> picked(ready, 0);
  // 100 choices per item: the chance that a uniform choice misses one is below 17 e^-100.
  for (std::size_t i = 0; i < 100 * ready; ++i) {
    const std::size_t choice = chooser.choose(ready);
    RC_ASSERT(choice < ready);
    ++picked[choice];
  }
  for (std::size_t item = 0; item < ready; ++item) {
    RC_ASSERT(picked[item] > 0);
  }
}

}  // namespace
