#pragma once
// The reference model: a plain, step-by-step reading of docs/semantics.md that predicts what
// every scenario op does. Versions are unbounded integers here, so a token is stale
// exactly when the spec says so, whatever the runtime's token width.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <vth/outcome.hpp>
#include <vth/scenario.hpp>
#include <vth/snapshot.hpp>
#include <vth/source_choices.hpp>
#include <vth/tracked_value.hpp>

namespace vth {

class model {
public:
  // `sources`: the answers the source under test gives where the contract leaves a choice
  // (source_choices.hpp); vt's own pool's by default.
  explicit model(const scenario_settings& settings,
                 source_choices sources = {true, idle_order::most_recently_returned});

  // Under idle_order::any: which pool source (by creation order) each of the next op's
  // rents handed out, as the runtime's pool chose. The model takes each choice it allows
  // (an idle source) and its own otherwise, so that a choice the contract forbids shows as
  // a difference.
  void observe_pool_choices(std::vector<int> choices);

  // The op's outcome. With void values a result carries no value: it reports as 0.
  outcome apply(const op& o);

  // Set when the last apply rejected a token: the source's version minus the token (0 for
  // a token equal to an idle source's version). Tells a stale-token violation from the
  // other misuses.
  std::optional<std::int64_t> last_token_rejection() const { return last_token_rejection_; }
  // A result_race's winner: what the read that consumed (or was refused first) gets; the
  // op's own outcome is the loser's.
  std::optional<outcome> last_race_winner() const { return last_race_winner_; }

  // apply, where an allocation failed inside a when_all that all its inputs had already
  // completed: the failure faults the when_all (section 9) instead of escaping the op.
  // Returns nullopt when no when_all completed in this op, so nothing could have caught it.
  std::optional<outcome> apply_failing_result_build(const op& o);

  // The state the runner compares with the runtime's after every step (snapshot.hpp);
  // the second form refills `into`, keeping its buffers (no allocation per step).
  state_snapshot snapshot() const {
    state_snapshot s;
    snapshot(s);
    return s;
  }
  void snapshot(state_snapshot& into) const;

  // Once the drain is over: nothing may still wait. Empty when all is well, else what is stuck.
  std::string stuck() const;

  std::size_t coroutine_count() const { return coroutines_.size(); }

  // What the last apply ran on the harness thread, in order: coroutines resumed and raw
  // continuations run, inline or from the scheduler (events, outcome.hpp).
  const std::vector<long>& step_events() const { return step_events_; }

  // How far inline continuations nest before one waits for the outermost run (section 6
  // leaves it to the implementation; docs/semantics.md section 10). The model's own
  // figure, not read from the runtime: a runtime that changes its bound disagrees.
  static constexpr int max_inline_depth = 16;
  // For reach: the most continuations that waited for an outermost inline run at once.
  std::size_t most_deferred_at_once() const { return most_deferred_at_once_; }

