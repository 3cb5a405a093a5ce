#pragma once
// Running one input, whatever reads it: the libFuzzer entry points, the standalone replay
// driver and ctest's corpus replays. An input says what it is (codec.hpp); the fuzz targets
// differ only in their corpora and dictionaries, never in how they read a byte.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <vth/codec.hpp>
#include <vth/property.hpp>
#include <vth/runner.hpp>

namespace vth {

struct input_run {
  input decoded;
  report scenario_report;       // a scenario's run
  std::string program_problem;  // a program's: what differs, empty when it held
  property violated = property::none;
  // A 16-bit build's stale token accepted after a whole number of token cycles: the ABA
  // hazard such a build must find (docs/semantics.md section 7), not a defect.
  bool expected_wraparound = false;

  bool readable() const noexcept { return !std::holds_alternative<unreadable>(decoded); }
  bool held() const noexcept { return readable() && violated == property::none; }
};

// A scenario's steps are shown to `watcher` as they run (a program's are not).
input_run run_input(std::span<const std::uint8_t> bytes, step_watcher* watcher = nullptr);

// For people: the numbered trace (or why the input cannot be read), and a ready-to-paste
// regression test for a scenario.
std::string print_trace(const input_run& run);
std::string print_regression_test(const input_run& run, const std::string& test_name);

// The libFuzzer entry: unreadable inputs are rejected (-1: not kept in the corpus); a
// violation prints the trace and a signature line and aborts:
//   VTLAB-VIOLATION: <target>: <property>[ (token wraparound, expected)]
int fuzz_one_input(std::string_view target, const std::uint8_t* data, std::size_t size);

}  // namespace vth
