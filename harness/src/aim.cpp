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
}  // namespace

std::vector<op> aimed_at_live_slots(const std::vector<op>& drawn, const scenario_settings& settings) {
  std::vector<op> ops;
  ops.reserve(drawn.size());
  model m(settings);
  for (const op& o : drawn) {
    if (std::optional<op> chosen = apply_aimed(m, o)) {
      ops.push_back(*chosen);
    } else if (!apply_prepared(m, o, settings.alphabet, ops)) {
      ops.push_back(o);  // skipped whatever precedes it
      m.apply(o);
    }
  }
  return ops;
}

}  // namespace vth
