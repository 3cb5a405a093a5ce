#include <vth/targets.hpp>

#include <cstdio>
#include <cstdlib>

#include <vt/config.hpp>
#include <vth/misuse.hpp>
#include <vth/printer.hpp>

namespace vth {

input_run run_input(std::span<const std::uint8_t> bytes, step_watcher* watcher) {
  input_run run;
  run.decoded = decode(bytes);
  if (const scenario* s = std::get_if<scenario>(&run.decoded)) {
    run.scenario_report = run_scenario(*s, watcher);
    run.violated = run.scenario_report.violated;
    run.expected_wraparound = vt::token_bits < 32 && is_token_wraparound(run.scenario_report, vt::token_bits);
  } else if (const program* p = std::get_if<program>(&run.decoded)) {
    run.program_problem = check_program(*p, watcher);
    if (!run.program_problem.empty()) run.violated = property::task_value_task_equivalence;
  }
  return run;
}

std::string print_trace(const input_run& run) {
  if (const unreadable* u = std::get_if<unreadable>(&run.decoded)) return "unreadable input: " + u->why + "\n";
  if (const program* p = std::get_if<program>(&run.decoded)) return print_trace(*p);
  const scenario& s = std::get<scenario>(run.decoded);
  std::string out = "settings: " + describe(s.settings) + "\n" + print_trace(s, run.scenario_report);
  if (run.expected_wraparound) {
    out += "VT_TOKEN_BITS=" + std::to_string(vt::token_bits) + ": a token " +
           generations(run.scenario_report.token_lag) +
           " old matched again after its source's version wrapped (the ABA hazard, semantics.md section 7).\n";
  }
  return out;
}

std::string print_regression_test(const input_run& run, const std::string& test_name) {
  if (const scenario* s = std::get_if<scenario>(&run.decoded)) return print_regression_test(*s, test_name);
  if (const program* p = std::get_if<program>(&run.decoded)) return print_regression_test(*p, test_name);
  return {};
}

int fuzz_one_input(std::string_view target, const std::uint8_t* data, std::size_t size) {
  const input_run run = run_input({data, size});
  if (!run.readable()) return -1;
  if (run.held()) return 0;
  const std::string property_name(name(run.violated));
  std::fprintf(stderr, "\nvtlab: the contract broke (%s)\n%s\nVTLAB-VIOLATION: %.*s: %s%s\n", property_name.c_str(),
               print_trace(run).c_str(), static_cast<int>(target.size()), target.data(), property_name.c_str(),
               run.expected_wraparound ? " (token wraparound, expected)" : "");
  std::abort();
}

}  // namespace vth
