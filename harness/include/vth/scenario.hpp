#pragma once
// A scenario: a straight-line program of operations over small sets of slots (pooled
// sources, value_tasks, tasks, cancellation sources) and explicit scheduler steps.
// It is what a property generates, what a fuzz input decodes to, and what a trace prints.
#include <array>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace vth {

inline constexpr int source_slots = 4;
inline constexpr int value_task_slots = 6;
inline constexpr int task_slots = 4;
inline constexpr int cancellation_slots = 2;
inline constexpr int when_all_slots = 2;
inline constexpr int core_slots = 2;
inline constexpr int pool_capacity = 3;  // fewer than source slots: rent can exhaust the pool

// Op codes are part of the input format (codec.hpp): each keeps its number forever. A new
// op takes the next free number; no op is ever renumbered, and a number is never reused.
enum class op_code : std::uint8_t {
  rent = 0,                  // S[a] = pool.rent()                     (skipped if S[a] holds a live rental)
  wrap = 1,                  // V[a] = value_task(S[b], S[b].version())
  wrap_wrong_token = 2,      // V[a] = value_task(S[b], version -/+ (c+1))  (c < 128: older, else newer)
  copy = 3,                  // V[a] = V[b]
  set_result = 4,            // S[a].set_result(b)
  set_exception = 5,         // S[a].set_exception(harness_error(b))
  set_canceled = 6,          // S[a].set_canceled(K[b].token())
  post_completion = 7,       // the scheduler will complete S[a]'s current generation: b = result/exception/cancel, value c
  result = 8,                // V[a].result()
  status = 9,                // V[a].status()
  as_task = 10,              // T[a] = V[b].as_task()
  preserve = 11,             // V[a] = V[b].preserve()
  await_in_task = 12,        // T[a] = task coroutine: co_await V[b], return value + 1
  await_in_value_task = 13,  // V[a] = value_task coroutine: co_await V[b], return value + 1
  await_task = 14,           // T[a] = task coroutine: co_await T[b], return value + 1
  task_result = 15,          // T[a].result()
  register_raw = 16,         // V[a]'s source: on_completed(counting continuation, V[a]'s token, use_scheduling_context)
  recycle = 17,              // S[a]: (b*256 + c + 1) times complete + consume + rent again (reaches token wraparound)
  when_all = 18,             // T[a] = sum of when_all(T[b], T[c])
  when_any = 19,             // T[a] = index of when_any(T[b], T[c])
  cancel_on = 20,            // K[b] cancellation will set_canceled S[a]'s current generation (if still pending)
  cancel = 21,               // K[a].cancel()
  run_one = 22,              // scheduler: run the ready item at index a % ready_count
  run_until_idle = 23,       // scheduler: run everything (FIFO)
  register_raw_with = 24,    // V[a]'s source: on_completed(counting continuation, V[a]'s token, flags b)
                             //   b: 0 none, 1 use_scheduling_context, 2 flow_execution_context, 3 both
  run_asynchronously = 25,   // S[a].run_continuations_asynchronously(b == 1) (the source keeps it when recycled)
  equals = 26,               // V[a] == V[b]
  task_exception = 27,       // T[a].exception(): none, or the error it holds
  when_all_into = 28,        // W[a] = when_all(T[b], T[c]) itself (a task of both results)
  inspect_when_all = 29,     // W[a]: pending, its sum, its cancellation, or its whole aggregate_error
  core_wrap = 30,            // V[a] = value_task(C[b], C[b].version()): a raw manual_reset core, not pooled
  core_complete = 31,        // C[a] completes: b = result/exception/cancel, value c
  core_reset = 32,           // C[a].reset()
  core_get_result = 33,      // C[a].get_result(version - b): a copy, re-readable until reset
  await_unbound = 34,        // T[a] = task coroutine: co_await V[b].configure_await(false), return value + 1
  make_faulted = 35,         // V[a] = value_task::from_exception(harness_error(b))
  make_canceled = 36,        // V[a] = value_task::from_canceled(K[b].token())  (invalid_argument unless canceled)
  task_status = 37,          // T[a]: pending / succeeded / faulted / canceled, from its is_* queries
  task_equals = 38,          // T[a] == T[b] (the same operation)
  task_faulted = 39,         // T[a] = task::from_exception(harness_error(b))
  task_canceled = 40,        // T[a] = task::from_canceled(K[b].token())  (invalid_argument unless canceled)
  run_on = 41,               // T[a] = vt::run(the scenario's scheduler, returns b)
  cancel_check = 42,         // K[a].token().throw_if_cancellation_requested()
  run_default = 43,          // T[a] = vt::run(returns b) on the default executor (the runner waits for it)
  complete_on_worker = 44,   // a default-executor worker completes S[a]: b = result/exception/cancel, value c
  complete_on_own_pool = 45, // the same from a thread_pool of its own, destroyed when the op ends
  unregister = 46,           // the a-th most recent cancel_on registration: b 0 unregister() (reports true/false),
                             //   b 1 replaced by an empty registration (move assignment unregisters)
  complete_after_delay = 47, // a thread_pool timer of its own completes S[a] after a real delay: b kind, value c
  await_task_unbound = 48,   // T[a] = task coroutine: co_await T[b].configure_await(false), return value + 1
  // Faults in user code (docs/semantics.md section 9). Poisoned values exist only with tracked values.
  set_poisoned = 49,         // a < 4: S[a], else C[a-4] completes with value c poisoned (tracked values only):
                             //   b 0 copy throws, passed by move; 1 move throws, passed by copy (stored fine);
                             //   b 2 copy throws, passed by copy; 3 move throws, passed by move (the store throws)
  make_poisoned = 50,        // V[a] = value_task(value c poisoned): b 0 copy throws, 1 move throws
  register_throwing = 51,    // as register_raw_with (flags b), but the continuation throws after it runs
  register_post_fails = 52,  // V[a]'s source: on_completed(use_scheduling_context) under an executor whose post throws
  cancel_on_acting = 53,     // as cancel_on S[a] K[b], and then the callback acts: c 0 throws,
                             //   c 1 unregisters the registration made just before this one
  await_task_chain = 54,     // T[a] = c + 1 await_task_unbound links, the first awaiting T[b]
  allocation_fails = 55,     // the next op's (a+1)-th operator new throws std::bad_alloc, when that op is one
                             //   whose runtime allocations all come before its effects (allocation_failure_applies)
  result_on_worker = 56,     // V[a].result() on a default-executor worker; the runner waits for it
  when_all_nested = 57,      // T[a] = sum of when_all(W[b], T[c]): a when_all whose input is a when_all (its
                             //   aggregate_error flattened into this one's; awaiting rethrows the first)
  bad_argument = 58,         // a call given a null or empty argument (bad_argument_call(a)), slot b: invalid_argument,
                             //   nothing changes (docs/semantics.md sections 1, 3 and 8)
  when_all_of_none = 59,     // W[a] = when_all(no tasks): completed at once, with no results
  run_throws = 60,           // T[a] = vt::run(f), f throws harness_error(b): c 0 on the scenario's scheduler,
                             //   c 1 on the default executor (the runner waits for it)
  make_faulted_by_cancellation = 61,  // V[a] = value_task::from_exception(operation_canceled(K[b].token())):
                                      //   faulted, not canceled (section 4); awaiting it rethrows that exception
  set_exception_canceled = 62,        // S[a].set_exception(operation_canceled(K[b].token())): completes
                                      //   canceled (section 3), as set_canceled(K[b]'s token) would
  suspend_without_executor = 63,  // T[a] = a task coroutine started on a thread where no executor is current:
                                  //   c 0 co_await vt::yield() (posts to the default executor), c 1 co_await
                                  //   vt::delay(200 µs) (a real timer); returns b, or throws harness_error(
                                  //   suspension_skipped_code) if the yield resumed on the thread it
                                  //   started on or the delay ended early. The runner waits for it (section 6)
  task_faulted_aggregate = 64,  // T[a] = task::from_exception(aggregate_error{T[b]'s exception, if it holds a
                                //   harness_error or an aggregate_error; harness_error(c)}): user code's
                                //   aggregate, nested as deep as T[b]'s; a when_all over it flattens it whole
  run_poisoned = 65,  // T[a] = vt::run(f), f returns value c poisoned (tracked values only): b 0 copy throws,
                      //   1 move throws, on the scenario's scheduler; b 2, 3 the same on the default
                      //   executor (the runner waits for it). A result that cannot move into the task
                      //   faults it (section 9); one whose copies throw faults each read of it
  result_race = 66,  // two copies of V[a] (source-backed; else skipped) read at once, one on this thread and one
                     //   on a default-executor worker: one consumes the generation, the other is refused
                     //   naming the misuse (consumed twice, or a stale token 1 generation behind: section 8's
                     //   misuse racing legitimate use). The op's outcome is the loser's; the winner's read is
                     //   checked too
  await_in_value_task_unbound = 67,  // V[a] = value_task coroutine: co_await V[b].configure_await(false), return
                                     //   value + 1: it resumes where the completion runs (a worker's completion
                                     //   finishes it there, and its frame goes back on that thread)
  cancel_on_worker = 68,  // K[a].cancel() on a thread of its own (a one-thread pool; the runner waits): its
                          //   callbacks, and what they complete, run there; the outcome is cancel's
  count_,                    // one past the highest code an input can hold
  // The drain's ops (snapshot.hpp: next_drain_op): the runner appends them after an input's
  // last op, so that a trace shows how the scenario came to rest. No alphabet holds them:
  // no input encodes them. Frozen like the rest.
  drain_settle = 200,             // run the scheduler and the default executor until both rest, past
                                  //   throwing continuations; value: the scheduler items run
  drain_complete = 201,           // the harness pool's source #a (creation order) completes with result 0
  drain_consume = 202,            // the harness pool's source #a: get_result(its version)
  drain_consume_coroutine = 203,  // value_task coroutine result #(a*256 + b): get_result(its token)
};

