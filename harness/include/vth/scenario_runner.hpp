#pragma once
// run_scenario over a source under test of your own (source_under_test.hpp). Include it in
// one source file of a binary and install your sources there:
//
//   #include <vth/scenario_runner.hpp>
//   #include "my_sources.hpp"
//   static const vth::checked_sources<my_sources> installed;  // run_scenario now checks these
//
// vtlab_add_source_checks (cmake/vtlabSourceChecks.cmake) writes that file for you.
#include <vth/detail/scenario_runner_impl.hpp>
#include <vth/declared_choices.hpp>
#include <vth/runner.hpp>
#include <vth/source_races.hpp>
#include <vth/source_under_test.hpp>

namespace vth {

template <source_under_test Sources>
report run_scenario_on(const scenario& s, step_watcher* watcher = nullptr) {
  switch (s.settings.values) {
    case value_type::int_value: return detail::run_with<int, Sources>(s, watcher);
    case value_type::tracked: return detail::run_with<tracked_value, Sources>(s, watcher);
    case value_type::void_value: return detail::run_with<void, Sources>(s, watcher);
  }
  return detail::run_with<int, Sources>(s, watcher);
}

// While one exists (make it a static object), run_scenario, run_race and
// check_declared_dispatch check `Sources`.
// An adapter that does not meet source_under_test is told which requirement it misses.
template <class Sources>
struct checked_sources {
  static_assert(check_source_under_test<Sources>());
  checked_sources() noexcept {
    use_scenario_runner(&run_scenario_on<Sources>);
    use_race_runner(&race<Sources>);
    use_declared_dispatch_check(&declared_dispatch_holds<Sources>);
  }
};

}  // namespace vth
