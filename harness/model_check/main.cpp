// The model checker's driver, for vtlab's runtime (vt_model_check) and for a checked source
// (<name>_model_check): every atomic operation, mutex and condition variable built on
// vt/detail/sync.hpp (vt/sync.hpp for a user's source) is a scheduling point in a
// VT_MODEL_CHECK build, Relacy explores the interleavings and the C++ memory model's
// allowed reads, and reports data races on the plain fields the atomics order.
//
//   vt_model_check [--list] [NAME] [--random ITERATIONS | --pct ITERATIONS [--depth D] [--steps K]]
//                  [--replay STATE]
//
// Default: every check, context-bounded exhaustive search (preemption bound 2). --random:
// Relacy's uniformly random scheduler; --pct: PCT (pct_scheduler.hpp) for bug depth D
// (default 3) over about K scheduling points (default 200). A failure prints each
// thread's history and the final state; `--replay STATE` (or the environment variable
// VT_MODEL_CHECK_REPLAY) replays exactly that interleaving.
#include "check.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

// Relacy replaces the global operator new and the unsized operator delete; the runtime
// library, compiled with sized deallocation, frees through these.
void operator delete(void* p, std::size_t) noexcept { ::operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { ::operator delete[](p); }

namespace {

std::string program = "vt_model_check";  // this binary's name, in what it prints

int usage() {
  std::fprintf(stderr,
               "usage: %s [--list] [NAME] [--random ITERATIONS | --pct ITERATIONS [--depth D] [--steps K]] "
               "[--replay STATE]\n", program.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vt_model_check;
  if (argc > 0) program = std::string(argv[0]).substr(std::string(argv[0]).find_last_of('/') + 1);
  const std::vector<check> checks = registered_checks();
  std::string only, replay;
  long random_iterations = 0, pct_iterations = 0;
  if (const char* env = std::getenv("VT_MODEL_CHECK_REPLAY")) replay = env;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--list") {
      for (const check& c : checks) std::printf("%s\n", c.name);
      return 0;
    }
    if (arg == "--random" && i + 1 < argc) {
      random_iterations = std::strtol(argv[++i], nullptr, 10);
      if (random_iterations <= 0) return usage();
    } else if ((arg == "--pct" || arg == "--depth" || arg == "--steps") && i + 1 < argc) {
      const long value = std::strtol(argv[++i], nullptr, 10);
      if (value <= 0) return usage();
      if (arg == "--pct") pct_iterations = value;
      if (arg == "--depth") pct_settings.depth = static_cast<unsigned>(value);
      if (arg == "--steps") pct_settings.steps = static_cast<unsigned>(value);
    } else if (arg == "--replay" && i + 1 < argc) {
      replay = argv[++i];
    } else if (!arg.empty() && arg[0] != '-' && only.empty()) {
      only = arg;
    } else {
      return usage();
    }
  }
  if (!replay.empty() && only.empty()) {
    std::fprintf(stderr, "%s: --replay needs the check's NAME\n", program.c_str());
    return 2;
  }
  // Every registration captures this context: continuations run on the thread that
  // dispatched them, inside the simulation.
  immediate_executor immediate;
  vt::scheduling_scope scope(immediate);
  bool known = false;
  for (const check& c : checks) known = known || only == c.name;
  if (!only.empty() && !known) {
    std::fprintf(stderr, "%s: no check named %s (see --list)\n", program.c_str(), only.c_str());
    return 2;
  }
  int failures = 0;
  for (const check& c : checks) {
    if (!only.empty() && only != c.name) continue;
    rl::test_params params;
    std::ostringstream report;  // Relacy's own output: shown when the check fails
    params.progress_stream = &report;
    params.output_stream = &report;
    // A replay string names its scheduler, then Relacy's state for it.
    const bool replay_random = replay.rfind("random:", 0) == 0;
    const bool replay_pct = replay.rfind("pct:", 0) == 0;  // pct:<depth>:<steps>:<state>
    std::string state = replay.substr(replay.find(':') + 1);
    if (replay_pct) {
      std::istringstream fields(state);
      char colon = 0;
      fields >> pct_settings.depth >> colon >> pct_settings.steps >> colon;
      std::getline(fields, state);
    }
    if (!replay.empty()) {
      params.initial_state = state;
      params.collect_history = true;  // print each thread's steps as it fails again
    }
    const bool pct = pct_iterations > 0 || replay_pct;
    if (pct) {
      params.iteration_count = static_cast<rl::iteration_t>(pct_iterations > 0 ? pct_iterations : 100'000'000);
    } else if (random_iterations > 0 || replay_random) {
      params.search_type = rl::sched_random;
      params.iteration_count = static_cast<rl::iteration_t>(random_iterations > 0 ? random_iterations : 100'000'000);
    } else {
      params.search_type = rl::sched_bound;  // exhaustive up to 2 preemptions, as CHESS
      params.context_bound = 2;
      params.iteration_count = 100'000'000;
    }
    const bool ok = pct ? c.run_pct(params) : c.run(params);
    std::printf("%-36s %s  %llu interleavings\n", c.name, ok ? "ok    " : "FAILED",
                static_cast<unsigned long long>(params.stop_iteration));
    if (!ok || !replay.empty()) std::fputs(report.str().c_str(), stdout);
    if (!ok) {
      ++failures;
      if (replay.empty() && pct) {
        std::printf("  replay: %s %s --replay 'pct:%u:%u:%s'\n", program.c_str(), c.name, pct_settings.depth,
                    pct_settings.steps, params.final_state.c_str());
      } else if (replay.empty()) {
        std::printf("  replay: %s %s --replay '%s:%s'\n", program.c_str(), c.name,
                    params.search_type == rl::sched_random ? "random" : "bound", params.final_state.c_str());
      }
    }
  }
  return failures == 0 ? 0 : 1;
}