inline constexpr bool is_drain(op_code code) noexcept { return code >= op_code::drain_settle; }

inline constexpr int op_code_count = static_cast<int>(op_code::count_);

struct op {
  op_code code = op_code::run_until_idle;
  std::array<std::uint8_t, 3> args{};  // canonical: each within its range (see op_info)

  friend bool operator==(const op&, const op&) = default;
};

// Everything besides the ops that changes what a scenario means. It travels inside every
// encoded input (codec.hpp), so the same bytes mean the same run in a property, a fuzz
// target, a replay and a printed regression test.
enum class op_alphabet : std::uint8_t {
  full = 0,       // every op (fuzz_source_protocol)
  recycling = 1,  // rentals, copies, long recycle runs, stale handles (fuzz_pool_recycling)
};
enum class value_type : std::uint8_t {
  int_value = 0,
  tracked = 1,  // vth::tracked_value: a move leaves a sentinel, so a move where a copy is due shows
  void_value = 2,  // value_task<void>, task<void>: results carry no value (the model reports them as 0)
};
inline constexpr int value_type_count = 3;
enum class recycle_budget : std::uint8_t {
  small = 0,               // 512 recycles: cheap inputs
  medium = 1,              // 4,096
  wraps_16_bit_twice = 2,  // 140,000: enough to wrap a 16-bit token twice
};
inline constexpr int recycle_budget_count = 3;
int recycle_limit(recycle_budget budget) noexcept;

