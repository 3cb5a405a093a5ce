#include <vth/model.hpp>

#include <algorithm>

#include <vth/harness_error.hpp>
#include <vth/misuse.hpp>

namespace vth {

namespace {
outcome done(long detail = 0) { return {outcome_kind::done, detail}; }
outcome skipped() { return {outcome_kind::skipped, 0}; }
// A misuse the contract rejects with invalid_operation, naming it (docs/semantics.md section 1).
outcome invalid(named_misuse named) { return {outcome_kind::invalid_operation, encode({named, 0})}; }
outcome fault(long code) { return {outcome_kind::error, code}; }
bool is_fault(outcome_kind kind) {
  return kind == outcome_kind::error || kind == outcome_kind::invalid_operation || kind == outcome_kind::out_of_memory ||
         kind == outcome_kind::aggregate;
}
// A model result that is a fault: an error, or an operation_canceled held as one.
template <class Result>
bool faulted(const Result& r) {
  return is_fault(r.kind) || r.cancellation_as_fault;
}
long status_of(outcome_kind kind) {
  switch (kind) {
    case outcome_kind::value: return 1;     // succeeded
    case outcome_kind::canceled: return 3;  // canceled
    default: return 2;                      // faulted
  }
}
// A completed source's status() as a snapshot holds it (0 while pending).
template <class Source>
std::uint8_t completed_status(const Source& src) {
  return src.completed ? static_cast<std::uint8_t>(status_of(src.result.kind)) : 0;
}
}  // namespace

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
  if (r.kind == outcome_kind::value && r.poisoned == poison::copy_throws) return {outcome_kind::error, injected_fault_code};
  return r;
}

model::result_value model::moved(const result_value& r) {
  if (r.kind == outcome_kind::value && r.poisoned == poison::move_throws) return {outcome_kind::error, injected_fault_code};
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
    case completion_kind::exception: return {outcome_kind::error, value};
    case completion_kind::cancellation: return {outcome_kind::canceled, -1};
  }
  return {outcome_kind::value, value};
}

int model::start_combinator(combinator_kind kind, int first, int second, bool into_vector) {
  const int j = new_task();
  task& combinator = tasks_[static_cast<std::size_t>(j)];
  combinator.combinator = kind;
  combinator.results_allocate = into_vector && !void_values_;
  combinator.inputs = {first, second};
  combinator.remaining = 2;
  const int inputs[] = {first, second};  // not through `combinator`: completing may grow tasks_
  for (int k = 0; k < 2; ++k) {
    const int input = inputs[k];
    if (tasks_[static_cast<std::size_t>(input)].completed) {
      input_completed(j, k);
    } else {
      tasks_[static_cast<std::size_t>(input)].waiters.push_back({true, j, true, k});
    }
  }
  return j;
}

task_state model::state_of(int t) const {
  const task& it = tasks_[static_cast<std::size_t>(t)];
  if (!it.completed) return task_state::pending;
  if (it.build_fault != 0 || it.result.cancellation_as_fault) return task_state::faulted;
  return static_cast<task_state>(status_of(it.result.kind));
}

outcome model::inspect_when_all(int j) const {
  const task& combinator = tasks_[static_cast<std::size_t>(j)];
  if (!combinator.completed) return {outcome_kind::status, 0};
  if (combinator.gathering_failed) return {outcome_kind::out_of_memory, 0};
  if (combinator.build_fault != 0) return {outcome_kind::aggregate, aggregate_code(1, combinator.build_fault, 0, 0)};
  if (!faulted(combinator.result)) return to_outcome(combinator.result);
  // Faulted: every input's error, in input order.
  std::vector<long> errors;
  for (int input : combinator.inputs) {
    const result_value& r = tasks_[static_cast<std::size_t>(input)].result;
    if (r.kind == outcome_kind::aggregate) {  // a user's aggregate, flattened whole
      const std::vector<long>& leaves = aggregate_leaves_[static_cast<std::size_t>(r.aggregate)];
      errors.insert(errors.end(), leaves.begin(), leaves.end());
    }
    if (r.kind == outcome_kind::error) errors.push_back(r.value);
    if (r.kind == outcome_kind::invalid_operation) errors.push_back(invalid_operation_code);
    if (r.kind == outcome_kind::out_of_memory) errors.push_back(out_of_memory_code);
    if (r.cancellation_as_fault) errors.push_back(cancellation_code);
  }
  // As the runner reads it: an aggregate of one bad_alloc is that bad_alloc.
  if (errors.size() == 1 && errors[0] == out_of_memory_code) return {outcome_kind::out_of_memory, 0};
  return {outcome_kind::aggregate, aggregate_code(errors)};
}

