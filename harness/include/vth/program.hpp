#pragma once
// Async programs: a tree of coroutines that await pooled sources, each other, when_all
// and yield, throw, catch, and record side effects. The same tree runs once as task<int>
// coroutines and once as value_task<int> coroutines (leaves that never await use the
// non-coroutine from_result path), under the same schedule; the results, the errors and
// the order of side effects must agree, and match the model's evaluation.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <vth/outcome.hpp>

namespace vth {

enum class node_kind : std::uint8_t {  // frozen numbers: part of the input format
  value = 0,     // returns `value`
  fail = 1,      // throws error<value>
  source = 2,    // awaits a pooled source completed by a scheduler item: `completion` and `value`
  sequence = 3,  // awaits each child in turn; the sum
  all = 4,       // when_all of the children; the sum
  yield = 5,     // co_await vt::yield(), then its child
  recover = 6,   // awaits its child; an error (not a cancellation) becomes `value`
  delay = 7,     // co_await vt::delay(value % 8 + 1 ms of the scheduler's virtual time), then its child
  count_
};

struct node {
  node_kind kind = node_kind::value;
  int value = 0;
  int completion = 0;  // source: 0 result, 1 error, 2 canceled
  std::vector<node> children;
  friend bool operator==(const node&, const node&) = default;
};

// Which ready item the program's scheduler runs next (vt::schedule_chooser). Part of the
// input format from version 2 on; a version-1 program is `list`.
enum class schedule_kind : std::uint8_t {
  list = 0,           // the program's choices, in order (then FIFO)
  fifo = 1,
  seeded_random = 2,  // vt::random_chooser(seed)
  pct = 3,            // vt::pct_chooser(seed, pct_depth % 4 + 1, 64 steps)
};
inline constexpr int schedule_kind_count = 4;

struct program {
  node root;
  std::vector<std::uint8_t> choices;  // scheduler choices, in order (then FIFO)
  schedule_kind schedule = schedule_kind::list;
  std::uint32_t seed = 0;
  std::uint8_t pct_depth = 0;
  friend bool operator==(const program&, const program&) = default;
};

inline constexpr int max_program_depth = 5;
inline constexpr int max_program_nodes = 40;

// A program's body (what follows the input header, codec.hpp): total decoding and
// canonical encoding, as for scenarios. Node kinds keep their numbers forever.
program decode_program(std::span<const std::uint8_t> bytes);
// How many bytes the body's node tree lacks (decode_program reads each as 0): a truncated input.
std::size_t program_bytes_missing(std::span<const std::uint8_t> bytes);
std::vector<std::uint8_t> encode_program(const program& p);
// The body as the unversioned format read it (kinds wrapped modulo their count): only for
// upgrading old inputs (legacy_input.hpp).
program decode_program_unversioned(std::span<const std::uint8_t> bytes);

// The model: what the program returns, whatever the schedule.
outcome evaluate(const node& root);

struct program_run {
  outcome result;
  std::vector<int> effects;  // +id entered, -id left, 1000+id recovered
  std::string problem;       // e.g. the root never completed
};

program_run run_with_task(const program& p);
program_run run_with_value_task(const program& p);

class step_watcher;

// Empty when task, value_task and the model agree; else what differs. A watcher sees each of
// the two runs before it starts (runner.hpp).
std::string check_program(const program& p, step_watcher* watcher = nullptr);

std::string describe(const node& root);

}  // namespace vth
