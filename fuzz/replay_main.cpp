// vt_replay: runs inputs (fuzz inputs, kept regressions, a property's bytes file) through
// the same code as the fuzzers, without libFuzzer. An input says what it is (its header),
// so no target needs naming. For each input it prints the numbered trace (what the model
// expected and what the runtime did at every step, the broken step marked) and, when the
// contract broke, a ready-to-paste regression test.
//
//   vt_replay [--quiet] [--canonical] [--check-traces | --write-traces] [--expect-wraparound]
//             [--show N] [--keep DIR] PATH...
//   vt_replay --observations PATH...   each scenario's steps and the model's predictions, for
//                                      another oracle (vth/observations.hpp; oracle/dotnet)
//
// PATH is a file or a directory (every file below it but hidden ones and *.trace).
//   --canonical          an input whose bytes are not the canonical encoding of what they decode
//                        to fails: its meaning could shift when an op is added
//   --check-traces       each input's trace must equal its golden file beside it
//                        (<input>.trace; <input>.token16.trace in a 16-bit build)
//   --write-traces       writes those golden files
//   --expect-wraparound  passes when every input breaks the contract by the token wraparound
//                        (the ABA hazard a 16-bit build must show), and only by it
//   --show N             prints the first N failing inputs in full (trace, regression test), the
//                        rest as one line each
//   --keep DIR           writes each input that breaks the contract into DIR/<hash>, as its
//                        canonical encoding; any other is not kept, and the reason is printed
// A golden trace beside an input (<input>.trace) is checked whenever it exists; an input
// that ends inside an op's arguments is reported as truncated.
// Exit status: 0 when every input passed, 1 otherwise (an unreadable input, a violation, a
// trace that differs, no input at all), 2 for bad usage.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <vt/config.hpp>
#include <vth/codec.hpp>
#include <vth/crash_watch.hpp>
#include <vth/observations.hpp>
#include <vth/targets.hpp>

namespace fs = std::filesystem;

