#include <vth/model.hpp>

#include <algorithm>

#include <vth/harness_error.hpp>
#include <vth/misuse.hpp>

#include "model_support.hpp"

namespace vth {

using namespace model_support;

model::model(const scenario_settings& settings, source_choices sources)
    : source_slots_(source_slots), value_task_slots_(value_task_slots), task_slots_(task_slots),
      canceled_(cancellation_slots, false), void_values_(settings.values == value_type::void_value),
      values_can_fault_(settings.values == value_type::tracked), sources_under_test_(sources),
      recycle_budget_(recycle_limit(settings.budget)), start_version_(settings.start_version) {
  // Every task slot starts as one shared task<int>::from_result(0).
  sources_.reserve(16);
  tasks_.reserve(32);
  coroutines_.reserve(16);
  const int initial = new_task();
  tasks_[static_cast<std::size_t>(initial)].completed = true;
  for (int& slot : task_slots_) slot = initial;
  initial_task_ = initial;
  when_all_slots_.assign(when_all_slots, -1);
  for (int i = 0; i < core_slots; ++i) {
    source core;
    core.raw_core = true;
    core.rented = true;  // a bare core is always its owner's
    core.version = start_version_;
    sources_.push_back(core);
    core_sources_.push_back(static_cast<int>(sources_.size()) - 1);
  }
}

std::optional<outcome> model::apply_failing_result_build(const op& o) {
  result_build_fails_ = true;
  const outcome result = apply(o);
  const bool used = !result_build_fails_;  // a when_all completing in this op took it
  result_build_fails_ = false;
  if (!used) return std::nullopt;
  return result;
}

model::result_value model::copied(const result_value& r) {
  if (is<outcomes::value>(r.shown) && r.poisoned == poison::copy_throws) return {outcomes::error{injected_fault_code}};
  return r;
}

model::result_value model::moved(const result_value& r) {
  if (is<outcomes::value>(r.shown) && r.poisoned == poison::move_throws) return {outcomes::error{injected_fault_code}};
  return r;
}

model::result_value model::bridged(int id, std::int64_t token) {
  const bool copies = reads_copy(id);
  const result_value r = get_result(id, token);  // moved out of the source, or a copy
  return copies ? moved(r) : r;                  // the bridge moves a copy in
}

model::result_value model::completion_result(completion_kind kind, long value) {
  switch (kind) {
    case completion_kind::result: break;
    case completion_kind::exception: return {outcomes::error{value}};
    case completion_kind::cancellation: return {outcomes::canceled{}};
  }
  return {outcomes::value{value}};
}

bool model::slot_live(int slot) const {
  const source_slot& s = source_slots_[static_cast<std::size_t>(slot)];
  if (s.source < 0) return false;
  const source& src = sources_[static_cast<std::size_t>(s.source)];
  return src.rented && src.version == s.version;
}

void model::observe_pool_choices(std::vector<int> choices) {
  observed_pool_choices_ = std::move(choices);
  next_pool_choice_ = 0;
}

// The idle source the pool under test hands out next, as the adapter declares its order;
// under `any`, the one the pool was seen to hand out (by creation order), when it is idle.
std::vector<int>::iterator model::next_idle_source(std::optional<int> observed) {
  switch (sources_under_test_.reuse) {
    case idle_order::least_recently_returned: return idle_.begin();
    case idle_order::most_recently_returned: break;
    case idle_order::any:
      if (observed && *observed >= 0 && static_cast<std::size_t>(*observed) < pool_sources_.size()) {
        const auto it = std::find(idle_.begin(), idle_.end(), pool_sources_[static_cast<std::size_t>(*observed)]);
        if (it != idle_.end()) return it;
      }
      break;
  }
  return std::prev(idle_.end());
}

int model::rent_source() {
  int id;
  std::optional<int> observed;
  if (next_pool_choice_ < observed_pool_choices_.size()) observed = observed_pool_choices_[next_pool_choice_++];
  if (!idle_.empty()) {
    const auto chosen = next_idle_source(observed);
    id = *chosen;
    idle_.erase(chosen);
    ++pool_stats_.reused;
  } else if (pool_sources_.size() < static_cast<std::size_t>(pool_capacity)) {
    sources_.emplace_back();
    sources_.back().version = start_version_;
    id = static_cast<int>(sources_.size()) - 1;
    pool_sources_.push_back(id);
    ++pool_stats_.created;
  } else {
    return -1;
  }
  ++pool_stats_.rented;
  source& src = sources_[static_cast<std::size_t>(id)];
  src.rented = true;
  return id;
}

// A consumed generation: reset (version + 1, outcome and continuation cleared) and, for
// the harness pool, back on the free list.
void model::consume(int id) {
  source& src = sources_[static_cast<std::size_t>(id)];
  ++src.version;
  src.completed = false;
  src.result = {};
  src.registered = {};
  src.rented = false;
  if (!src.coroutine_pool) {
    idle_.push_back(id);
    ++pool_stats_.returned;
  }
}

// A freshly rented pool source that nothing awaits, which each of the next `cycles` rents
// hands back: completing it with a plain value, consuming it and renting again gives back
// the same source one version on, with nothing dispatched and nothing to copy or move
// that could throw.
bool model::recycles_plainly(int id, int cycles) const {
  const source& src = sources_[static_cast<std::size_t>(id)];
  return src.rented && !src.completed && !src.coroutine_pool && !src.raw_core &&
         src.registered.kind == continuation_kind::none && rents_back(id, cycles);
}

bool model::rents_back(int id, int cycles) const {
  if (idle_.empty()) return true;  // the one just returned is the only idle source
  switch (sources_under_test_.reuse) {
    case idle_order::most_recently_returned: return true;
    case idle_order::least_recently_returned: return false;
    case idle_order::any: break;
  }
  const auto index = std::find(pool_sources_.begin(), pool_sources_.end(), id) - pool_sources_.begin();
  const auto from = observed_pool_choices_.begin() + static_cast<std::ptrdiff_t>(next_pool_choice_);
  return observed_pool_choices_.end() - from >= cycles &&
         std::all_of(from, from + cycles, [&](int chosen) { return chosen == index; });
}

// n such cycles at once, as complete + get_result + rent_source would leave them.
void model::recycle_plainly(int id, int n) {
  next_pool_choice_ = std::min(observed_pool_choices_.size(), next_pool_choice_ + static_cast<std::size_t>(n));
  sources_[static_cast<std::size_t>(id)].version += n;
  const auto cycles = static_cast<std::size_t>(n);
  pool_stats_.returned += cycles;
  pool_stats_.reused += cycles;
  pool_stats_.rented += cycles;
}

std::optional<outcome> model::validate(int id, std::int64_t token) {
  const source& src = sources_[static_cast<std::size_t>(id)];
  // An idle pooled source takes no token: its version belongs to the next renter.
  if (src.version != token || !src.rented) {
    last_token_rejection_ = src.version - token;
    if (src.version != token) {
      const misuse_report stale = src.coroutine_pool ? stale_token_of_unknown_distance() : stale_token(src.version - token);
      return outcome{outcomes::invalid_operation{stale}};
    }
    return invalid(named_misuse::idle_source);
  }
  return std::nullopt;
}

outcome model::complete(int id, result_value result) {
  source& src = sources_[static_cast<std::size_t>(id)];
  if (src.completed) return invalid(named_misuse::double_completion);  // the first outcome is kept
  src.completed = true;
  src.result = result;
  const std::optional<long> outer = std::exchange(thrown_, std::nullopt);
  dispatch_registration(id);
  // A continuation that threw inline, or a post that failed, propagates from this call;
  // the outcome stays published.
  const std::optional<long> threw = std::exchange(thrown_, outer);
  return threw ? fault(*threw) : done();
}

void model::dispatch_registration(int id) {
  const source& src = sources_[static_cast<std::size_t>(id)];
  const continuation registered = src.registered;
  // With a captured scheduler: posted there. Without: inline inside the completing call,
  // or posted to the default executor when the source runs continuations asynchronously.
  const placement where = src.registered_with_context ? placement::scheduler
                          : src.run_asynchronously    ? placement::default_executor
                                                      : placement::inline_in_completion;
  // A source under test that calls its continuation itself nests no inline level of vt's.
  const bool direct = !src.raw_core && !src.coroutine_pool &&
                      sources_under_test_.dispatch == inline_dispatch::direct_call;
  const auto run_here = [&](const inline_continuation& c) { direct ? run_continuation(c) : run_inline(c); };
  switch (registered.kind) {
    case continuation_kind::none: break;
    case continuation_kind::awaiter:
      if (where == placement::scheduler) {
        queue_.push_back({posted::resume, registered.id});
      } else if (where == placement::default_executor) {
        on_worker scope(*this, true);
        resume(registered.id);  // on a worker the runner waits for
      } else {
        run_here({inline_continuation::resume_coroutine, registered.id});  // configure_await(false)
      }
      break;
    case continuation_kind::raw: {
      const raw_behaviour behaviour = raw_behaviours_[static_cast<std::size_t>(registered.id)];
      if (behaviour == raw_behaviour::post_fails) {
        thrown_ = post_fault_code;  // posting to its captured context throws: it never runs
      } else if (where == placement::scheduler) {
        queue_.push_back({posted::raw, registered.id});
      } else if (where == placement::default_executor) {
        // The runner waits for a worker's run; it has nobody to throw to: it does not throw.
        raws_[static_cast<std::size_t>(registered.id)] = {1, where};
      } else {
        run_here({inline_continuation::run_raw, registered.id});
      }
      break;
    }
    case continuation_kind::bridge: {
      // as_task's bridge registers without a context: it consumes inline, or on the
      // default executor (the runner waits for it before the next step).
      const inline_continuation bridge{inline_continuation::run_bridge, registered.id, id, src.version};
      if (src.run_asynchronously) {
        on_worker scope(*this, true);
        run_continuation(bridge);
      } else {
        run_here(bridge);
      }
      break;
    }
  }
}

model::result_value model::get_result(int id, std::int64_t token) {
  if (const auto rejected = validate(id, token)) return {*rejected};
  source& src = sources_[static_cast<std::size_t>(id)];
  if (!src.completed) return {invalid(named_misuse::before_completion)};
  const result_value r = src.result;
  if (src.raw_core) return copied(r);  // a raw core's result is a copy, re-readable until reset
  const bool copies = reads_copy(id);
  consume(id);  // consumed even when moving (or copying) the value out throws
  return copies ? copied(r) : moved(r);
}

bool model::holds_pending_source(int slot) const {
  const value_task& vt = value_task_slots_[static_cast<std::size_t>(slot)];
  if (vt.representation != rep::source) return false;
  const source& src = sources_[static_cast<std::size_t>(vt.source)];
  return !src.coroutine_pool && !src.raw_core && src.rented && !src.completed && src.version == vt.token;
}

bool model::holds_pending_rental(int slot) const {
  return slot_live(slot) && !sources_[static_cast<std::size_t>(source_slots_[static_cast<std::size_t>(slot)].source)].completed;
}

bool model::holds_awaited_source(int slot) const {
  return holds_pending_rental(slot) &&
         sources_[static_cast<std::size_t>(source_slots_[static_cast<std::size_t>(slot)].source)].registered.kind !=
             continuation_kind::none;
}

outcome model::apply(const op& o) {
  step_events_.clear();
  const outcome r = apply_op(o);
  if (void_values_ && info(o.code).flags.reads_a_result && is<outcomes::value>(r)) return outcomes::value{0};
  return r;
}

outcome model::apply_op(const op& o) {
  last_token_rejection_.reset();
  last_race_winner_.reset();
  using step = outcome (model::*)(const op&);
#define VTH_STEP_ENTRY(name, code) &model::step_##name,
  static constexpr step steps[] = {VTH_EACH_OP(VTH_STEP_ENTRY)};
  static constexpr step drain_steps[] = {VTH_EACH_DRAIN_OP(VTH_STEP_ENTRY)};
#undef VTH_STEP_ENTRY
  const auto code = static_cast<std::size_t>(o.code);
  if (is_drain(o.code)) return (this->*drain_steps[code - static_cast<std::size_t>(op_code::drain_settle)])(o);
  if (code >= std::size(steps)) return skipped();
  return (this->*steps[code])(o);
}

bool model::copy_throws(const value_task& vt) {
  return vt.representation == rep::result && vt.poisoned == poison::copy_throws;
}

void model::run_callback(std::size_t number, std::vector<inner_error>& errors) {
  registration& r = registrations_[number];
  r.state = registration::ran;
  const source& src = sources_[static_cast<std::size_t>(r.link.source)];
  if (src.version == r.link.version && !src.completed) {
    const outcome o = complete(r.link.source, {outcomes::canceled{r.cancellation}});
    if (const auto* thrown = std::get_if<outcomes::error>(&o)) {  // a continuation threw out of set_canceled: the callback stops there
      errors.push_back(harness_error_inside(thrown->code));
      return;
    }
  }
  switch (r.action) {
    case registration::cancels: break;
    case registration::then_throws: errors.push_back(harness_error_inside(callback_fault_code)); break;
    case registration::then_unregisters_previous:
      if (number > 0 && registrations_[number - 1].state == registration::pending) {
        registrations_[number - 1].state = registration::unregistered;
      }
      break;
  }
}

std::string model::stuck() const {
  std::string report;
  for (std::size_t id = 0; id < coroutines_.size(); ++id) {
    if (!coroutines_[id].done) report += "coroutine #" + std::to_string(id) + " never finished; ";
  }
  if (!queue_.empty()) report += std::to_string(queue_.size()) + " scheduler items left; ";
  return report;
}

void model::snapshot(state_snapshot& s) const {
  s.clear();
  for (const int id : pool_sources_) {
    const source& src = sources_[static_cast<std::size_t>(id)];
    s.pool_sources.push_back({src.version, src.rented, completed_status(src), src.run_asynchronously});
  }
  for (const int id : core_sources_) {
    const source& src = sources_[static_cast<std::size_t>(id)];
    s.cores.push_back({src.version, true, completed_status(src), src.run_asynchronously});
  }
  for (const auto& [id, token] : coroutine_results_) {
    const source& src = sources_[static_cast<std::size_t>(id)];
    const bool current = src.rented && src.version == token;
    s.coroutine_results.push_back({0, current, current ? completed_status(src) : std::uint8_t{0}, false});
  }
  for (const value_task& v : value_task_slots_) {
    s.value_tasks.push_back({static_cast<backing>(v.representation),
                             v.representation == rep::task ? state_of(v.task) : task_state::empty});
  }
  for (const int t : task_slots_) s.tasks.push_back(state_of(t));
  for (const int j : when_all_slots_) s.when_alls.push_back(j < 0 ? task_state::empty : state_of(j));
  for (const coroutine& c : coroutines_) s.coroutines.push_back({c.resumes, c.done});
  s.cancellations = canceled_;  // whole words, not bit by bit
  s.raws = raws_;
  s.pool = pool_stats_;
  for (const int id : pool_sources_) s.pool.idle += sources_[static_cast<std::size_t>(id)].rented ? 0 : 1;
  s.scheduled = queue_.size();
}

}  // namespace vth

// Each op's step on the model, from its family's file.
#define VTH_MODEL_STEPS
#include <vth/ops/all.hpp>
