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

// The frozen table: every op's name and code, in code order. Codes are part of the input
// format (codec.hpp): each keeps its number forever. A new op takes the next free number; no
// op is ever renumbered, and a number is never reused. What each op does, its arguments and
// its two steps are declared once, in its family's file under harness/ops/.
#define VTH_EACH_OP(X) \
  X(rent, 0) \
  X(wrap, 1) \
  X(wrap_wrong_token, 2) \
  X(copy, 3) \
  X(set_result, 4) \
  X(set_exception, 5) \
  X(set_canceled, 6) \
  X(post_completion, 7) \
  X(result, 8) \
  X(status, 9) \
  X(as_task, 10) \
  X(preserve, 11) \
  X(await_in_task, 12) \
  X(await_in_value_task, 13) \
  X(await_task, 14) \
  X(task_result, 15) \
  X(register_raw, 16) \
  X(recycle, 17) \
  X(when_all, 18) \
  X(when_any, 19) \
  X(cancel_on, 20) \
  X(cancel, 21) \
  X(run_one, 22) \
  X(run_until_idle, 23) \
  X(register_raw_with, 24) \
  X(run_asynchronously, 25) \
  X(equals, 26) \
  X(task_exception, 27) \
  X(when_all_into, 28) \
  X(inspect_when_all, 29) \
  X(core_wrap, 30) \
  X(core_complete, 31) \
  X(core_reset, 32) \
  X(core_get_result, 33) \
  X(await_unbound, 34) \
  X(make_faulted, 35) \
  X(make_canceled, 36) \
  X(task_status, 37) \
  X(task_equals, 38) \
  X(task_faulted, 39) \
  X(task_canceled, 40) \
  X(run_on, 41) \
  X(cancel_check, 42) \
  X(run_default, 43) \
  X(complete_on_worker, 44) \
  X(complete_on_own_pool, 45) \
  X(unregister, 46) \
  X(complete_after_delay, 47) \
  X(await_task_unbound, 48) \
  X(set_poisoned, 49) \
  X(make_poisoned, 50) \
  X(register_throwing, 51) \
  X(register_post_fails, 52) \
  X(cancel_on_acting, 53) \
  X(await_task_chain, 54) \
  X(allocation_fails, 55) \
  X(result_on_worker, 56) \
  X(when_all_nested, 57) \
  X(bad_argument, 58) \
  X(when_all_of_none, 59) \
  X(run_throws, 60) \
  X(make_faulted_by_cancellation, 61) \
  X(set_exception_canceled, 62) \
  X(suspend_without_executor, 63) \
  X(task_faulted_aggregate, 64) \
  X(run_poisoned, 65) \
  X(result_race, 66) \
  X(await_in_value_task_unbound, 67) \
  X(cancel_on_worker, 68) \
  X(wrap_task, 69)
// The drain's ops (snapshot.hpp: next_drain_op): the runner appends them after an input's
// last op, so that a trace shows how the scenario came to rest. No alphabet holds them: no
// input encodes them. Frozen like the rest.
#define VTH_EACH_DRAIN_OP(X) \
  X(drain_settle, 200) \
  X(drain_complete, 201) \
  X(drain_consume, 202) \
  X(drain_consume_coroutine, 203)

enum class op_code : std::uint8_t {
#define VTH_OP_ENUMERATOR(name, code) name = code,
  VTH_EACH_OP(VTH_OP_ENUMERATOR)
  count_,  // one past the highest code an input can hold
  VTH_EACH_DRAIN_OP(VTH_OP_ENUMERATOR)
#undef VTH_OP_ENUMERATOR
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

// How an op uses an argument: a plain value (a number, a choice), or a slot of a kind ('S'
// source, 'V' value_task, 'T' task, 'K' cancellation source, 'W' when_all, 'C' core) that it
// makes, reads (consumes, inspects, completes, converts, awaits), registers a continuation on
// by hand, or compares with another.
enum class arg_use : std::uint8_t { value, makes, reads, registers_on, compares };
struct op_arg {
  char slot = 0;  // 0 for a value
  arg_use use = arg_use::value;
  friend constexpr bool operator==(const op_arg&, const op_arg&) = default;
};
inline constexpr op_arg number{};
constexpr op_arg makes(char slot) noexcept { return {slot, arg_use::makes}; }
constexpr op_arg reads(char slot) noexcept { return {slot, arg_use::reads}; }
constexpr op_arg registers_on(char slot) noexcept { return {slot, arg_use::registers_on}; }
constexpr op_arg compares(char slot) noexcept { return {slot, arg_use::compares}; }

// What the model, the runner and the generators need to know of an op besides its arguments.
struct op_flags {
  bool reads_a_result = false;  // its outcome is a value read out (with void values, reported as 0)
  bool allocation_failure_applies = false;           // see allocation_failure_applies, above
  bool continuations_on_the_harness_thread = false;  // all it runs, it runs here, in the contract's order
  bool awaits_its_value_task = false;  // registers a continuation on its value_task's source while it is pending
  bool resumes_where_the_completion_runs = false;  // that continuation runs on the completing thread
  bool awaits_its_tasks_inline = false;  // its continuations on its tasks run inside their completion
  bool completes_on_another_thread = false;  // completes its source (argument a) on a thread not the harness's
};

// Static description of an op, from its declaration (harness/ops/): its name, the range and
// use of each argument, and its flags.
struct op_info {
  const char* name;
  int arg_count;
  std::array<int, 3> arg_limits;  // argument i is in [0, arg_limits[i])
  std::array<op_arg, 3> args{};
  op_flags flags{};
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

// An op's three argument bytes as ints.
inline std::array<int, 3> arguments(const op& o) noexcept { return {o.args[0], o.args[1], o.args[2]}; }

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