int model::new_task() {
  tasks_.emplace_back();
  return static_cast<int>(tasks_.size()) - 1;
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
      return outcome{outcome_kind::invalid_operation, encode(stale)};
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

void model::run_inline(const inline_continuation& c) {
  if (inline_depth_ >= max_inline_depth) {
    deferred_.push_back(c);
    most_deferred_at_once_ = std::max(most_deferred_at_once_, deferred_.size());
    return;
  }
  ++inline_depth_;
  run_continuation(c);
  if (inline_depth_ == 1) {
    while (!deferred_.empty()) {
      const inline_continuation next = deferred_.front();
      deferred_.pop_front();
      run_continuation(next);
    }
  }
  --inline_depth_;
}

void model::run_continuation(const inline_continuation& c) {
  switch (c.kind) {
    case inline_continuation::resume_coroutine: resume(c.id); break;
    case inline_continuation::tell_combinator: input_completed(c.id, c.input); break;
    case inline_continuation::run_raw: {
      raws_[static_cast<std::size_t>(c.id)] = {1, placement::inline_in_completion};
      note_event(raw_continuation_event + c.id);
      // The first exception out of the outermost inline run propagates from the completing call.
      if (raw_behaviours_[static_cast<std::size_t>(c.id)] == raw_behaviour::throws && !thrown_) {
        thrown_ = continuation_fault_code;
      }
      break;
    }
    case inline_continuation::run_bridge: complete_task(c.id, bridged(c.input, c.version)); break;
  }
}

model::result_value model::get_result(int id, std::int64_t token) {
  if (const auto rejected = validate(id, token)) return {rejected->kind, rejected->value};
  source& src = sources_[static_cast<std::size_t>(id)];
  if (!src.completed) return {outcome_kind::invalid_operation, invalid(named_misuse::before_completion).value};
  const result_value r = src.result;
  if (src.raw_core) return copied(r);  // a raw core's result is a copy, re-readable until reset
  const bool copies = reads_copy(id);
  consume(id);  // consumed even when moving (or copying) the value out throws
  return copies ? copied(r) : moved(r);
}

void model::complete_task(int id, result_value result) {
  task& t = tasks_[static_cast<std::size_t>(id)];
  t.completed = true;
  t.result = result;
  const std::vector<waiter> waiters = std::move(t.waiters);
  tasks_[static_cast<std::size_t>(id)].waiters.clear();
  for (const waiter& w : waiters) {
    if (w.combinator) {
      run_inline({inline_continuation::tell_combinator, w.id, w.input});
    } else if (w.captures_context) {
      queue_.push_back({posted::resume, w.id});
    } else {
      run_inline({inline_continuation::resume_coroutine, w.id});  // configure_await(false): inline in the completion
    }
  }
}

void model::input_completed(int id, int input) {
  task& c = tasks_[static_cast<std::size_t>(id)];
  --c.remaining;
  if (c.combinator == combinator_kind::any) {
    // The first input whose completion reaches the combinator wins: registration fires
    // completed inputs in input order, and a task tells its waiters in registration order.
    // An input completed inline by another input's waiter (a chain awaiting it unbound)
    // reaches the combinator before the input that set it off does.
    if (!c.completed) complete_task(id, {outcome_kind::value, input});
    return;
  }
  if (c.remaining > 0) return;
  std::optional<result_value> first_fault, first_cancel;
  const auto finish_copy = [&] {
    // All succeeded: the results are copied out of the inputs, in input order.
    for (int input : c.inputs) {
      if (copied(tasks_[static_cast<std::size_t>(input)].result).kind == outcome_kind::error) return false;
    }
    return true;
  };
  long sum = 0;
  for (int input : c.inputs) {
    const result_value& r = tasks_[static_cast<std::size_t>(input)].result;
    // Awaiting a when_all rethrows the first error of its flattened aggregate.
    if (faulted(r) && !first_fault) {
      first_fault = r.kind == outcome_kind::aggregate
                        ? result_value{outcome_kind::error, aggregate_leaves_[static_cast<std::size_t>(r.aggregate)].front()}
                        : r;
    }
    if (r.kind == outcome_kind::canceled && !r.cancellation_as_fault && !first_cancel) first_cancel = r;
    if (r.kind == outcome_kind::value) sum = combined_sum(sum, r.value);
  }
  // All succeeded: the results are copied out; one that cannot be is wrapped in an aggregate_error.
  const bool copy_fails = !first_fault && !first_cancel && !finish_copy();
  // An allocation failing as it gathers the inputs' errors, fills its vector of results, or
  // wraps a copy's exception faults the when_all with that bad_alloc (section 9).
  if (result_build_fails_ && (first_fault || (!first_cancel && (c.results_allocate || copy_fails)))) {
    result_build_fails_ = false;
    c.gathering_failed = true;
    complete_task(id, {outcome_kind::out_of_memory, 0});
  } else if (first_fault) {
    complete_task(id, *first_fault);
  } else if (first_cancel) {
    complete_task(id, *first_cancel);
  } else if (copy_fails) {
    c.build_fault = injected_fault_code;  // faulted with the copy's exception, inside an aggregate_error
    complete_task(id, {outcome_kind::error, injected_fault_code});
  } else {
    complete_task(id, {outcome_kind::value, sum});
  }
}

outcome model::start_coroutine(coroutine_kind kind, after_await then, const value_task& awaited, bool captures_context,
                               int* out_task,
                               value_task* out_value_task) {
  const int id = static_cast<int>(coroutines_.size());
  coroutine& started = coroutines_.emplace_back();
  started.kind = kind;
  started.then = then;
  started.awaited = awaited;
  started.captures_context = captures_context;
  if (kind == coroutine_kind::task) started.task = new_task();

  bool ready = false;
  std::optional<result_value> sync_result;
  switch (awaited.representation) {
    case rep::result: ready = true; break;
    case rep::task: ready = tasks_[static_cast<std::size_t>(awaited.task)].completed; break;
    case rep::source:
      if (const auto rejected = validate(awaited.source, awaited.token)) {
        sync_result = result_value{rejected->kind, rejected->value};  // thrown by await_ready
      } else {
        ready = sources_[static_cast<std::size_t>(awaited.source)].completed;
      }
      break;
  }
  if (!sync_result && ready) {
    switch (awaited.representation) {
      case rep::result: sync_result = copied({outcome_kind::value, awaited.value, awaited.poisoned}); break;
      case rep::task: sync_result = copied(tasks_[static_cast<std::size_t>(awaited.task)].result); break;
      case rep::source: sync_result = get_result(awaited.source, awaited.token); break;
    }
  }
  if (!sync_result) {
    // A real suspension: a value_task coroutine attaches its pooled source first.
    if (kind == coroutine_kind::value_task) {
      source attached;
      attached.coroutine_pool = true;
      attached.rented = true;
      sources_.push_back(attached);
      coroutines_[static_cast<std::size_t>(id)].source = static_cast<int>(sources_.size()) - 1;
    }
    if (awaited.representation == rep::task) {
      tasks_[static_cast<std::size_t>(awaited.task)].waiters.push_back({false, id, captures_context});
    } else {
      source& src = sources_[static_cast<std::size_t>(awaited.source)];
      if (src.registered.kind != continuation_kind::none) {
        sync_result = result_value{outcome_kind::invalid_operation, invalid(named_misuse::second_continuation).value};  // thrown by await_suspend
      } else {
        src.registered = {continuation_kind::awaiter, id};
        src.registered_with_context = captures_context;
      }
    }
  }
  if (sync_result) {
    coroutines_[static_cast<std::size_t>(id)].resumes = 1;
    finish(id, *sync_result);
  }

  coroutine& c = coroutines_[static_cast<std::size_t>(id)];
  if (kind == coroutine_kind::task) {
    *out_task = c.task;
  } else if (c.source >= 0) {
    *out_value_task = {rep::source, 0, -1, c.source, 0};
  } else {
    // Finished without suspending: result-backed (the stored value moved into it), or
    // task-backed for an exception.
    const result_value r = moved(c.returned);
    if (r.kind == outcome_kind::value) {
      *out_value_task = {rep::result, r.value, -1, -1, 0, r.poisoned};
    } else {
      const int t = new_task();
      tasks_[static_cast<std::size_t>(t)].completed = true;
      tasks_[static_cast<std::size_t>(t)].result = r;
      *out_value_task = {rep::task, 0, t};
    }
  }
  return done();
}

void model::resume(int id) {
  note_event(resumed_coroutine_event + id);
  coroutine& c = coroutines_[static_cast<std::size_t>(id)];
  ++c.resumes;
  const value_task awaited = c.awaited;
  const result_value r = awaited.representation == rep::task ? copied(tasks_[static_cast<std::size_t>(awaited.task)].result)
                                                            : get_result(awaited.source, awaited.token);
  finish(id, r);
}

void model::finish(int id, result_value r) {
  coroutine& c = coroutines_[static_cast<std::size_t>(id)];
  c.done = true;
  r.cancellation_as_fault = false;  // the body rethrew it: an operation_canceled ends a coroutine canceled
  if (r.kind == outcome_kind::value) {
    if (c.then == after_await::plus_one) {
      ++r.value;  // computed from a poisoned value: poisoned too
    } else {
      r.poisoned = poison::none;  // a sum or an index is a new value
    }
  }
  r = stored(r);
  c.returned = r;
  const coroutine_kind kind = c.kind;
  const int task = c.task, source = c.source;
  if (kind == coroutine_kind::task) {
    complete_task(task, r);
  } else if (source >= 0) {
    complete(source, moved(r));  // the stored value moves into the attached source
  }
}

model::value_task model::as_task(const value_task& vt, outcome& error) {
  switch (vt.representation) {
    case rep::result: {
      if (void_values_) return {rep::task, 0, initial_task_};  // completed_task(), one shared task
      const result_value r = copied({outcome_kind::value, vt.value, vt.poisoned});
      if (r.kind != outcome_kind::value) {
        error = to_outcome(r);
        return {};
      }
      const int t = new_task();
      tasks_[static_cast<std::size_t>(t)].completed = true;
      tasks_[static_cast<std::size_t>(t)].result = r;
      return {rep::task, 0, t};
    }
    case rep::task: return vt;
    case rep::source: break;
  }
  if (const auto rejected = validate(vt.source, vt.token)) {
    error = *rejected;
    return {};
  }
  source& src = sources_[static_cast<std::size_t>(vt.source)];
  if (src.completed) {
    const result_value r = bridged(vt.source, vt.token);
    if (void_values_ && r.kind == outcome_kind::value) return {rep::task, 0, initial_task_};
    const int t = new_task();
    tasks_[static_cast<std::size_t>(t)].completed = true;
    tasks_[static_cast<std::size_t>(t)].result = r;
    return {rep::task, 0, t};
  }
  const int t = new_task();
  if (src.registered.kind != continuation_kind::none) {
    error = invalid(named_misuse::second_continuation);  // a second registration on this generation
    return {};
  } else {
    src.registered = {continuation_kind::bridge, t};
    src.registered_with_context = false;
  }
  return {rep::task, 0, t};
}

outcome model::run_item(std::size_t index) {
  const std::size_t first_event = step_events_.size();  // run_until_idle runs several in one step
  item_threw_ = false;
  const posted item = queue_[index];
  queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(index));
  switch (item.kind) {
    case posted::resume: resume(item.id); return done(resumed_coroutine_event + item.id);
    case posted::raw: {
      raw_snapshot& raw = raws_[static_cast<std::size_t>(item.id)];
      raw = {raw.runs + 1, placement::scheduler};
      note_event(raw_continuation_event + item.id);
      if (raw_behaviours_[static_cast<std::size_t>(item.id)] == raw_behaviour::throws) {
        item_threw_ = true;  // out of run_one
        return fault(continuation_fault_code);
      }
      return done(raw_continuation_event + item.id);
    }
    case posted::run: {  // the function returns its value (moved into the task), or throws it as a harness error
      result_value returned = completion_result(item.how, item.value);
      returned.poisoned = item.poisoned;
      complete_task(item.id, moved(returned));
      // What its completion resumed inline, if anything.
      return done(step_events_.size() == first_event ? 0 : step_events_[first_event]);
    }
    case posted::completion: {
      const source& src = sources_[static_cast<std::size_t>(item.id)];
      if (src.version != item.version) return skipped();  // that generation is gone
      const outcome o = complete(item.id, completion_result(item.how, item.value));
      const auto pool_index = std::find(pool_sources_.begin(), pool_sources_.end(), item.id) - pool_sources_.begin();
      return o.kind == outcome_kind::done ? done(completion_event + pool_index) : o;
    }
  }
  return skipped();
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
  if (void_values_ && info(o.code).flags.reads_a_result && r.kind == outcome_kind::value) return {outcome_kind::value, 0};
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

void model::run_callback(std::size_t number, std::vector<long>& errors) {
  registration& r = registrations_[number];
  r.state = registration::ran;
  const source& src = sources_[static_cast<std::size_t>(r.link.source)];
  if (src.version == r.link.version && !src.completed) {
    const outcome o = complete(r.link.source, {outcome_kind::canceled, r.cancellation});
    if (o.kind == outcome_kind::error) {  // a continuation threw out of set_canceled: the callback stops there
      errors.push_back(o.value);
      return;
    }
  }
  switch (r.action) {
    case registration::cancels: break;
    case registration::then_throws: errors.push_back(callback_fault_code); break;
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
