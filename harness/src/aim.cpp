#include <vth/aim.hpp>

#include <algorithm>
#include <optional>

#include <vth/model.hpp>

namespace vth {

namespace {
// Applies `o`, or `o` with one argument moved on to the next value where it applies (a
// byte-wide argument: among the next 15), to `m`; returns the op applied, or nothing. An op
// the model skips leaves it as it was (its checks come before its effects), so no copy is
// needed to try another; running a scheduler item is the exception (a posted completion of
// a gone generation is skipped after its item left the queue), and is never varied.
std::optional<op> apply_aimed(model& m, const op& o) {
  if (m.apply(o).kind != outcome_kind::skipped) return o;
  if (o.code == op_code::run_one || o.code == op_code::run_until_idle) return std::nullopt;
  const op_info& spec = info(o.code);
  for (std::size_t i = 0; i < static_cast<std::size_t>(spec.arg_count); ++i) {
    const int limit = spec.arg_limits[i];
    for (int step = 1; step < std::min(limit, 16); ++step) {
      op candidate = o;
      candidate.args[i] = static_cast<std::uint8_t>((o.args[i] + step) % limit);
      if (m.apply(candidate).kind != outcome_kind::skipped) return candidate;
    }
  }
  return std::nullopt;
}

// `code` with the arguments of the op it prepares, each within its own range.
op preparing(op_code code, const op& prepared) {
  op o{code, {}};
  for (std::size_t i = 0; i < 3; ++i) {
    const int limit = info(code).arg_limits[i];
    o.args[i] = static_cast<std::uint8_t>(limit > 0 ? prepared.args[i] % limit : 0);
  }
  return o;
}

// `o` applied to `m` after the ops that give it something to act on, all appended to
// `ops`; false, with `m` and `ops` untouched, when none does. Tried in turn: a rental (then
// also a value_task over it), a value_task, a when_all, a cancellation registration.
bool apply_prepared(model& m, const op& o, op_alphabet alphabet, std::vector<op>& ops) {
  static constexpr op_code preparations[] = {op_code::rent, op_code::wrap, op_code::when_all_into, op_code::cancel_on};
  for (const op_code first : preparations) {
    if (!in_alphabet(alphabet, first)) continue;
    model trial = m;  // a preparation that does not help must leave no trace
    const std::optional<op> prepared = apply_aimed(trial, preparing(first, o));
    if (!prepared) continue;
    std::optional<op> chosen = apply_aimed(trial, o);
    std::optional<op> also;
    if (!chosen && first == op_code::rent && in_alphabet(alphabet, op_code::wrap)) {
      model after_rent = trial;
      if ((also = apply_aimed(after_rent, preparing(op_code::wrap, o))) && (chosen = apply_aimed(after_rent, o))) {
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
}  // namespace

std::vector<op> aimed_at_live_slots(const std::vector<op>& drawn, const scenario_settings& settings) {
  std::vector<op> ops;
  ops.reserve(drawn.size());
  model m(settings);
  for (const op& o : drawn) {
    if (std::optional<op> chosen = apply_aimed(m, o)) {
      ops.push_back(*chosen);
    } else if (!apply_prepared(m, o, settings.alphabet, ops)) {
      ops.push_back(o);  // skipped whatever precedes it (run_one with nothing scheduled)
      m.apply(o);
    }
  }
  return ops;
}

}  // namespace vth