namespace {

std::string content_hash(const std::vector<std::uint8_t>& bytes) {
  std::uint64_t hash = 1469598103934665603ull;  // FNV-1a
  for (std::uint8_t b : bytes) hash = (hash ^ b) * 1099511628211ull;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

int usage() {
  std::fprintf(stderr,
               "usage: vt_replay [--quiet] [--canonical] [--check-traces | --write-traces] [--expect-wraparound] "
               "[--show N] [--keep DIR] PATH... | vt_replay --observations PATH...\n");
  return 2;
}

bool is_input_file(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name[0] != '.' && path.extension() != ".trace";
}

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// What the input decodes to, encoded again: empty for an unreadable one.
std::vector<std::uint8_t> canonical_bytes(const vth::input_run& run) {
  return std::visit(
      [](const auto& x) -> std::vector<std::uint8_t> {
        if constexpr (std::is_same_v<std::decay_t<decltype(x)>, vth::unreadable>) {
          return {};
        } else {
          return vth::encode(x);
        }
      },
      run.decoded);
}

bool write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  bool quiet = false, canonical = false, check_traces = false, write_traces = false, expect_wraparound = false,
       observations = false;
  std::optional<fs::path> keep;
  std::size_t shown_in_full = static_cast<std::size_t>(-1);
  std::vector<fs::path> inputs;
  if (argc == 1) return usage();
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quiet") {
      quiet = true;
    } else if (arg == "--canonical") {
      canonical = true;
    } else if (arg == "--check-traces") {
      check_traces = true;
    } else if (arg == "--write-traces") {
      write_traces = true;
    } else if (arg == "--expect-wraparound") {
      expect_wraparound = true;
    } else if (arg == "--observations") {
      observations = true;
    } else if (arg == "--show" && i + 1 < argc) {
      const std::string n = argv[++i];
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos || n.size() > 9) return usage();
      shown_in_full = std::stoul(n);
    } else if (arg == "--keep" && i + 1 < argc) {
      keep = argv[++i];
    } else if (arg.starts_with("--")) {
      return usage();
    } else if (fs::is_directory(arg)) {
      for (const auto& entry : fs::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file() && is_input_file(entry.path())) inputs.push_back(entry.path());
      }
    } else if (fs::is_regular_file(arg)) {
      inputs.emplace_back(arg);
    } else {
      std::fprintf(stderr, "vt_replay: no such file or directory: %s\n", arg.c_str());
      return 2;
    }
  }
  if (check_traces && write_traces) return usage();
  if (keep) {
    std::error_code error;
    fs::create_directories(*keep, error);
    if (!fs::is_directory(*keep)) {
      std::fprintf(stderr, "vt_replay: --keep %s: not a directory it can create\n", keep->c_str());
      return 2;
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "vt_replay: no inputs in the paths given\n");
    return 1;
  }

  const std::string trace_suffix = vt::token_bits == 16 ? ".token16.trace" : ".trace";
  std::size_t passed = 0, failed = 0, truncated = 0;
  for (const fs::path& input : inputs) {
    std::ifstream in(input, std::ios::binary);
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    vth::input_run run;
    {
      // An input that ends the process still shows its steps, up to the one it ended in.
      vth::crash_watch watch(input.string());
      run = vth::run_input(bytes, &watch);
    }
    if (observations) {  // for another oracle: the model's prediction of every step, nothing else
      if (const auto* s = std::get_if<vth::scenario>(&run.decoded)) {
        std::fputs(vth::print_observations(input.string(), *s, run.scenario_report).c_str(), stdout);
      }
      continue;
    }
    const std::optional<std::string> cut = vth::truncation(bytes);
    const std::vector<std::uint8_t> canonical_form = canonical_bytes(run);  // the same run, re-encoded
    if (cut) ++truncated;
    std::string problem;
    if (!run.readable()) {
      problem = "unreadable: " + std::get<vth::unreadable>(run.decoded).why;
    } else if (expect_wraparound ? !run.expected_wraparound : !run.held()) {
      problem = run.held() ? "the contract held (the token wraparound was expected)"
                           : "the contract broke: " + std::string(vth::name(run.violated));
    } else if (canonical && canonical_form != bytes) {
      problem = "not canonical: its bytes are not the encoding of what they decode to";
    }
    // Unreadable: the reason is the whole story (print_trace would say it again).
    const std::string trace = run.readable() ? vth::print_trace(run) : std::string();
    // A golden trace beside an input is always checked (a kept regression that no longer
    // reproduces it fails); --check-traces also requires one.
    const fs::path golden = input.string() + trace_suffix;
    if (problem.empty() && !write_traces) {
      const auto want = read_text(golden);
      if (!want && check_traces) {
        problem = "no golden trace " + golden.string() + " (write it with --write-traces)";
      } else if (want && *want != trace) {
        problem = "the trace differs from " + golden.string() + ":\n--- golden\n" + *want + "--- now\n" + trace;
      }
    }
    if (problem.empty() && write_traces && !write_text(golden, trace)) problem = "cannot write " + golden.string();
    const std::string cut_note = cut ? " (truncated: " + *cut + ", read as 0)" : "";

    const bool reproduces = run.readable() && !run.held();
    if (keep && !reproduces) {
      std::fprintf(stderr, "vt_replay: not kept: %s %s\n", input.c_str(),
                   run.readable() ? "breaks no property (only an input that breaks the contract is kept)"
                                  : "is not a readable vtlab input");
    }
    if (problem.empty()) {
      ++passed;
      if (!quiet) {
        std::printf("== %s: passed%s\n%s", input.c_str(), cut_note.c_str(), trace.c_str());
      } else if (cut) {
        std::printf("== %s: passed%s\n", input.c_str(), cut_note.c_str());
      }
      continue;
    }
    ++failed;
    if (failed > shown_in_full) {  // one line: what broke, up to its first line break
      std::printf("== %s: %s\n", input.c_str(), problem.substr(0, problem.find('\n')).c_str());
    } else {
      std::printf("== %s: %s%s\n%s", input.c_str(), problem.c_str(), run.readable() ? cut_note.c_str() : "", trace.c_str());
    }
    if (!run.held() && run.readable() && failed <= shown_in_full) {
      const std::string test = vth::print_regression_test(run, "replayed_" + content_hash(canonical_form));
      if (!test.empty()) std::printf("Regression test:\n%s\n", test.c_str());
    }
    if (keep && reproduces) {
      // Kept as its canonical encoding: the same run, and a meaning no added op can shift.
      const fs::path kept = *keep / content_hash(canonical_form);
      if (!write_text(kept, std::string(canonical_form.begin(), canonical_form.end()))) {
        std::fprintf(stderr, "vt_replay: cannot keep %s as %s\n", input.c_str(), kept.c_str());
        return 1;
      }
      std::printf("kept as %s\n", kept.c_str());
    }
  }
  if (observations) return 0;
  std::printf("%zu %s: %zu passed, %zu failed", inputs.size(), inputs.size() == 1 ? "input" : "inputs", passed, failed);
  if (truncated > 0) std::printf(" (%zu truncated)", truncated);
  if (failed > shown_in_full) {
    if (shown_in_full == 1) {
      std::printf("; only the first failure shown in full");
    } else {
      std::printf("; only the first %zu failures shown in full", shown_in_full);
    }
  }
  std::printf("\n");
  return failed == 0 ? 0 : 1;
}
