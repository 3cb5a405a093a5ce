// Model checking of the source protocol with Relacy (issue 10): every atomic operation of
// the core and the pooled source is a scheduling point (detail/sync.hpp in a
// VT_MODEL_CHECK build), Relacy explores the interleavings and the C++ memory model's
// allowed reads, and reports data races on the plain fields the atomics order.
//
//   vt_model_check [--list] [NAME] [--random ITERATIONS] [--replay STATE]
//
// Default: every check, context-bounded exhaustive search (preemption bound 2). A failure
// prints each thread's history and the final state; `--replay STATE` (or the environment
// variable VT_MODEL_CHECK_REPLAY) replays exactly that interleaving.
#include <vt/detail/sync.hpp>  // first: Relacy, then the runtime on top of it

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include <vt/executor.hpp>
#include <vt/manual_reset_value_task_source_core.hpp>
#include <vt/source_pool.hpp>

// Relacy replaces the global operator new and the unsized operator delete; the runtime
// library, compiled with sized deallocation, frees through these.
void operator delete(void* p, std::size_t) noexcept { ::operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { ::operator delete[](p); }

namespace {

// A result type of the checks' own: no template instantiation here is shared with the
// runtime library, which is built with std::atomic.
struct checked_value {
  int value = 0;
};
using core_type = vt::manual_reset_value_task_source_core<checked_value>;
using pool_type = vt::source_pool<checked_value>;

// Posts run at once: a continuation runs on whichever logical thread dispatched it, so
// Relacy sees every step (no real thread pool inside a simulation).
class immediate_executor final : public vt::executor {
public:
  void post(vt::continuation_fn fn, void* state) override { fn(state); }
};

struct continuation_record {
  vt::detail::atomic<int> runs{0};
  static void run(void* self) { static_cast<continuation_record*>(self)->runs.fetch_add(1, std::memory_order_relaxed); }
};

// A continuation that consumes the result it was woken for.
struct consuming_continuation {
  core_type* core = nullptr;
  vt::token_t token = 0;
  vt::detail::shared_field<int> seen;
  static void run(void* self) {
    auto* c = static_cast<consuming_continuation*>(self);
    c->seen = c->core->get_result(c->token).value;
  }
};

// Completion vs registration: the continuation runs exactly once, whichever comes first.
struct completion_vs_registration : rl::test_suite<completion_vs_registration, 2> {
  core_type* core;
  continuation_record* record;
  void before() {
    core = new core_type();
    record = new continuation_record();
  }
  void thread(unsigned index) {
    if (index == 0) {
      core->set_result(checked_value{1});
    } else {
      core->on_completed(&continuation_record::run, record, 0, vt::on_completed_flags::use_scheduling_context);
    }
  }
  void after() {
    RL_ASSERT(record->runs.load(std::memory_order_relaxed) == 1);
    delete record;
    delete core;
  }
};

// Completion vs a registered consumer: the consumer reads the outcome only after its
// publication (a data race on the outcome otherwise).
struct completion_publishes_the_outcome : rl::test_suite<completion_publishes_the_outcome, 2> {
  core_type* core;
  consuming_continuation* consumer;
  void before() {
    core = new core_type();
    consumer = new consuming_continuation();
    consumer->core = core;
  }
  void thread(unsigned index) {
    if (index == 0) {
      core->set_result(checked_value{7});
    } else {
      core->on_completed(&consuming_continuation::run, consumer, 0, vt::on_completed_flags::use_scheduling_context);
    }
  }
  void after() {
    RL_ASSERT(static_cast<int>(consumer->seen) == 7);
    delete consumer;
    delete core;
  }
};

// A poller that reads the result once status() says it is there.
struct completion_vs_polling_consumer : rl::test_suite<completion_vs_polling_consumer, 2> {
  core_type* core;
  void before() { core = new core_type(); }
  void thread(unsigned index) {
    if (index == 0) {
      core->set_result(checked_value{3});
    } else if (core->status(0) == vt::source_status::succeeded) {
      RL_ASSERT(core->get_result(0).value == 3);
    }
  }
  void after() { delete core; }
};

// A stale token's status() racing the owner's reset(): the old generation answers
// succeeded or is rejected as stale, never pending, and never reads what reset clears.
// Found on the code before the fix in 9 interleavings: the stale reader saw version 0
// (not yet the new one) and the flags already cleared, and answered pending
// (`--replay 'bound:9 9 2 0 0 2 0 0 2 0 0 2 0 0 2 0 0 2 0 0 2 0 0 2 1 1 2 0 1 '` then).
struct stale_status_vs_reset : rl::test_suite<stale_status_vs_reset, 2> {
  core_type* core;
  void before() {
    core = new core_type();
    core->set_result(checked_value{1});
  }
  void thread(unsigned index) {
    if (index == 0) {
      (void)core->get_result(0);
      core->reset();
    } else {
      try {
        RL_ASSERT(core->status(0) != vt::source_status::pending);
      } catch (const vt::invalid_operation&) {
      }
    }
  }
  void after() { delete core; }
};

// Two copies of one pooled value_task consumed on two threads: exactly one gets the
// outcome, and the source goes back to its pool once. Found on the code before the fix
// in 97 interleavings (both consumed; a data race on the outcome).
struct two_consumers_of_one_pooled_source : rl::test_suite<two_consumers_of_one_pooled_source, 2> {
  pool_type* pool;
  vt::pooled_source<checked_value>* source;
  vt::detail::atomic<int> winners{0};
  void before() {
    winners.store(0, std::memory_order_relaxed);
    pool = new pool_type();
    source = &pool->rent();
    source->set_result(checked_value{5});
  }
  void thread(unsigned) {
    try {
      RL_ASSERT(source->get_result(0).value == 5);
      winners.fetch_add(1, std::memory_order_relaxed);
    } catch (const vt::invalid_operation&) {
    }
  }
  void after() {
    RL_ASSERT(winners.load(std::memory_order_relaxed) == 1);
    RL_ASSERT(pool->statistics().returned == 1);
    delete pool;
  }
};

// A stale copy's on_completed racing the legitimate consumer's consume-and-re-rent: the
// stale registration is rejected and never lands in the next generation. Found on the
// code before the fix in 1,025 interleavings (a data race on the continuation fields, and
// the registration's flag set in the next generation).
struct stale_registration_vs_recycle : rl::test_suite<stale_registration_vs_recycle, 2> {
  pool_type* pool;
  vt::pooled_source<checked_value>* source;
  continuation_record* stale;
  continuation_record* next;
  void before() {
    pool = new pool_type();
    source = &pool->rent();
    stale = new continuation_record();
    next = new continuation_record();
  }
  void thread(unsigned index) {
    if (index == 0) {
      source->set_result(checked_value{1});
      (void)source->get_result(0);
      (void)pool->rent();  // the same source, generation 1
    } else {
      try {
        source->on_completed(&continuation_record::run, stale, 0, vt::on_completed_flags::use_scheduling_context);
      } catch (const vt::invalid_operation&) {
      }
    }
  }
  void after() {
    // The next renter's own registration must be accepted, and run once.
    source->on_completed(&continuation_record::run, next, 1, vt::on_completed_flags::use_scheduling_context);
    source->set_result(checked_value{2});
    RL_ASSERT(next->runs.load(std::memory_order_relaxed) == 1);
    (void)source->get_result(1);
    delete stale;
    delete next;
    delete pool;
  }
};

struct check {
  const char* name;
  bool (*run)(rl::test_params&);
};

template <class Suite>
bool simulate(rl::test_params& params) {
  return rl::simulate<Suite>(params);
}

const check checks[] = {
    {"completion_vs_registration", &simulate<completion_vs_registration>},
    {"completion_publishes_the_outcome", &simulate<completion_publishes_the_outcome>},
    {"completion_vs_polling_consumer", &simulate<completion_vs_polling_consumer>},
    {"stale_status_vs_reset", &simulate<stale_status_vs_reset>},
    {"two_consumers_of_one_pooled_source", &simulate<two_consumers_of_one_pooled_source>},
    {"stale_registration_vs_recycle", &simulate<stale_registration_vs_recycle>},
};

int usage() {
  std::fprintf(stderr, "usage: vt_model_check [--list] [NAME] [--random ITERATIONS] [--replay STATE]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string only, replay;
  long random_iterations = 0;
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
    } else if (arg == "--replay" && i + 1 < argc) {
      replay = argv[++i];
    } else if (!arg.empty() && arg[0] != '-' && only.empty()) {
      only = arg;
    } else {
      return usage();
    }
  }
  if (!replay.empty() && only.empty()) {
    std::fprintf(stderr, "vt_model_check: --replay needs the check's NAME\n");
    return 2;
  }
  // Every registration captures this context: continuations run on the thread that
  // dispatched them, inside the simulation.
  immediate_executor immediate;
  vt::scheduling_scope scope(immediate);
  bool known = false;
  for (const check& c : checks) known = known || only == c.name;
  if (!only.empty() && !known) {
    std::fprintf(stderr, "vt_model_check: no check named %s (see --list)\n", only.c_str());
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
    if (!replay.empty()) {
      params.initial_state = replay.substr(replay.find(':') + 1);
      params.collect_history = true;  // print each thread's steps as it fails again
    }
    if (random_iterations > 0 || replay_random) {
      params.search_type = rl::sched_random;
      params.iteration_count = static_cast<rl::iteration_t>(random_iterations > 0 ? random_iterations : 100'000'000);
    } else {
      params.search_type = rl::sched_bound;  // exhaustive up to 2 preemptions, as CHESS
      params.context_bound = 2;
      params.iteration_count = 100'000'000;
    }
    const bool ok = c.run(params);
    std::printf("%-36s %s  %llu interleavings\n", c.name, ok ? "ok    " : "FAILED",
                static_cast<unsigned long long>(params.stop_iteration));
    if (!ok || !replay.empty()) std::fputs(report.str().c_str(), stdout);
    if (!ok) {
      ++failures;
      if (replay.empty()) {
        std::printf("  replay: vt_model_check %s --replay '%s:%s'\n", c.name,
                    params.search_type == rl::sched_random ? "random" : "bound", params.final_state.c_str());
      }
    }
  }
  return failures == 0 ? 0 : 1;
}
