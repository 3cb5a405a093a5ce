// vt_replay: runs fuzz inputs (or a property's bytes file) through the same target code
// as the fuzzers, without libFuzzer. For each input it prints the decoded scenario step by
// step with the expected and actual outcome, marks where the contract broke, and prints a
// ready-to-paste regression test.
//
//   vt_replay [--target NAME] [--quiet] [--expect-violation] [--keep DIR] PATH...
//
// PATH may be a file or a directory (every file below it). Without --target, a path
// under corpus/<target>/ or corpus/regressions/<target>/ names its target; otherwise
// fuzz_source_protocol. --keep copies each violating input into DIR/<hash>.
// Exit status: 0 when every input held the contract (with --expect-violation: when every
// input broke it), 1 otherwise, 2 for bad usage.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <vth/targets.hpp>

namespace fs = std::filesystem;

namespace {

std::optional<vth::fuzz_target> target_from_path(const fs::path& path) {
  for (auto it = path.begin(); it != path.end(); ++it) {
    if (auto target = vth::parse_target(it->string())) return target;
  }
  return std::nullopt;
}

std::string content_hash(const std::vector<std::uint8_t>& bytes) {
  std::uint64_t hash = 1469598103934665603ull;  // FNV-1a
  for (std::uint8_t b : bytes) hash = (hash ^ b) * 1099511628211ull;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

void usage() {
  std::fprintf(stderr, "usage: vt_replay [--target NAME] [--quiet] [--expect-violation] [--keep DIR] PATH...\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<vth::fuzz_target> forced;
  bool quiet = false, expect_violation = false;
  std::optional<fs::path> keep;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--target" && i + 1 < argc) {
      forced = vth::parse_target(argv[++i]);
      if (!forced) {
        std::fprintf(stderr, "vt_replay: unknown target %s\n", argv[i]);
        return 2;
      }
    } else if (arg == "--quiet") {
      quiet = true;
    } else if (arg == "--expect-violation") {
      expect_violation = true;
    } else if (arg == "--keep" && i + 1 < argc) {
      keep = argv[++i];
    } else if (arg.starts_with("--")) {
      usage();
      return 2;
    } else if (fs::is_directory(arg)) {
      for (const auto& entry : fs::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') inputs.push_back(entry.path());
      }
    } else if (fs::is_regular_file(arg)) {
      inputs.emplace_back(arg);
    } else {
      std::fprintf(stderr, "vt_replay: no such file or directory: %s\n", arg.c_str());
      return 2;
    }
  }
  if (inputs.empty() && argc > 1 && !quiet) std::fprintf(stderr, "vt_replay: no inputs\n");
  if (argc == 1) {
    usage();
    return 2;
  }

  std::size_t held = 0, broke = 0;
  for (const fs::path& input : inputs) {
    std::ifstream in(input, std::ios::binary);
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const vth::fuzz_target target = forced.value_or(target_from_path(input).value_or(vth::fuzz_target::source_protocol));
    const vth::target_result r = vth::run_target(target, bytes);
    if (r.ok) {
      ++held;
      if (!quiet) std::printf("== %s (%s): the contract held\n", input.c_str(), std::string(vth::name(target)).c_str());
      if (!quiet && !expect_violation) std::printf("%s", vth::run_target_trace(target, bytes).c_str());
      continue;
    }
    ++broke;
    std::printf("== %s (%s): the contract broke: %s\n%s\n", input.c_str(), std::string(vth::name(target)).c_str(),
                r.property.c_str(), r.trace.c_str());
    if (!r.regression_test.empty()) std::printf("Regression test:\n%s\n", r.regression_test.c_str());
    if (keep) {
      fs::create_directories(*keep);
      const fs::path kept = *keep / content_hash(bytes);
      fs::copy_file(input, kept, fs::copy_options::overwrite_existing);
      std::printf("kept as %s\n", kept.c_str());
    }
  }
  std::printf("%zu inputs: %zu held the contract, %zu broke it\n", inputs.size(), held, broke);
  return (expect_violation ? held == 0 : broke == 0) ? 0 : 1;
}
