#include <vth/runner.hpp>

#include <atomic>

#include <vth/scenario_runner.hpp>

namespace vth {

namespace {
// Set before main by a binary that checks other sources, read by every run.
std::atomic<scenario_runner> installed_runner{&run_scenario_on<vtlab_pools>};
}  // namespace

void use_scenario_runner(scenario_runner runner) noexcept { installed_runner.store(runner); }

report run_scenario(const scenario& s, step_watcher* watcher) {
  return installed_runner.load(std::memory_order_relaxed)(s, watcher);
}

bool is_token_wraparound(const report& r, int token_bits) noexcept {
  const std::int64_t cycle = std::int64_t{1} << token_bits;
  return r.violated == property::stale_token_rejection && r.token_lag > 0 && r.token_lag % cycle == 0;
}

}  // namespace vth
