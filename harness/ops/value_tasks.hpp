// harness/ops/value_tasks.hpp: the value_task ops: reading, copying, converting, registering continuations by hand.
// Each op once: its declaration (arguments and their limits, flags, how it prints), then,
// apart, its step on the model and its step on the system under test (docs/harness.md).
#include <vth/ops/declaration.hpp>

#ifndef VTH_OPS_VALUE_TASKS_DECLARED
#define VTH_OPS_VALUE_TASKS_DECLARED
namespace vth::ops {

// V[a].result()
template <>
struct declaration<op_code::result> {
  static constexpr op_info info{"result", 1, {V, 1, 1}, {reads('V')}, {.reads_a_result = true}};
  static constexpr const char* shape = "V{a}";
};

// V[a].status()
template <>
struct declaration<op_code::status> {
  static constexpr op_info info{"status", 1, {V, 1, 1}, {reads('V')}};
  static constexpr const char* shape = "V{a}";
};

// T[a] = V[b].as_task()
template <>
struct declaration<op_code::as_task> {
  static constexpr op_info info{"as_task", 2, {T, V, 1}, {makes('T'), reads('V')},
                                {.allocation_failure_applies = true, .awaits_its_value_task = true, .resumes_where_the_completion_runs = true}};
  static constexpr const char* shape = "T{a} <- V{b}";
};

// V[a] = V[b].preserve()
template <>
struct declaration<op_code::preserve> {
  static constexpr op_info info{"preserve", 2, {V, V, 1}, {makes('V'), reads('V')},
                                {.allocation_failure_applies = true}};
  static constexpr const char* shape = "V{a} <- V{b}";
};

// V[a]'s source: on_completed(counting continuation, V[a]'s token, use_scheduling_context)
template <>
struct declaration<op_code::register_raw> {
  static constexpr op_info info{"register_raw", 1, {V, 1, 1}, {registers_on('V')}};
  static constexpr const char* shape = "V{a}";
};

// V[a]'s source: on_completed(counting continuation, V[a]'s token, flags b)
// b: 0 none, 1 use_scheduling_context, 2 flow_execution_context, 3 both
template <>
struct declaration<op_code::register_raw_with> {
  static constexpr op_info info{"register_raw_with", 2, {V, 4, 1}, {registers_on('V'), number}};
  static std::string describe(const op& o) {
    return std::string(info.name) + " " + slot('V', o.args[0]) + " " + flags_named(o.args[1]);
  }
};

// V[a] == V[b]
template <>
struct declaration<op_code::equals> {
  static constexpr op_info info{"equals", 2, {V, V, 1}, {compares('V'), compares('V')}};
  static constexpr const char* shape = "V{a} V{b}";
};

// V[a] = value_task::from_exception(harness_error(b))
template <>
struct declaration<op_code::make_faulted> {
  static constexpr op_info info{"make_faulted", 2, {V, 256, 1}, {makes('V'), number}};
  static constexpr const char* shape = "V{a} error{b}";
};

// V[a] = value_task::from_canceled(K[b].token())  (invalid_argument unless canceled)
template <>
struct declaration<op_code::make_canceled> {
  static constexpr op_info info{"make_canceled", 2, {V, K, 1}, {makes('V'), reads('K')}};
  static constexpr const char* shape = "V{a} K{b}";
};

// V[a] = value_task::from_exception(operation_canceled(K[b].token())):
// faulted, not canceled (section 4); awaiting it rethrows that exception
template <>
struct declaration<op_code::make_faulted_by_cancellation> {
  static constexpr op_info info{"make_faulted_by_cancellation", 2, {V, K, 1}, {makes('V'), reads('K')},
                                {.allocation_failure_applies = true}};
  static constexpr const char* shape = "V{a} K{b}";
};

// V[a] = value_task(T[b]): a value_task over a task, pending or not (a task-backed
// value_task: read, awaited, converted and compared as its task is, any number of times)
template <>
struct declaration<op_code::wrap_task> {
  static constexpr op_info info{"wrap_task", 2, {V, T, 1}, {makes('V'), reads('T')}};
  static std::string describe(const op& o) {
    return std::string(info.name) + " " + slot('V', o.args[0]) + " <- " + slot('T', o.args[1]);
  }
};

}  // namespace vth::ops
#endif

