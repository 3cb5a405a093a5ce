// The source under test on two real threads (vth/source_races.hpp): a completion racing a
// registration, two consumptions of one generation, a stale call racing the recycle. Each
// holds in every round; run under ThreadSanitizer too, where a publication without the
// ordering it needs is a report even when no round shows it.
#include <gtest/gtest.h>

#include <vth/source_races.hpp>

namespace {

// Rounds are cheap (a few microseconds); a lost wakeup's window is a few instructions
// wide, and about one round in 30,000 lands in such a window here.
constexpr int rounds = 100'000;
constexpr int registration_rounds = 1'000'000;

TEST(source_races, a_completion_racing_a_registration_runs_the_continuation_once) {
  EXPECT_EQ(vth::run_race(vth::source_race::completion_vs_registration, registration_rounds), "");
}

TEST(source_races, two_consumptions_of_one_generation_let_exactly_one_read_it) {
  EXPECT_EQ(vth::run_race(vth::source_race::consumption_vs_consumption, rounds), "");
}

TEST(source_races, a_stale_call_racing_the_recycle_is_refused_or_reads_its_own_generation) {
  EXPECT_EQ(vth::run_race(vth::source_race::stale_call_vs_recycle, rounds), "");
}

}  // namespace
