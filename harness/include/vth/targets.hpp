#pragma once
// The fuzz targets' logic, shared by the libFuzzer entry points, the standalone replay
// driver and ctest's corpus replays: decode bytes for a target, run, check, explain.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <vth/program.hpp>
#include <vth/scenario.hpp>

namespace vth {

enum class fuzz_target {
  source_protocol,  // every scenario op: sources, tokens, copies, awaits, raw registrations
  pool_recycling,   // a recycling alphabet: rentals, copies, long recycle runs, stale handles
  programs,         // task vs value_task differential over async programs
};

std::string_view name(fuzz_target target);
std::optional<fuzz_target> parse_target(std::string_view name);

// A target's decoding of bytes into a scenario (programs: use decode_program).
// pool_recycling maps each op byte into its smaller alphabet first; either way the
// result is an ordinary canonical scenario.
scenario decode_for(fuzz_target target, std::span<const std::uint8_t> bytes);

// The inverse, for writing seed corpora: bytes that decode_for(target, ...) reads as `s`.
// pool_recycling throws std::invalid_argument for an op outside its alphabet.
std::vector<std::uint8_t> encode_for(fuzz_target target, const scenario& s);

// How many recycles one input may perform: enough to wrap a 16-bit token where that is
// the point, small elsewhere so the fuzzer stays fast.
int recycle_budget_for(fuzz_target target);

struct target_result {
  bool ok = true;
  std::string property;  // the violated property, for deduplication
  std::string trace;     // the readable trace (steps, expectation, the broken step)
  std::string regression_test;
};

target_result run_target(fuzz_target target, std::span<const std::uint8_t> bytes);

// The trace of an input that held the contract (what each step did).
std::string run_target_trace(fuzz_target target, std::span<const std::uint8_t> bytes);

// The libFuzzer entry: runs, and on a violation prints the trace and a signature line
// ("VTLAB-VIOLATION: <target>: <property>") and aborts.
int fuzz_one_input(fuzz_target target, const std::uint8_t* data, std::size_t size);

}  // namespace vth
