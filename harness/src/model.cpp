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
  const bool reads_a_result = o.code == op_code::result || o.code == op_code::result_on_worker ||
                              o.code == op_code::task_result || o.code == op_code::core_get_result ||
                              o.code == op_code::inspect_when_all || o.code == op_code::drain_consume ||
                              o.code == op_code::drain_consume_coroutine;
  if (void_values_ && reads_a_result && r.kind == outcome_kind::value) return {outcome_kind::value, 0};
  return r;
}

outcome model::apply_op(const op& o) {
  last_token_rejection_.reset();
  last_race_winner_.reset();
  const int a = o.args[0], b = o.args[1], c = o.args[2];
  auto& S = source_slots_;
  auto& V = value_task_slots_;
  auto& T = task_slots_;
  const auto si = static_cast<std::size_t>(a);
  switch (o.code) {
    case op_code::rent: {
      if (slot_live(a)) return skipped();
      const int id = rent_source();
      if (id < 0) return {outcome_kind::pool_exhausted, 0};
      S[si] = {id, sources_[static_cast<std::size_t>(id)].version};
      return done();
    }
    case op_code::wrap:
      if (!slot_live(b)) return skipped();
      V[si] = {rep::source, 0, -1, S[static_cast<std::size_t>(b)].source, S[static_cast<std::size_t>(b)].version};
      return done();
    case op_code::wrap_wrong_token: {
      if (!slot_live(b)) return skipped();
      const std::int64_t version = S[static_cast<std::size_t>(b)].version;
      V[si] = {rep::source, 0, -1, S[static_cast<std::size_t>(b)].source, version + token_offset(o)};
      return done();
    }
    case op_code::copy: {
      const value_task& from = V[static_cast<std::size_t>(b)];
      if (a != b && from.representation == rep::result && from.poisoned == poison::copy_throws) {
        return fault(injected_fault_code);  // the copy throws: V[a] keeps its value
      }
      V[si] = from;
      return done();
    }
    case op_code::set_result:
    case op_code::set_exception:
    case op_code::set_canceled:
    case op_code::set_exception_canceled: {
      if (!slot_live(a)) return skipped();
      result_value r{outcome_kind::value, b};
      if (o.code == op_code::set_exception) r = {outcome_kind::error, b};
      if (o.code == op_code::set_canceled || o.code == op_code::set_exception_canceled) r = {outcome_kind::canceled, b};
      return complete(S[si].source, r);
    }
    case op_code::post_completion:
      if (!slot_live(a)) return skipped();
      queue_.push_back({posted::completion, S[si].source, S[si].version, completion_of(o.args[1]), c});
      return done();
    case op_code::result_on_worker:  // the same consumption, from another thread
    case op_code::result: {
      const value_task& vt = V[si];
      switch (vt.representation) {
        case rep::result: return to_outcome(copied({outcome_kind::value, vt.value, vt.poisoned}));
        case rep::task: {
          const task& t = tasks_[static_cast<std::size_t>(vt.task)];
          return t.completed ? to_outcome(copied(t.result)) : invalid(named_misuse::before_completion);
        }
        case rep::source: return to_outcome(get_result(vt.source, vt.token));
      }
      return skipped();
    }
    case op_code::status: {
      const value_task& vt = V[si];
      switch (vt.representation) {
        case rep::result: return {outcome_kind::status, 1};
        case rep::task: return {outcome_kind::status, static_cast<long>(state_of(vt.task))};
        case rep::source: {
          if (const auto rejected = validate(vt.source, vt.token)) return *rejected;
          const source& src = sources_[static_cast<std::size_t>(vt.source)];
          return {outcome_kind::status, src.completed ? status_of(src.result.kind) : 0};
        }
      }
      return skipped();
    }
    case op_code::as_task: {
      outcome error = done();
      const value_task t = as_task(V[static_cast<std::size_t>(b)], error);
      if (error.kind == outcome_kind::done) T[si] = t.task;
      return error;
    }
    case op_code::preserve: {
      const value_task src = V[static_cast<std::size_t>(b)];
      if (src.representation == rep::result) {
        if (src.poisoned == poison::copy_throws) return fault(injected_fault_code);  // preserve copies it
        V[si] = src;
        return done();
      }
      outcome error = done();
      const value_task t = as_task(src, error);
      if (error.kind == outcome_kind::done) V[si] = t;
      return error;
    }
    case op_code::await_in_task: {
      if (copy_throws(V[static_cast<std::size_t>(b)])) return fault(injected_fault_code);
      int out = -1;
      const outcome r = start_coroutine(coroutine_kind::task, after_await::plus_one, V[static_cast<std::size_t>(b)], true, &out, nullptr);
      T[si] = out;
      return r;
    }
    case op_code::await_in_value_task:
    case op_code::await_in_value_task_unbound: {
      if (copy_throws(V[static_cast<std::size_t>(b)])) return fault(injected_fault_code);
      value_task out;
      const value_task awaited = V[static_cast<std::size_t>(b)];
      const bool captures_context = o.code == op_code::await_in_value_task;
      const outcome r =
          start_coroutine(coroutine_kind::value_task, after_await::plus_one, awaited, captures_context, nullptr, &out);
      V[si] = out;
      if (out.representation == rep::source) coroutine_results_.emplace_back(out.source, out.token);
      return r;
    }
    case op_code::result_race: {
      // Two reads of one generation: the first as `result` would; the second after it, which
      // is what the loser meets whichever thread wins (consumed, or claimed and about to be).
      const value_task& vt = V[si];
      if (vt.representation != rep::source) return skipped();
      outcome winner = to_outcome(get_result(vt.source, vt.token));
      if (void_values_ && winner.kind == outcome_kind::value) winner.value = 0;
      last_race_winner_ = winner;
      const std::optional<std::int64_t> first_rejection = last_token_rejection_;
      outcome loser = to_outcome(get_result(vt.source, vt.token));
      if (void_values_ && loser.kind == outcome_kind::value) loser.value = 0;
      // Where the winner consumed, the loser may meet the generation claimed but not yet
      // recycled (consumed twice) or recycled (a stale token): the contract allows either name.
      if (!first_rejection && loser.kind == outcome_kind::invalid_operation &&
          decode_misuse(loser.value) == stale_token(1)) {
        loser.value = encode(lost_consumption_race());
      }
      if (!last_token_rejection_) last_token_rejection_ = first_rejection;
      return loser;
    }
    case op_code::await_unbound: {
      if (copy_throws(V[static_cast<std::size_t>(b)])) return fault(injected_fault_code);
      int out = -1;
      const outcome r = start_coroutine(coroutine_kind::task, after_await::plus_one, V[static_cast<std::size_t>(b)], false,
                                        &out, nullptr);
      T[si] = out;
      return r;
    }
    case op_code::await_task:
    case op_code::await_task_unbound: {
      int out = -1;
      const value_task awaited{rep::task, 0, T[static_cast<std::size_t>(b)]};
      const bool captures_context = o.code == op_code::await_task;
      const outcome r = start_coroutine(coroutine_kind::task, after_await::plus_one, awaited, captures_context, &out, nullptr);
      T[si] = out;
      return r;
    }
    case op_code::task_result: {
      const task& t = tasks_[static_cast<std::size_t>(T[si])];
      return t.completed ? to_outcome(copied(t.result)) : invalid(named_misuse::before_completion);
    }
    case op_code::await_task_chain: {
      int previous = T[static_cast<std::size_t>(b)];
      for (int link = 0; link <= c; ++link) {
        int out = -1;
        start_coroutine(coroutine_kind::task, after_await::plus_one, {rep::task, 0, previous}, false, &out, nullptr);
        previous = out;
      }
      T[si] = previous;
      return done();
    }
    case op_code::register_raw:
    case op_code::register_raw_with:
    case op_code::register_throwing:
    case op_code::register_post_fails: {
      const value_task& vt = V[si];
      if (vt.representation != rep::source) return skipped();
      const bool faulting = o.code == op_code::register_throwing || o.code == op_code::register_post_fails;
      // A value_task coroutine completes its source inside its final suspension, where
      // nothing can propagate: faulting continuations go on pooled sources and raw cores.
      if (faulting && sources_[static_cast<std::size_t>(vt.source)].coroutine_pool) return skipped();
      if (const auto rejected = validate(vt.source, vt.token)) return *rejected;
      source& src = sources_[static_cast<std::size_t>(vt.source)];
      if (src.registered.kind != continuation_kind::none) return invalid(named_misuse::second_continuation);
      // use_scheduling_context (bit 0) captures the scenario's scheduler; other bits are ignored.
      const bool with_context =
          o.code == op_code::register_raw || o.code == op_code::register_post_fails || (b & 1) != 0;
      const raw_behaviour behaviour = o.code == op_code::register_throwing    ? raw_behaviour::throws
                                      : o.code == op_code::register_post_fails ? raw_behaviour::post_fails
                                                                               : raw_behaviour::counts;
      const int id = static_cast<int>(raws_.size());
      raws_.push_back({});
      raw_behaviours_.push_back(behaviour);
      src.registered = {continuation_kind::raw, id};
      src.registered_with_context = with_context;
      if (src.completed) {  // after completion: posted, never inline
        if (behaviour == raw_behaviour::post_fails) return fault(post_fault_code);  // from on_completed; never runs
        if (with_context) {
          queue_.push_back({posted::raw, id});
        } else {
          raws_.back() = {1, placement::default_executor};
        }
      }
      return done();
    }
    case op_code::run_asynchronously:
      if (!slot_live(a)) return skipped();
      sources_[static_cast<std::size_t>(S[si].source)].run_asynchronously = b != 0;
      return done();
    case op_code::recycle: {
      const int count = recycle_count(o);
      if (!slot_live(a) || count > recycle_budget_) return skipped();
      recycle_budget_ -= count;
      for (int i = 0; i < count; ++i) {
        const int id = S[si].source;
        if (i > 0 && recycles_plainly(id, count - i)) {  // the rest repeat this generation's cycle
          recycle_plainly(id, count - i);
          S[si].version = sources_[static_cast<std::size_t>(id)].version;
          break;
        }
        const outcome completed = complete(id, {outcome_kind::value, 0});
        if (completed.kind != outcome_kind::done) return completed;  // invalid, or a continuation's throw
        if (const result_value r = get_result(id, S[si].version); r.kind == outcome_kind::invalid_operation) {
          return {r.kind, r.value};
        }
        const int again = rent_source();  // the same source, or another idle one (the pool's order)
        S[si] = {again, sources_[static_cast<std::size_t>(again)].version};
      }
      return done();
    }
    case op_code::when_all:
    case op_code::when_any: {
      const int j = start_combinator(o.code == op_code::when_all ? combinator_kind::all : combinator_kind::any,
                                     T[static_cast<std::size_t>(b)], T[static_cast<std::size_t>(c)], a % 2 == 0);
      int out = -1;
      const value_task awaited{rep::task, 0, j};
      start_coroutine(coroutine_kind::task, o.code == op_code::when_all ? after_await::sum_of_all : after_await::index_of_any,
                      awaited, true, &out, nullptr);
      T[si] = out;
      return done();
    }
    case op_code::cancel_on:
    case op_code::cancel_on_acting: {
      if (!slot_live(a)) return skipped();
      registration r{b, {S[si].source, S[si].version}};
      if (o.code == op_code::cancel_on_acting) {
        r.action = c == 0 ? registration::then_throws : registration::then_unregisters_previous;
      }
      registrations_.push_back(r);
      if (canceled_[static_cast<std::size_t>(b)]) {  // the callback runs inside register_callback
        std::vector<long> errors;
        run_callback(registrations_.size() - 1, errors);
        if (!errors.empty()) return fault(errors.front());
      }
      return done();
    }
    case op_code::cancel_on_worker:  // the same cancel, its callbacks run on a worker the runner waits for
    case op_code::cancel: {
      if (canceled_[si]) return {outcome_kind::callbacks, 0};
      canceled_[si] = true;
      std::vector<long> ran, errors;
      for (std::size_t i = registrations_.size(); i-- > 0;) {  // latest registration first
        if (registrations_[i].cancellation != a || registrations_[i].state != registration::pending) continue;
        ran.push_back(static_cast<long>(i));
        run_callback(i, errors);
      }
      if (!errors.empty()) {  // every callback ran; then one aggregate_error, in the order they ran
        return {outcome_kind::aggregate, aggregate_code(errors)};
      }
      return {outcome_kind::callbacks, callbacks_code(ran)};
    }
    case op_code::unregister: {
      if (registrations_.empty()) return skipped();
      registration& r = registrations_[registrations_.size() - 1 - static_cast<std::size_t>(a) % registrations_.size()];
      const bool prevented = r.state == registration::pending;
      if (prevented) r.state = registration::unregistered;
      return b == 0 ? outcome{outcome_kind::value, prevented ? 1 : 0} : done();
    }
    case op_code::run_one: {
      if (queue_.empty()) return skipped();
      return run_item(queue_.size() == 1 ? 0 : static_cast<std::size_t>(a) % queue_.size());
    }
    case op_code::run_until_idle: {
      long ran = 0;
      while (!queue_.empty()) {
        const outcome item = run_item(0);
        ++ran;
        if (item_threw_) return item;  // out of run_until_idle; the rest stays queued
      }
      return {outcome_kind::value, ran};
    }
    case op_code::set_poisoned: {
      if (!values_can_fault_) return skipped();
      int id = -1;
      if (a < source_slots) {
        if (!slot_live(a)) return skipped();
        id = S[si].source;
      } else {
        id = core_sources_[static_cast<std::size_t>(a - source_slots)];
      }
      if (sources_[static_cast<std::size_t>(id)].completed) return invalid(named_misuse::double_completion);  // before any store
      if (b >= 2) return fault(injected_fault_code);  // the store's copy or move throws: still pending
      return complete(id, {outcome_kind::value, c, b == 0 ? poison::copy_throws : poison::move_throws});
    }
    case op_code::run_poisoned: {
      if (!values_can_fault_) return skipped();
      const result_value returned{outcome_kind::value, c, b % 2 == 0 ? poison::copy_throws : poison::move_throws};
      const int t = new_task();
      if (b < 2) {
        queue_.push_back({posted::run, t, 0, completion_kind::result, returned.value, returned.poisoned});
      } else {
        complete_task(t, moved(returned));  // a worker runs it before the next step
      }
      T[si] = t;
      return done();
    }
    case op_code::make_poisoned:
      if (!values_can_fault_) return skipped();
      if (b == 1) return fault(injected_fault_code);  // moving it into V[a] throws: V[a] keeps its value
      V[si] = {rep::result, c, -1, -1, 0, poison::copy_throws};
      return done();
    case op_code::equals: {
      const value_task& x = V[si];
      const value_task& y = V[static_cast<std::size_t>(b)];
      bool same = x.representation == y.representation;
      if (same && x.representation == rep::result) same = void_values_ || x.value == y.value;
      if (same && x.representation == rep::task) same = x.task == y.task;
      if (same && x.representation == rep::source) same = x.source == y.source && x.token == y.token;
      return {outcome_kind::value, same ? 1 : 0};
    }
    case op_code::task_exception: {
      const task& t = tasks_[static_cast<std::size_t>(T[si])];
      if (!t.completed || !faulted(t.result)) return done();  // no exception stored
      return to_outcome(t.result);
    }
    case op_code::when_all_nested: {
      // The inner when_all is an input like any task: its first error is the one awaiting
      // it rethrows, and it is the first of its flattened aggregate.
      const int inner = when_all_slots_[static_cast<std::size_t>(b)];
      if (inner < 0) return skipped();
      const int j = start_combinator(combinator_kind::all, inner, T[static_cast<std::size_t>(c)]);
      int out = -1;
      start_coroutine(coroutine_kind::task, after_await::sum_of_all, value_task{rep::task, 0, j}, true, &out, nullptr);
      T[si] = out;
      return done();
    }
    case op_code::bad_argument:  // every such call checks its argument before anything else
      return {outcome_kind::invalid_argument, 0};
    case op_code::when_all_of_none: {
      const int j = new_task();
      tasks_[static_cast<std::size_t>(j)].combinator = combinator_kind::all;
      complete_task(j, {outcome_kind::value, 0});  // completed at once; its sum is 0
      when_all_slots_[si] = j;
      return done();
    }
    case op_code::when_all_into:
      when_all_slots_[si] =
          start_combinator(combinator_kind::all, T[static_cast<std::size_t>(b)], T[static_cast<std::size_t>(c)], true);
      return done();
    case op_code::inspect_when_all:
      if (when_all_slots_[si] < 0) return skipped();
      return inspect_when_all(when_all_slots_[si]);
    case op_code::core_wrap: {
      const int id = core_sources_[static_cast<std::size_t>(b)];
      V[si] = {rep::source, 0, -1, id, sources_[static_cast<std::size_t>(id)].version};
      return done();
    }
    case op_code::core_complete: return complete(core_sources_[si], completion_result(completion_of(o.args[1]), c));
    case op_code::core_reset: {
      source& src = sources_[static_cast<std::size_t>(core_sources_[si])];
      if (src.registered.kind != continuation_kind::none && !src.completed) {
        return invalid(named_misuse::reset_with_continuation);  // would lose it
      }
      ++src.version;
      src.completed = false;
      src.result = {};
      src.registered = {};
      return done();
    }
    case op_code::core_get_result: {
      const int id = core_sources_[si];
      return to_outcome(get_result(id, sources_[static_cast<std::size_t>(id)].version - b));
    }
    case op_code::task_faulted_aggregate: {
      // T[b]'s error goes inside when it is a harness error or an aggregate, then error c.
      const task& wrapped = tasks_[static_cast<std::size_t>(T[static_cast<std::size_t>(b)])];
      std::vector<long> top, leaves;
      // (A when_all that could not copy a result holds that error inside an aggregate_error.)
      if (wrapped.completed && wrapped.result.kind == outcome_kind::error && wrapped.build_fault == 0) {
        top.push_back(wrapped.result.value);
        leaves.push_back(wrapped.result.value);
      } else if (wrapped.completed && wrapped.result.kind == outcome_kind::aggregate) {
        top.push_back(aggregate_inner_code);
        const std::vector<long>& inner = aggregate_leaves_[static_cast<std::size_t>(wrapped.result.aggregate)];
        leaves.insert(leaves.end(), inner.begin(), inner.end());
      }
      top.push_back(c);
      leaves.push_back(c);
      aggregate_leaves_.push_back(std::move(leaves));
      const int t = new_task();
      tasks_[static_cast<std::size_t>(t)].completed = true;
      tasks_[static_cast<std::size_t>(t)].result = {outcome_kind::aggregate, aggregate_code(top),
                                                    poison::none, false, static_cast<int>(aggregate_leaves_.size()) - 1};
      T[si] = t;
      return done();
    }
    case op_code::make_faulted:
    case op_code::task_faulted:
    case op_code::make_canceled:
    case op_code::task_canceled:
    case op_code::make_faulted_by_cancellation: {
      const bool canceled = o.code == op_code::make_canceled || o.code == op_code::task_canceled;
      const bool held_as_fault = o.code == op_code::make_faulted_by_cancellation;  // any token will do
      if (canceled && !canceled_[static_cast<std::size_t>(b)]) return {outcome_kind::invalid_argument, 0};
      const int t = new_task();
      tasks_[static_cast<std::size_t>(t)].completed = true;
      tasks_[static_cast<std::size_t>(t)].result = {canceled || held_as_fault ? outcome_kind::canceled : outcome_kind::error,
                                                    b, poison::none, held_as_fault};
      if (o.code == op_code::task_faulted || o.code == op_code::task_canceled) {
        T[si] = t;
      } else {
        V[si] = {rep::task, 0, t};
      }
      return done();
    }
    case op_code::task_status: return {outcome_kind::status, static_cast<long>(state_of(T[si]))};
    case op_code::run_on:
    case op_code::run_default:
    case op_code::run_throws:
    case op_code::suspend_without_executor: {  // vt::run of a function, or a coroutine resumed elsewhere: b or error b
      const completion_kind how = o.code == op_code::run_throws ? completion_kind::exception : completion_kind::result;
      const bool on_the_scheduler = o.code == op_code::run_on || (o.code == op_code::run_throws && c == 0);
      const int t = new_task();
      if (on_the_scheduler) {
        queue_.push_back({posted::run, t, 0, how, b});
      } else {
        complete_task(t, completion_result(how, b));  // a worker runs it before the next step
      }
      T[si] = t;
      return done();
    }
    case op_code::complete_on_worker:
    case op_code::complete_on_own_pool:
    case op_code::complete_after_delay: {  // as set_*, from another thread; the runner waits for it
      if (!slot_live(a)) return skipped();
      return complete(S[si].source, completion_result(completion_of(o.args[1]), c));
    }
    case op_code::cancel_check:
      return canceled_[si] ? outcome{outcome_kind::canceled, a} : done();
    case op_code::task_equals: return {outcome_kind::value, T[si] == T[static_cast<std::size_t>(b)] ? 1 : 0};
    case op_code::allocation_fails: return done();  // armed by the runner for the next op (run_scenario)
    // The drain (snapshot.hpp). Its completions and consumptions are those of set_result
    // and result, addressed by the pool's creation order instead of a slot.
    case op_code::drain_settle: {
      long ran = 0;
      for (; !queue_.empty(); ++ran) run_item(0);  // a throwing continuation stops nothing here
      return {outcome_kind::value, ran};
    }
    case op_code::drain_complete: return complete(pool_sources_[si], {outcome_kind::value, 0});
    case op_code::drain_consume: {
      const int id = pool_sources_[si];
      return to_outcome(get_result(id, sources_[static_cast<std::size_t>(id)].version));
    }
    case op_code::drain_consume_coroutine: {
      const auto [id, token] = coroutine_results_[coroutine_result_index(o)];
      return to_outcome(get_result(id, token));
    }
    case op_code::count_: break;
  }
  return skipped();
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