#if defined(VTH_MODEL_STEPS) && !defined(VTH_OPS_VALUE_TASKS_MODEL_STEPS)
#define VTH_OPS_VALUE_TASKS_MODEL_STEPS
namespace vth {

// the same consumption, from another thread
outcome model::step_result(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  const value_task& vt = V[si];
  switch (vt.representation) {
    case rep::result: return to_outcome(copied({outcomes::value{vt.value}, vt.poisoned}));
    case rep::task: {
      const task& t = tasks_[static_cast<std::size_t>(vt.task)];
      return t.completed ? to_outcome(copied(t.result)) : invalid(named_misuse::before_completion);
    }
    case rep::source: return to_outcome(get_result(vt.source, vt.token));
  }
  return skipped();
}

outcome model::step_status(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  const value_task& vt = V[si];
  switch (vt.representation) {
    case rep::result: return outcomes::status{1};
    case rep::task: return outcomes::status{static_cast<long>(state_of(vt.task))};
    case rep::source: {
      if (const auto rejected = validate(vt.source, vt.token)) return *rejected;
      const source& src = sources_[static_cast<std::size_t>(vt.source)];
      return outcomes::status{src.completed ? status_of(src.result.shown) : 0};
    }
  }
  return skipped();
}

outcome model::step_as_task(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  auto& T = task_slots_;
  outcome error = done();
  const value_task t = as_task(V[static_cast<std::size_t>(b)], error);
  if (is<outcomes::done>(error)) T[si] = t.task;
  return error;
}

outcome model::step_preserve(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  const value_task src = V[static_cast<std::size_t>(b)];
  if (src.representation == rep::result) {
    if (src.poisoned == poison::copy_throws) return fault(injected_fault_code);  // preserve copies it
    V[si] = src;
    return done();
  }
  outcome error = done();
  const value_task t = as_task(src, error);
  if (is<outcomes::done>(error)) V[si] = t;
  return error;
}

outcome model::step_register_raw(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
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

outcome model::step_register_raw_with(const op& o) { return step_register_raw(o); }

outcome model::step_equals(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  const value_task& x = V[si];
  const value_task& y = V[static_cast<std::size_t>(b)];
  bool same = x.representation == y.representation;
  if (same && x.representation == rep::result) same = void_values_ || x.value == y.value;
  if (same && x.representation == rep::task) same = x.task == y.task;
  if (same && x.representation == rep::source) same = x.source == y.source && x.token == y.token;
  return outcomes::value{same ? 1 : 0};
}

outcome model::step_make_faulted(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  auto& T = task_slots_;
  const bool canceled = o.code == op_code::make_canceled || o.code == op_code::task_canceled;
  const bool held_as_fault = o.code == op_code::make_faulted_by_cancellation;  // any token will do
  if (canceled && !canceled_[static_cast<std::size_t>(b)]) return outcomes::invalid_argument{};
  const int t = new_task();
  tasks_[static_cast<std::size_t>(t)].completed = true;
  tasks_[static_cast<std::size_t>(t)].result = {canceled || held_as_fault ? outcome{outcomes::canceled{b}} : outcome{outcomes::error{b}},
                                                poison::none, held_as_fault};
  if (o.code == op_code::task_faulted || o.code == op_code::task_canceled) {
    T[si] = t;
  } else {
    V[si] = {rep::task, 0, t};
  }
  return done();
}

outcome model::step_make_canceled(const op& o) { return step_make_faulted(o); }

outcome model::step_make_faulted_by_cancellation(const op& o) { return step_make_faulted(o); }

outcome model::step_wrap_task(const op& o) {
  value_task_slots_[o.args[0]] = {rep::task, 0, task_slots_[o.args[1]]};
  return done();
}

}  // namespace vth
#endif

#if defined(VTH_RUNTIME_STEPS) && !defined(VTH_OPS_VALUE_TASKS_RUNTIME_STEPS)
#define VTH_OPS_VALUE_TASKS_RUNTIME_STEPS
namespace vth::detail {

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_result(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  return capture([&] { return outcome{outcomes::value{read_result([&] { return V[si].result(); }).value}}; });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_status(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  return capture([&] {
    const vt::value_task<Value>& v = V[si];
    const vt::source_status status = v.status();
    // The four queries must agree with status() (each asks the source again).
    if (v.is_completed() != (status != vt::source_status::pending) ||
        v.is_completed_successfully() != (status == vt::source_status::succeeded) ||
        v.is_faulted() != (status == vt::source_status::faulted) || v.is_canceled() != (status == vt::source_status::canceled)) {
      note(property::model_agreement, "V" + std::to_string(a) + "'s is_* queries disagree with its status()");
    }
    return outcome{outcomes::status{static_cast<long>(status)}};
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_as_task(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  auto& T = task_slots_;
  return capture([&] { T[si] = V[static_cast<std::size_t>(b)].as_task(); return done; });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_preserve(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  return capture([&] { V[si] = V[static_cast<std::size_t>(b)].preserve(); return done; });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_register_raw(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  vt::value_task_source<Value>* source = V[si].source();
  if (source == nullptr) return skipped;
  const bool throws = o.code == op_code::register_throwing, post_fails = o.code == op_code::register_post_fails;
  if ((throws || post_fails) && !is_harness_source(source)) return skipped;  // see the model
  // b's bits composed as a caller writes them, with operator|, not cast from the number.
  using flag = vt::on_completed_flags;
  const flag flags = o.code == op_code::register_raw || post_fails
                         ? flag::use_scheduling_context
                         : ((b & 1) != 0 ? flag::use_scheduling_context : flag::none) |
                               ((b & 2) != 0 ? flag::flow_execution_context : flag::none);
  raws_.emplace_back(this, static_cast<int>(raws_.size()), throws);
  const outcome registered = capture([&] {
    std::optional<vt::scheduling_scope> failing;
    if (post_fails) failing.emplace(failing_context_);  // captured by use_scheduling_context
    source->on_completed(&run_raw, &raws_.back(), V[si].token(), flags);
    return done;
  });
  // Rejected: no registration. A failing post after completion still registered it.
  if (is<outcomes::invalid_operation>(registered)) raws_.pop_back();
  return registered;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_register_raw_with(const op& o) { return step_register_raw(o); }

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_equals(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  return outcomes::value{V[si] == V[static_cast<std::size_t>(b)] ? 1 : 0};
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_make_faulted(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  V[si] = vt::value_task<Value>::from_exception(std::make_exception_ptr(harness_error(b)));
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_make_canceled(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  return capture([&] {
    V[si] = vt::value_task<Value>::from_canceled(cancellations_[static_cast<std::size_t>(b)].token());
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_make_faulted_by_cancellation(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  V[si] = vt::value_task<Value>::from_exception(cancellation_as_exception(b));
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_wrap_task(const op& o) {
  return capture([&] {
    value_task_slots_[o.args[0]] = vt::value_task<Value>(task_slots_[o.args[1]]);
    return outcome{outcomes::done{}};
  });
}

}  // namespace vth::detail
#endif