struct scenario_settings {
  op_alphabet alphabet = op_alphabet::full;
  value_type values = value_type::int_value;
  recycle_budget budget = recycle_budget::wraps_16_bit_twice;
  std::uint32_t start_version = 0;  // every pooled source starts its versions here

  friend bool operator==(const scenario_settings&, const scenario_settings&) = default;
};

struct scenario {
  std::vector<op> ops;
  scenario_settings settings;

  scenario() = default;
  scenario(std::vector<op> operations, scenario_settings with = {}) : ops(std::move(operations)), settings(with) {}
  friend bool operator==(const scenario&, const scenario&) = default;
};

// The ops an alphabet can encode, indexed by the byte that encodes each (frozen: a new op
// is appended, never inserted).
std::span<const op_code> alphabet_table(op_alphabet alphabet) noexcept;
bool in_alphabet(op_alphabet alphabet, op_code code) noexcept;

// Ops whose runtime allocations (frame, task state, pool growth, combinator state) all
// happen before anything observable changes, so that section 9's "std::bad_alloc
// propagates to the caller; pools and sources unchanged" is the whole prediction when one
// fails. A coroutine's own allocations inside its body (a value_task coroutine renting its
// source as it first suspends, the links of a chain) are left out: where those land is the
// runtime's business.
bool allocation_failure_applies(op_code code) noexcept;

