#include <vth/aim.hpp>

#include <algorithm>
#include <array>
#include <optional>

#include <vth/model.hpp>

namespace vth {

namespace {
// `o`, or else `o` with one argument moved on to the next value (a byte-wide argument:
// among the next 15) that `takes` accepts; nothing when none does. A scheduler step is
// never varied: which item it runs is its argument modulo what is queued.
template <class Takes>
std::optional<op> first_taken(const op& o, Takes&& takes) {
  if (takes(o)) return o;
  if (o.code == op_code::run_one || o.code == op_code::run_until_idle) return std::nullopt;
  const op_info& spec = info(o.code);
  for (std::size_t i = 0; i < static_cast<std::size_t>(spec.arg_count); ++i) {
    const int limit = spec.arg_limits[i];
    for (int step = 1; step < std::min(limit, 16); ++step) {
      op candidate = o;
      candidate.args[i] = static_cast<std::uint8_t>((o.args[i] + step) % limit);
      if (takes(candidate)) return candidate;
    }
  }
  return std::nullopt;
}

// Applies to `m` the first variant of `o` the model does not skip; returns it. An op the
// model skips leaves it as it was (its checks come before its effects), so no copy is
// needed to try another; running a scheduler item is the exception (a posted completion of
// a gone generation is skipped after its item left the queue), and is never varied.
std::optional<op> apply_aimed(model& m, const op& o) {
  return first_taken(o, [&m](const op& candidate) { return !is<outcomes::skipped>(m.apply(candidate)); });
}

// Applies to `m` the first variant of `o` that is neither skipped nor a misuse's
// invalid_operation; returns it. A misuse may change the model (a consumption that fails
// still counts), so each try is on a copy.
std::optional<op> apply_past_misuse(model& m, const op& o) {
  return first_taken(o, [&m](const op& candidate) {
    model trial = m;
    const outcome shown = trial.apply(candidate);
    if (is<outcomes::skipped>(shown) || is<outcomes::invalid_operation>(shown)) return false;
    m = std::move(trial);
    return true;
  });
}

// `code` with the arguments of the op it prepares, each within its own range; where that
// op has no such argument (a scheduler step's posted completion), one mixed from those it
// has, so that a preparation's own arguments still vary.
op preparing(op_code code, const op& prepared) {
  op o{code, {}};
  const std::uint32_t mixed = (prepared.args[0] * 2654435761u) ^ (prepared.args[1] * 40503u) ^ prepared.args[2];
  for (std::size_t i = 0; i < 3; ++i) {
    const int limit = info(code).arg_limits[i];
    const unsigned value = static_cast<int>(i) < info(prepared.code).arg_count ? prepared.args[i] : (mixed >> (8 * i)) & 0xff;
    o.args[i] = static_cast<std::uint8_t>(limit > 0 ? value % static_cast<unsigned>(limit) : 0);
  }
  return o;
}

// `o` applied to `m` after the ops that give it something to act on, all appended to
// `ops`; false, with `m` and `ops` untouched, when none does. Tried in turn: a rental (then
// also a value_task over it, or a completion posted to the scheduler), a value_task, a
// when_all, a cancellation registration, a posted completion (a scheduler step's item).
bool apply_prepared(model& m, const op& o, op_alphabet alphabet, std::vector<op>& ops) {
  static constexpr op_code preparations[] = {op_code::rent, op_code::wrap, op_code::when_all_into, op_code::cancel_on,
                                             op_code::post_completion};
  static constexpr op_code after_a_rental[] = {op_code::wrap, op_code::post_completion};
  for (const op_code first : preparations) {
    if (!in_alphabet(alphabet, first)) continue;
    model trial = m;  // a preparation that does not help must leave no trace
    const std::optional<op> prepared = apply_aimed(trial, preparing(first, o));
    if (!prepared) continue;
    std::optional<op> chosen = apply_aimed(trial, o);
    std::optional<op> also;
    for (const op_code second : after_a_rental) {
      if (chosen || first != op_code::rent || !in_alphabet(alphabet, second)) break;
      model after_rent = trial;
      if ((also = apply_aimed(after_rent, preparing(second, o))) && (chosen = apply_aimed(after_rent, o))) {
        trial = std::move(after_rent);
      }
    }
    if (!chosen) continue;
    ops.push_back(*prepared);
    if (also) ops.push_back(*also);
    ops.push_back(*chosen);
    m = std::move(trial);
    return true;
  }
  return false;
}

// The arguments through which an op reads a task slot.
std::vector<std::size_t> task_inputs(op_code code) {
  std::vector<std::size_t> inputs;
  const op_info& op = info(code);
  for (std::size_t i = 0; i < op.args.size(); ++i) {
    if (op.args[i] == reads('T')) inputs.push_back(i);
  }
  return inputs;
}

// The arguments through which an op awaits a task slot with a continuation run inline in
// the task's completion (a combinator's, or a coroutine's that captured no context).
std::vector<std::size_t> inline_task_awaits(op_code code) {
  return info(code).flags.awaits_its_tasks_inline ? task_inputs(code) : std::vector<std::size_t>{};
}

// The argument through which an op consumes or reads a value_task slot, if any.
std::optional<std::size_t> value_task_input(op_code code) {
  const op_info& op = info(code);
  for (std::size_t i = 0; i < op.args.size(); ++i) {
    if (op.args[i] == reads('V')) return i;
  }
  return std::nullopt;
}

bool awaits_a_value_task(op_code code) { return info(code).flags.awaits_its_value_task; }
bool completes_on_another_thread(op_code code) { return info(code).flags.completes_on_another_thread; }
bool makes_a_value_task(op_code code) { return info(code).args[0] == makes('V'); }
bool runs_where_the_completion_runs(op_code code) { return info(code).flags.resumes_where_the_completion_runs; }

// Where the slots' contents came from, for inputs: a slot still holding what every slot
// starts with (a ready 0) is read as the slot made most recently instead, where there is
// one. What an earlier op produced (a value_task over a poisoned result, a faulted await)
// then flows on into awaits, as_task, when_all and inspections.
struct recent_slots {
  int task = -1;
  int value_task = -1;
  std::array<bool, value_task_slots> value_task_made{};

