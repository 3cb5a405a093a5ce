#pragma once
// What the harness observes after every step, read the same way from the model and from
// the runtime and compared by one function; and the end-of-scenario drain, chosen from a
// snapshot by one function, as ops that run through the same step loop (and so appear in
// the trace and are checked like every other step).
#include <cstdint>
#include <optional>
#include <vector>

#include <vth/property.hpp>
#include <vth/scenario.hpp>

namespace vth {

// One source generation as observed: a harness-pool source, a raw core, or the source of a
// value_task coroutine's result (there `rented` says the result's token is its source's
// current generation, and the version is not compared: the coroutine pool is shared).
struct source_snapshot {
  std::int64_t version = 0;
  bool rented = false;
  std::uint8_t status = 0;    // status(), as vt::source_status (0: pending; a coroutine result: only
                              // whether it completed is compared)
  bool asynchronous = false;  // run_continuations_asynchronously(), as the source reports it
  bool completed() const noexcept { return status != 0; }
  friend bool operator==(const source_snapshot&, const source_snapshot&) = default;
};

struct pool_snapshot {
  std::size_t created = 0, rented = 0, returned = 0, reused = 0, idle = 0;
  friend bool operator==(const pool_snapshot&, const pool_snapshot&) = default;
};

// Where a continuation ran (docs/semantics.md section 3): not yet, inline inside the completing
// call, posted to the captured scheduler, or posted to the default executor.
enum class placement : std::uint8_t { not_run, inline_in_completion, scheduler, default_executor };

struct raw_snapshot {
  int runs = 0;
  placement where = placement::not_run;
  friend bool operator==(const raw_snapshot&, const raw_snapshot&) = default;
};

// What backs a value_task slot, in vt::value_task's order.
enum class backing : std::uint8_t { result, task, source };

// A task's state, in vt::source_status's order (what the task_status op reads); `empty`: a
// when_all slot holding nothing yet.
enum class task_state : std::uint8_t { pending, succeeded, faulted, canceled, empty };

struct value_task_snapshot {
  backing how = backing::result;
  task_state task = task_state::empty;  // a task-backed one's task; not read through a token
  friend bool operator==(const value_task_snapshot&, const value_task_snapshot&) = default;
};

// A scenario coroutine: how often its await finished, and whether its body has.
struct coroutine_snapshot {
  int resumes = 0;
  bool done = false;
  friend bool operator==(const coroutine_snapshot&, const coroutine_snapshot&) = default;
};

struct state_snapshot {
  std::vector<source_snapshot> pool_sources;       // the harness pool's, in creation order
  std::vector<source_snapshot> cores;              // core slots
  std::vector<source_snapshot> coroutine_results;  // every source-backed value_task coroutine result, in creation order
  std::vector<value_task_snapshot> value_tasks;    // value_task slots
  std::vector<task_state> tasks;                   // task slots
  std::vector<task_state> when_alls;               // when_all slots
  std::vector<coroutine_snapshot> coroutines;      // every scenario coroutine started, in order
  std::vector<bool> cancellations;                 // cancellation slots: whether cancellation was requested
  std::vector<raw_snapshot> raws;                  // raw registrations accepted so far
  pool_snapshot pool;
  std::size_t scheduled = 0;  // scheduler items waiting

  void clear() noexcept {  // keeps the buffers: a snapshot is refilled after every step
    pool_sources.clear();
    cores.clear();
    coroutine_results.clear();
    value_tasks.clear();
    tasks.clear();
    when_alls.clear();
    coroutines.clear();
    cancellations.clear();
    raws.clear();
    pool = {};
    scheduled = 0;
  }
};

// The first way the runtime's state differs from the model's, or none. Versions compare
// modulo the runtime's token width (the model's are unbounded).
violation first_difference(const state_snapshot& model, const state_snapshot& runtime, int token_bits);

// The drain policy: the next op that brings a scenario to rest, or none once it is at rest.
// In order: run what is scheduled; complete each pending pooled source, then each pending
// core, with result 0; consume each completed, unconsumed pooled source and coroutine result.
std::optional<op> next_drain_op(const state_snapshot& s);

// Ops the drain performs, past every input's last op: enough for any scenario the codec
// accepts; more means the drain does not converge (a harness bug).
inline constexpr int max_drain_ops = 4096;

}  // namespace vth
