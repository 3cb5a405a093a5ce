#include <vth/source_races.hpp>

namespace vth {

namespace {
// Set before main by a binary that checks other sources (checked_sources), read by each race.
std::atomic<race_runner> installed_races{&race<vtlab_pools>};
}  // namespace

void use_race_runner(race_runner runner) noexcept { installed_races.store(runner); }

std::string run_race(source_race which, int rounds) { return installed_races.load(std::memory_order_relaxed)(which, rounds); }

}  // namespace vth