  op reading_recent(op o, const model& m) const {
    if (task >= 0) {
      for (const std::size_t i : task_inputs(o.code)) {
        if (m.holds_initial_task(o.args[i] % task_slots)) o.args[i] = static_cast<std::uint8_t>(task);
      }
    }
    // An await of a completed task goes through at once; of a pending one, it registers and
    // resumes inside the task's completion, nested as deep as the chain of completions
    // goes, past the depth where inline runs wait for the outermost (section 6). A chain's
    // root, and half the draws of the other inline awaits of a task (those whose arguments
    // add up odd), read a pending task where a slot holds one.
    for (const std::size_t i : inline_task_awaits(o.code)) {
      const bool odd_draw = (o.args[0] + o.args[1] + o.args[2]) % 2 == 1;
      if (m.holds_pending_task(o.args[i] % task_slots) || (o.code != op_code::await_task_chain && !odd_draw)) continue;
      for (int step = 1; step < task_slots; ++step) {
        const int slot = (o.args[i] + step) % task_slots;
        if (!m.holds_pending_task(slot)) continue;
        o.args[i] = static_cast<std::uint8_t>(slot);
        break;
      }
    }
    if (const auto i = value_task_input(o.code); i && value_task >= 0 && !value_task_made[o.args[*i] % value_task_slots]) {
      o.args[*i] = static_cast<std::uint8_t>(value_task);
    }
    // An await of a completed value_task goes straight through; one resumed by a completion
    // (on a worker: its frame then handed over and released there, its task completed there)
    // needs a pending one: half its draws read a value_task over a pending source where a
    // slot holds one.
    if (const auto i = value_task_input(o.code);
        i && awaits_a_value_task(o.code) && (o.args[0] + o.args[1]) % 2 == 0 && !m.holds_pending_source(o.args[*i] % value_task_slots)) {
      for (int step = 1; step < value_task_slots; ++step) {
        const int slot = (o.args[*i] + step) % value_task_slots;
        if (!m.holds_pending_source(slot)) continue;
        o.args[*i] = static_cast<std::uint8_t>(slot);
        break;
      }
    }
    // A completion from another thread crosses threads only as far as what it completes
    // reaches: half its draws complete a source someone awaits (a coroutine, a task bridge,
    // a combinator's input behind them) where a slot holds one, so that their resumption,
    // frames and counters run on that thread too.
    if (completes_on_another_thread(o.code) && (o.args[1] + o.args[2]) % 2 == 0 &&
        !m.holds_awaited_source(o.args[0] % source_slots)) {
      for (int step = 1; step < source_slots; ++step) {
        const int slot = (o.args[0] + step) % source_slots;
        if (!m.holds_awaited_source(slot)) continue;
        o.args[0] = static_cast<std::uint8_t>(slot);
        break;
      }
    }
    return o;
  }
};

// Whether some value_task slot holds a value_task over a pending pool source.
bool any_pending_value_task(const model& m) {
  for (int slot = 0; slot < value_task_slots; ++slot) {
    if (m.holds_pending_source(slot)) return true;
  }
  return false;
}

// Before an await of V[slot] where no value_task waits on a pending source: a value_task over
// one put in V[slot] (a pending rental wrapped, rented first where no slot holds one), the
// ops appended to `ops`; nothing, with `m` untouched, when the pool or the alphabet gives none.
void put_pending_value_task(model& m, int slot, op_alphabet alphabet, std::vector<op>& ops) {
  if (!in_alphabet(alphabet, op_code::wrap)) return;
  model trial = m;
  std::vector<op> put;
  int rental = -1;
  for (int s = 0; s < source_slots && rental < 0; ++s) {
    if (trial.holds_pending_rental(s)) rental = s;
  }
  for (int s = 0; s < source_slots && rental < 0 && in_alphabet(alphabet, op_code::rent); ++s) {
    const op rent{op_code::rent, {static_cast<std::uint8_t>(s), 0, 0}};
    if (!is<outcomes::done>(trial.apply(rent))) continue;
    put.push_back(rent);
    rental = s;
  }
  if (rental < 0) return;
  const op wrap{op_code::wrap, {static_cast<std::uint8_t>(slot), static_cast<std::uint8_t>(rental), 0}};
  if (!is<outcomes::done>(trial.apply(wrap))) return;
  put.push_back(wrap);
  ops.insert(ops.end(), put.begin(), put.end());
  m = std::move(trial);
}

}  // namespace

std::vector<op> aimed_at_live_slots(const std::vector<op>& drawn, const scenario_settings& settings,
                                    misuse drawn_misuse) {
  std::vector<op> ops;
  ops.reserve(drawn.size());
  model m(settings);
  recent_slots recent;
  std::array<int, task_slots> tasks{};
  for (const op& d : drawn) {
    for (int t = 0; t < task_slots; ++t) tasks[static_cast<std::size_t>(t)] = m.task_in_slot(t);
    const std::size_t first_new = ops.size();
    // Half the draws of an await that resumes where the completion runs (or of a task bridged
    // over a value_task) wait for a completion, so that one on a worker carries them there:
    // where no value_task over a pending source exists, one is put in first.
    if (const auto i = value_task_input(d.code);
        i && runs_where_the_completion_runs(d.code) && (d.args[0] + d.args[1]) % 2 == 0 && !any_pending_value_task(m)) {
      put_pending_value_task(m, d.args[*i] % value_task_slots, settings.alphabet, ops);
    }
    const op o = recent.reading_recent(d, m);
    std::optional<op> lawful;
    if (drawn_misuse == misuse::aimed_past && (lawful = apply_past_misuse(m, o))) {
      ops.push_back(*lawful);
    } else if (std::optional<op> chosen = apply_aimed(m, o)) {
      ops.push_back(*chosen);
    } else if (!apply_prepared(m, o, settings.alphabet, ops)) {
      ops.push_back(o);  // skipped whatever precedes it
      m.apply(o);
    }
    for (int t = 0; t < task_slots; ++t) {
      if (m.task_in_slot(t) != tasks[static_cast<std::size_t>(t)]) recent.task = t;
    }
    // Counted as made when drawn or put in (the model does not say whether it took effect).
    for (std::size_t k = first_new; k < ops.size(); ++k) {
      if (!makes_a_value_task(ops[k].code)) continue;
      recent.value_task = ops[k].args[0] % value_task_slots;
      recent.value_task_made[static_cast<std::size_t>(recent.value_task)] = true;
    }
  }
  return ops;
}

}  // namespace vth