// Static description of an op: its name and the range of each argument.
struct op_info {
  const char* name;
  int arg_count;
  std::array<int, 3> arg_limits;  // argument i is in [0, arg_limits[i])
};

const op_info& info(op_code code) noexcept;

// One line, e.g. "wrap V2 S1" or "recycle S0 x65536".
std::string describe(const op& o);

// For test frameworks (RapidCheck's showValue, GoogleTest's PrintTo) to print ops readably.
void showValue(op_code code, std::ostream& os);
void showValue(const op& o, std::ostream& os);
void showValue(const scenario& s, std::ostream& os);

// One line, e.g. "alphabet full, int values, recycle budget 140000, start version 65530".
std::string describe(const scenario_settings& settings);

// What when_all's wrapper returns for its inputs' values: the sum, kept small (a slot fed
// to when_all with itself doubles each time).
inline long combined_sum(long a, long b) noexcept { return (a + b) % 1'000'000; }

// Typed readings of an op's argument bytes, so that the model, the runner and the printer
// decode them one way.

// How a completion op completes (post_completion, core_complete, complete_on_worker,
// complete_on_own_pool, complete_after_delay: argument b).
enum class completion_kind : std::uint8_t { result = 0, exception = 1, cancellation = 2 };
inline completion_kind completion_of(std::uint8_t b) noexcept {
  return b == 0 ? completion_kind::result : b == 1 ? completion_kind::exception : completion_kind::cancellation;
}

// wrap_wrong_token's token, relative to its source's version: c < 128 is c + 1 older,
// else c - 127 newer.
inline std::int64_t token_offset(const op& o) noexcept {
  const int c = o.args[2];
  return c < 128 ? -(c + 1) : c - 127;
}

// Which value_task coroutine result a drain_consume_coroutine op consumes, and the op
// that consumes result `index` (below 65,536).
inline std::size_t coroutine_result_index(const op& o) noexcept { return std::size_t{o.args[0]} * 256 + o.args[1]; }
inline op consume_coroutine_result(std::size_t index) noexcept {
  return {op_code::drain_consume_coroutine, {static_cast<std::uint8_t>(index / 256), static_cast<std::uint8_t>(index % 256), 0}};
}

// Which call a bad_argument op makes (argument a), and the slot it uses, if any: C[b % 2],
// K[b % 2], or T[b % 4] as the other input of a when_all or when_any. Nothing is stored.
enum class bad_argument_call : std::uint8_t {
  core_set_null_exception = 0,      // C.set_exception(nullptr)
  core_on_completed_null_fn = 1,    // C.on_completed(nullptr, ..., its current version, none)
  value_task_of_null_source = 2,    // value_task(nullptr, 0)
  value_task_of_empty_task = 3,     // value_task(task<T>{})
  value_task_null_exception = 4,    // value_task::from_exception(nullptr)
  task_null_exception = 5,          // task::from_exception(nullptr)
  register_empty_callback = 6,      // K.token().register_callback(an empty std::function)
  when_all_vector_empty_task = 7,   // when_all({T, task<T>{}})
  when_all_pair_empty_task = 8,     // when_all(T, task<T>{})
  when_any_of_none = 9,             // when_any(no tasks)
  when_any_pair_empty_task = 10,    // when_any(T, task<T>{})
  count_
};
inline constexpr int bad_argument_call_count = static_cast<int>(bad_argument_call::count_);
const char* describe(bad_argument_call call) noexcept;

// Number of recycles a `recycle` op performs.
inline int recycle_count(const op& o) noexcept { return o.args[1] * 256 + o.args[2] + 1; }

}  // namespace vth