  // Which task T[slot] holds (an id of the model's), and whether it is still the task every
  // slot starts with (from_result(0)): for the aim's choice of inputs (aim.hpp).
  int task_in_slot(int slot) const { return task_slots_[static_cast<std::size_t>(slot)]; }
  bool holds_initial_task(int slot) const { return task_in_slot(slot) == initial_task_; }
  bool holds_pending_task(int slot) const { return !tasks_[static_cast<std::size_t>(task_in_slot(slot))].completed; }
  // Whether V[slot] is a value_task over a rented pool source not yet completed, at its
  // current version: an await of it waits for a completion.
  bool holds_pending_source(int slot) const;
  // Whether S[slot]'s current generation is pending with a continuation registered on it (an
  // await, a bridge, a raw registration): a completion of it runs someone else's code.
  bool holds_awaited_source(int slot) const;
  // Whether S[slot] holds a live rental of the pool, not yet completed.
  bool holds_pending_rental(int slot) const;


private:
  struct result_value {
    outcome shown = outcomes::value{};  // what reading it shows: a value, error, canceled, invalid_operation or aggregate
    poison poisoned = poison::none;  // a value: which of its copies or moves throw
    // canceled: an operation_canceled stored as a fault (from_exception), so the operation
    // is faulted though awaiting it throws a cancellation. A coroutine that rethrows it ends
    // canceled.
    bool cancellation_as_fault = false;
    int aggregate = -1;  // an aggregate: its errors flattened, in aggregate_leaves_
  };
  enum class continuation_kind { none, awaiter, raw, bridge };
  struct continuation {
    continuation_kind kind = continuation_kind::none;
    int id = -1;  // coroutine, raw registration or task
  };
  struct source {
    bool coroutine_pool = false;  // a value_task coroutine's source (versions relative)
    bool raw_core = false;        // a bare manual_reset core: reading copies, nothing recycles
    bool run_asynchronously = false;  // kept across generations, as the core keeps it
    bool registered_with_context = true;  // the registration captured the scheduler
    std::int64_t version = 0;
    bool rented = false;
    bool completed = false;
    result_value result;
    continuation registered;
  };
  enum class rep { result, task, source };
  struct value_task {
    rep representation = rep::result;
    long value = 0;
    int task = -1;
    int source = -1;
    std::int64_t token = 0;
    poison poisoned = poison::none;  // result-backed
  };
  struct waiter {
    bool combinator = false;  // else a coroutine
    int id = -1;
    bool captures_context = true;  // a coroutine's await: resumed on the scheduler, else inline
    int input = 0;                 // a combinator's: which of its inputs this task is
  };
  enum class combinator_kind { none, all, any };
  struct task {
    bool completed = false;
    result_value result;
    std::vector<waiter> waiters;
    combinator_kind combinator = combinator_kind::none;
    std::vector<int> inputs;
    int remaining = 0;
    bool results_allocate = false;  // a when_all whose successful results fill a std::vector
    long build_fault = 0;  // when_all could not build its results: why, as an aggregate's inner code
    bool gathering_failed = false;  // when_all's own allocation failed as it gathered: it holds that bad_alloc
  };
  enum class coroutine_kind { task, value_task };
  enum class after_await { plus_one, sum_of_all, index_of_any };
  struct coroutine {
    coroutine_kind kind = coroutine_kind::task;
    after_await then = after_await::plus_one;
    value_task awaited;  // a task-await is a value_task of rep::task
    int task = -1;       // task coroutine: its task
    int source = -1;     // value_task coroutine: the source attached on suspension
    bool done = false;
    int resumes = 0;
    bool captures_context = true;  // false: co_await x.configure_await(false)
    result_value returned;  // what the body returned, once stored
  };
  // What a raw registration's continuation does besides counting its run.
  enum class raw_behaviour { counts, throws, post_fails };
  struct source_slot {
    int source = -1;
    std::int64_t version = 0;  // the generation this slot rented
  };
  struct posted {
    enum { resume, raw, completion, run } kind;  // run: a vt::run callable completing task `id`
    int id;                    // coroutine, raw registration, or source
    std::int64_t version = 0;  // completion: the generation to complete
    completion_kind how = completion_kind::result;  // completion: with what
    long value = 0;
    poison poisoned = poison::none;  // run: the returned value's poison
  };
  struct cancel_link {
    int source;
    std::int64_t version;
  };
  // A cancel_on registration: its callback cancels `link`'s generation if still current.
  struct registration {
    int cancellation = 0;  // K slot
    cancel_link link{};
    enum { pending, unregistered, ran } state = pending;
    enum { cancels, then_throws, then_unregisters_previous } action = cancels;
  };

  // Primitive operations, each as docs/semantics.md states it.
  int rent_source();                       // -1 when the pool is exhausted
  void consume(int source);                // pooled: recycle now
  bool recycles_plainly(int source, int cycles) const;  // a recycle op's later cycles, in closed form
  bool rents_back(int source, int cycles) const;        // the next `cycles` rents each hand `source` back
  void recycle_plainly(int source, int cycles);
  std::optional<outcome> validate(int source, std::int64_t token);  // invalid_operation naming the misuse, or nothing
  outcome complete(int source, result_value result);
  void dispatch_registration(int source);
  result_value get_result(int source, std::int64_t token);
  outcome start_coroutine(coroutine_kind kind, after_await then, const value_task& awaited, bool captures_context,
                          int* out_task,
                          value_task* out_value_task);
  // A continuation the runtime runs inline, in the completing call: resuming a coroutine,
  // telling a combinator of an input, a raw registration's run, or as_task's bridge.
  struct inline_continuation {
    enum { resume_coroutine, tell_combinator, run_raw, run_bridge } kind;
    int id;                    // coroutine, combinator task, raw registration, or bridged task
    int input = 0;             // a combinator's input; a bridge's source
    std::int64_t version = 0;  // a bridge's generation
  };
  // Section 6: inline runs nest only so deep; one past that waits, in order, for the
  // outermost inline run on its thread, which runs it once what it is running returns.
  void run_inline(const inline_continuation& c);
  void run_continuation(const inline_continuation& c);
  void resume(int coroutine);
  void finish(int coroutine, result_value result);
  void complete_task(int task, result_value result);
  void input_completed(int combinator, int input);
  outcome run_item(std::size_t index);
  int new_task();
  bool slot_live(int slot) const;
  value_task as_task(const value_task& vt, outcome& error);
  outcome inspect_when_all(int combinator) const;
  task_state state_of(int task) const;  // as the task's is_* queries name it
  // The combinator task; `into_vector`: results collected in a std::vector (an allocation).
  int start_combinator(combinator_kind kind, int first, int second, bool into_vector = false);
  // What a completion of that kind stores: `value`, a harness error carrying it, or a cancellation.
  static result_value completion_result(completion_kind kind, long value);

