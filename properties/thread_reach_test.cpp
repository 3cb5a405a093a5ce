// Thread reach: of the places where the runtime's state crosses threads
// (vt/detail/thread_reach.hpp), which the threads profile's scenarios exercise from two
// threads within one scenario, and how often, measured like the op histogram. A place no
// scenario reaches from two threads is a concurrency bug the threads property (and its
// ThreadSanitizer leg) cannot see: this test fails on one.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include <vt/detail/thread_reach.hpp>
#include <vth/runner.hpp>

#include "support/scenario_generators.hpp"

namespace {

using vt::detail::crossing;

// Places no op can reach from two threads in a scenario, each with why: none at present.
bool out_of_reach(crossing) { return false; }

TEST(thread_reach, the_threads_profile_reaches_every_crossing_from_two_threads) {
  if (!vt::detail::thread_reach_built) GTEST_SKIP() << "the runtime was built without VT_THREAD_REACH (the default and tsan presets have it)";
  constexpr int scenarios = 1000;
  std::array<int, vt::detail::crossing_count> reached{}, on_two_threads{};
  const auto gen = vth_properties::gen_scenario(vth_properties::threads_profile());
  for (int i = 0; i < scenarios; ++i) {
    const vth::scenario s = gen(rc::Random(static_cast<std::uint64_t>(i) * 7919 + 3), i % (rc::kNominalSize + 1)).value();
    vt::detail::open_thread_reach();
    const vth::report r = vth::run_scenario(s);
    const vt::detail::thread_reach seen = vt::detail::close_thread_reach();
    ASSERT_TRUE(r.ok()) << r.failure;
    for (std::size_t k = 0; k < vt::detail::crossing_count; ++k) {
      reached[k] += seen.reached[k] ? 1 : 0;
      on_two_threads[k] += seen.on_two_threads[k] ? 1 : 0;
    }
  }
  std::printf("thread reach of the threads profile, scenarios per %d: reached / from two threads\n", scenarios);
  for (std::size_t k = 0; k < vt::detail::crossing_count; ++k) {
    const auto where = static_cast<crossing>(k);
    std::printf("  %-26s %5d %5d\n", vt::detail::name(where), reached[k], on_two_threads[k]);
    if (!out_of_reach(where)) {
      EXPECT_GT(on_two_threads[k], 0) << vt::detail::name(where) << " is never exercised from two threads in a scenario";
    }
  }
}

}  // namespace
