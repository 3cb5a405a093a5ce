// The model's coroutines, tasks and combinators: how an await registers and resumes, how a
// task completes and tells what waits on it, and what the scheduler's items run.
#include <vth/model.hpp>

#include <algorithm>

#include <vth/harness_error.hpp>
#include <vth/misuse.hpp>

#include "model_support.hpp"

namespace vth {

using namespace model_support;

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
  return static_cast<task_state>(status_of(it.result.shown));
}

outcome model::inspect_when_all(int j) const {
  const task& combinator = tasks_[static_cast<std::size_t>(j)];
  if (!combinator.completed) return outcomes::status{0};
  if (combinator.gathering_failed) return outcomes::out_of_memory{};
  if (combinator.build_fault != 0) return aggregate_of({harness_error_inside(combinator.build_fault)});
  if (!faulted(combinator.result)) return to_outcome(combinator.result);
  // Faulted: every input's error, in input order.
  std::vector<inner_error> errors;
  for (int input : combinator.inputs) {
    const result_value& r = tasks_[static_cast<std::size_t>(input)].result;
    if (is<outcomes::aggregate>(r.shown)) {  // a user's aggregate, flattened whole
      for (const long leaf : aggregate_leaves_[static_cast<std::size_t>(r.aggregate)]) errors.push_back(harness_error_inside(leaf));
    }
    if (const auto* e = std::get_if<outcomes::error>(&r.shown)) errors.push_back(harness_error_inside(e->code));
    if (is<outcomes::invalid_operation>(r.shown)) errors.push_back({inner_error::kind::invalid_operation});
    if (is<outcomes::out_of_memory>(r.shown)) errors.push_back({inner_error::kind::out_of_memory});
    if (r.cancellation_as_fault) errors.push_back({inner_error::kind::operation_canceled});
  }
  // As the runner reads it: an aggregate of one bad_alloc is that bad_alloc.
  if (errors.size() == 1 && errors[0].what == inner_error::kind::out_of_memory) return outcomes::out_of_memory{};
  return aggregate_of(errors);
}

int model::new_task() {
  tasks_.emplace_back();
  return static_cast<int>(tasks_.size()) - 1;
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
    if (!c.completed) complete_task(id, {outcomes::value{input}});
    return;
  }
  if (c.remaining > 0) return;
  std::optional<result_value> first_fault, first_cancel;
  const auto finish_copy = [&] {
    // All succeeded: the results are copied out of the inputs, in input order.
    for (int input : c.inputs) {
      if (is<outcomes::error>(copied(tasks_[static_cast<std::size_t>(input)].result).shown)) return false;
    }
    return true;
  };
  long sum = 0;
  for (int input : c.inputs) {
    const result_value& r = tasks_[static_cast<std::size_t>(input)].result;
    // Awaiting a when_all rethrows the first error of its flattened aggregate.
    if (faulted(r) && !first_fault) {
      first_fault = is<outcomes::aggregate>(r.shown)
                        ? result_value{outcomes::error{aggregate_leaves_[static_cast<std::size_t>(r.aggregate)].front()}}
                        : r;
    }
    if (is<outcomes::canceled>(r.shown) && !r.cancellation_as_fault && !first_cancel) first_cancel = r;
    if (const auto* v = std::get_if<outcomes::value>(&r.shown)) sum = combined_sum(sum, v->number);
  }
  // All succeeded: the results are copied out; one that cannot be is wrapped in an aggregate_error.
  const bool copy_fails = !first_fault && !first_cancel && !finish_copy();
  // An allocation failing as it gathers the inputs' errors, fills its vector of results, or
  // wraps a copy's exception faults the when_all with that bad_alloc (section 9).
  if (result_build_fails_ && (first_fault || (!first_cancel && (c.results_allocate || copy_fails)))) {
    result_build_fails_ = false;
    c.gathering_failed = true;
    complete_task(id, {outcomes::out_of_memory{}});
  } else if (first_fault) {
    complete_task(id, *first_fault);
  } else if (first_cancel) {
    complete_task(id, *first_cancel);
  } else if (copy_fails) {
    c.build_fault = injected_fault_code;  // faulted with the copy's exception, inside an aggregate_error
    complete_task(id, {outcomes::error{injected_fault_code}});
  } else {
    complete_task(id, {outcomes::value{sum}});
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
        sync_result = result_value{*rejected};  // thrown by await_ready
      } else {
        ready = sources_[static_cast<std::size_t>(awaited.source)].completed;
      }
      break;
  }
  if (!sync_result && ready) {
    switch (awaited.representation) {
      case rep::result: sync_result = copied({outcomes::value{awaited.value}, awaited.poisoned}); break;
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
        sync_result = result_value{invalid(named_misuse::second_continuation)};  // thrown by await_suspend
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
    if (const auto* v = std::get_if<outcomes::value>(&r.shown)) {
      *out_value_task = {rep::result, v->number, -1, -1, 0, r.poisoned};
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
  if (auto* v = std::get_if<outcomes::value>(&r.shown)) {
    if (c.then == after_await::plus_one) {
      ++v->number;  // computed from a poisoned value: poisoned too
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
      const result_value r = copied({outcomes::value{vt.value}, vt.poisoned});
      if (!is<outcomes::value>(r.shown)) {
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
    if (void_values_ && is<outcomes::value>(r.shown)) return {rep::task, 0, initial_task_};
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
      return is<outcomes::done>(o) ? done(completion_event + pool_index) : o;
    }
  }
  return skipped();
}

}  // namespace vth