  static outcome to_outcome(const result_value& r) { return r.shown; }
  // Whether reading source `id` copies its value (a raw core; a pool whose sources copy)
  // rather than moving it out (vt's pooled and coroutine sources).
  bool reads_copy(int id) const {
    const source& src = sources_[static_cast<std::size_t>(id)];
    return src.raw_core || (!src.coroutine_pool && !sources_under_test_.consumption_moves_the_value);
  }
  // A read of a stored result: a copy (shared or re-readable results), or a move (a
  // one-shot consumption). A poisoned value's faulting copy or move becomes the error.
  static result_value copied(const result_value& r);
  static result_value moved(const result_value& r);
  // The runtime's read of a source's result for an as_task bridge.
  result_value bridged(int source, std::int64_t token);
  // A coroutine's co_return stores a copy of the value it computed.
  static result_value stored(result_value r) { return copied(r); }
  // Passing a result-backed value_task to a coroutine copies its value.
  static bool copy_throws(const value_task& vt);
  // One cancellation callback: its errors (a continuation thrown through its completion,
  // or its own throw) are appended to `errors`.
  void run_callback(std::size_t number, std::vector<inner_error>& errors);
  // What ran on the harness thread, as the runner records it: a worker's runs are not events.
  void note_event(long event) {
    if (!on_worker_) step_events_.push_back(event);
  }
  // While a default-executor worker runs what the model is doing: its thread's inline
  // runs start at depth 0 and defer to its own outermost run.
  struct on_worker {
    model& m;
    bool previous;
    bool worker;
    int depth;
    std::deque<inline_continuation> deferred;
    on_worker(model& owner, bool on_a_worker)
        : m(owner), previous(owner.on_worker_), worker(on_a_worker), depth(owner.inline_depth_) {
      m.on_worker_ = previous || worker;
      if (worker) {
        m.inline_depth_ = 0;
        deferred.swap(m.deferred_);
      }
    }
    ~on_worker() {
      m.on_worker_ = previous;
      if (worker) {
        m.inline_depth_ = depth;
        deferred.swap(m.deferred_);
      }
    }
    on_worker(const on_worker&) = delete;
    on_worker& operator=(const on_worker&) = delete;
  };
  // The op's step, read from the op table (apply_op); each op's is in its family's file
  // under harness/ops/.
  outcome apply_op(const op& o);
#define VTH_MODEL_STEP(name, code) outcome step_##name(const op& o);
  VTH_EACH_OP(VTH_MODEL_STEP)
  VTH_EACH_DRAIN_OP(VTH_MODEL_STEP)
#undef VTH_MODEL_STEP

  std::vector<source> sources_;  // harness pool and coroutine-pool sources
  std::vector<int> pool_sources_;  // harness pool, creation order
  std::vector<int> idle_;          // harness pool free list, oldest return first
  std::vector<int>::iterator next_idle_source(std::optional<int> observed);
  pool_snapshot pool_stats_;
  std::vector<task> tasks_;
  std::vector<coroutine> coroutines_;
  std::vector<raw_snapshot> raws_;
  std::vector<raw_behaviour> raw_behaviours_;
  // Each user aggregate's errors, flattened to harness error codes (task_faulted_aggregate).
  std::vector<std::vector<long>> aggregate_leaves_;
  // The exception a continuation (or a failing post) threw into the completing call, if any.
  std::optional<long> thrown_;
  bool item_threw_ = false;  // the last scheduler item let an exception out of run_one
  int initial_task_ = -1;    // every task slot's first task; with void values, completed_task()
  std::vector<int> when_all_slots_;  // combinator tasks, -1 while empty
  std::vector<int> core_sources_;    // the source standing for each core slot
  // Every source-backed value_task coroutine result (its source and token), in the order the
  // runner keeps them: what the drain consumes.
  std::vector<std::pair<int, std::int64_t>> coroutine_results_;
  std::vector<source_slot> source_slots_;
  std::vector<value_task> value_task_slots_;
  std::vector<int> task_slots_;
  std::vector<posted> queue_;
  std::vector<registration> registrations_;  // every cancel_on, in order
  std::vector<bool> canceled_;
  bool void_values_ = false;
  bool values_can_fault_ = false;  // tracked values: poisoned ones exist
  source_choices sources_under_test_;
  std::vector<int> observed_pool_choices_;  // observe_pool_choices', for the current op
  std::size_t next_pool_choice_ = 0;
  std::vector<long> step_events_;  // everything the last apply ran on the harness thread, in order
  bool on_worker_ = false;
  int inline_depth_ = 0;                       // inline runs nested on this thread now
  std::deque<inline_continuation> deferred_;  // what waits for this thread's outermost inline run
  std::size_t most_deferred_at_once_ = 0;
  int recycle_budget_;
  std::int64_t start_version_;
  std::optional<std::int64_t> last_token_rejection_;
  std::optional<outcome> last_race_winner_;
  bool result_build_fails_ = false;  // set by apply_failing_result_build for one op; the when_all it fails clears it
};

}  // namespace vth
