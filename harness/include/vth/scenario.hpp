#pragma once
// A scenario: a straight-line program of operations over small sets of slots (pooled
// sources, value_tasks, tasks, cancellation sources) and explicit scheduler steps.
// It is what a property generates, what a fuzz input decodes to, and what a trace prints.
#include <array>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace vth {

inline constexpr int source_slots = 4;
inline constexpr int value_task_slots = 6;
inline constexpr int task_slots = 4;
inline constexpr int cancellation_slots = 2;
inline constexpr int pool_capacity = 3;  // fewer than source slots: rent can exhaust the pool

enum class op_code : std::uint8_t {
  rent,               // S[a] = pool.rent()                     (skipped if S[a] holds a live rental)
  wrap,               // V[a] = value_task(S[b], S[b].version())
  wrap_wrong_token,   // V[a] = value_task(S[b], version -/+ (c+1))  (c < 128: older, else newer)
  copy,               // V[a] = V[b]
  set_result,         // S[a].set_result(b)
  set_exception,      // S[a].set_exception(harness_error(b))
  set_canceled,       // S[a].set_canceled(K[b].token())
  post_completion,    // the scheduler will complete S[a]'s current generation: b%3 = result/exception/cancel, value c
  result,             // V[a].result()
  status,             // V[a].status()
  as_task,            // T[a] = V[b].as_task()
  preserve,           // V[a] = V[b].preserve()
  await_in_task,      // T[a] = task coroutine: co_await V[b], return value + 1
  await_in_value_task,// V[a] = value_task coroutine: co_await V[b], return value + 1
  await_task,         // T[a] = task coroutine: co_await T[b], return value + 1
  task_result,        // T[a].result()
  register_raw,       // V[a]'s source: on_completed(counting continuation, V[a]'s token, use_scheduling_context)
  recycle,            // S[a]: (b*256 + c + 1) times complete + consume + rent again (reaches token wraparound)
  when_all,           // T[a] = sum of when_all(T[b], T[c])
  when_any,           // T[a] = index of when_any(T[b], T[c])
  cancel_on,          // K[b] cancellation will set_canceled S[a]'s current generation (if still pending)
  cancel,             // K[a].cancel()
  run_one,            // scheduler: run the ready item at index a % ready_count
  run_until_idle,     // scheduler: run everything (FIFO)
  count_
};

inline constexpr int op_code_count = static_cast<int>(op_code::count_);

struct op {
  op_code code = op_code::run_until_idle;
  std::array<std::uint8_t, 3> args{};  // canonical: each within its range (see op_info)

  friend bool operator==(const op&, const op&) = default;
};

struct scenario {
  std::vector<op> ops;
  friend bool operator==(const scenario&, const scenario&) = default;
};

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

// What when_all's wrapper returns for its inputs' values: the sum, kept small (a slot fed
// to when_all with itself doubles each time).
inline long combined_sum(long a, long b) noexcept { return (a + b) % 1'000'000; }

// Total recycles one scenario may perform by default (later recycle ops are skipped):
// enough to wrap a 16-bit token twice.
inline constexpr int default_recycle_budget = 140'000;

// Number of recycles a `recycle` op performs.
inline int recycle_count(const op& o) noexcept { return o.args[1] * 256 + o.args[2] + 1; }

}  // namespace vth
