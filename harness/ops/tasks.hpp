// harness/ops/tasks.hpp: the coroutine and task ops: awaits of value_tasks and tasks, and what a task holds.
// Each op once: its declaration (arguments and their limits, flags, how it prints), then,
// apart, its step on the model and its step on the system under test (docs/harness.md).
#include <vth/ops/declaration.hpp>

#ifndef VTH_OPS_TASKS_DECLARED
#define VTH_OPS_TASKS_DECLARED
namespace vth::ops {

// T[a] = task coroutine: co_await V[b], return value + 1
template <>
struct declaration<op_code::await_in_task> {
  static constexpr op_info info{"await_in_task", 2, {T, V, 1}, {makes('T'), reads('V')},
                                {.allocation_failure_applies = true, .awaits_its_value_task = true}};
  static constexpr const char* shape = "T{a} <- V{b}";
};

// V[a] = value_task coroutine: co_await V[b], return value + 1
template <>
struct declaration<op_code::await_in_value_task> {
  static constexpr op_info info{"await_in_value_task", 2, {V, V, 1}, {makes('V'), reads('V')},
                                {.awaits_its_value_task = true}};
  static constexpr const char* shape = "V{a} <- V{b}";
};

// T[a] = task coroutine: co_await T[b], return value + 1
template <>
struct declaration<op_code::await_task> {
  static constexpr op_info info{"await_task", 2, {T, T, 1}, {makes('T'), reads('T')},
                                {.allocation_failure_applies = true}};
  static constexpr const char* shape = "T{a} <- T{b}";
};

// T[a].result()
template <>
struct declaration<op_code::task_result> {
  static constexpr op_info info{"task_result", 1, {T, 1, 1}, {reads('T')}, {.reads_a_result = true}};
  static constexpr const char* shape = "T{a}";
};

// T[a].exception(): none, or the error it holds
template <>
struct declaration<op_code::task_exception> {
  static constexpr op_info info{"task_exception", 1, {T, 1, 1}, {reads('T')}};
  static constexpr const char* shape = "T{a}";
};

// T[a] = task coroutine: co_await V[b].configure_await(false), return value + 1
template <>
struct declaration<op_code::await_unbound> {
  static constexpr op_info info{"await_unbound", 2, {T, V, 1}, {makes('T'), reads('V')},
                                {.allocation_failure_applies = true, .awaits_its_value_task = true, .resumes_where_the_completion_runs = true}};
  static constexpr const char* shape = "T{a} <- V{b}";
};

// T[a]: pending / succeeded / faulted / canceled, from its is_* queries
template <>
struct declaration<op_code::task_status> {
  static constexpr op_info info{"task_status", 1, {T, 1, 1}, {reads('T')}};
  static constexpr const char* shape = "T{a}";
};

// T[a] == T[b] (the same operation)
template <>
struct declaration<op_code::task_equals> {
  static constexpr op_info info{"task_equals", 2, {T, T, 1}, {reads('T'), reads('T')}};
  static constexpr const char* shape = "T{a} T{b}";
};

// T[a] = task::from_exception(harness_error(b))
template <>
struct declaration<op_code::task_faulted> {
  static constexpr op_info info{"task_faulted", 2, {T, 256, 1}, {makes('T'), number},
                                {.allocation_failure_applies = true}};
  static constexpr const char* shape = "T{a} error{b}";
};

// T[a] = task::from_canceled(K[b].token())  (invalid_argument unless canceled)
template <>
struct declaration<op_code::task_canceled> {
  static constexpr op_info info{"task_canceled", 2, {T, K, 1}, {makes('T'), reads('K')},
                                {.allocation_failure_applies = true}};
  static constexpr const char* shape = "T{a} K{b}";
};

// T[a] = task coroutine: co_await T[b].configure_await(false), return value + 1
template <>
struct declaration<op_code::await_task_unbound> {
  static constexpr op_info info{"await_task_unbound", 2, {T, T, 1}, {makes('T'), reads('T')},
                                {.allocation_failure_applies = true, .awaits_its_tasks_inline = true}};
  static constexpr const char* shape = "T{a} <- T{b}";
};

// T[a] = c + 1 await_task_unbound links, the first awaiting T[b]
template <>
struct declaration<op_code::await_task_chain> {
  static constexpr op_info info{"await_task_chain", 3, {T, T, 32}, {makes('T'), reads('T'), number},
                                {.awaits_its_tasks_inline = true}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    return name + " " + slot('T', a) + " <- " + slot('T', b) + " x" + std::to_string(c + 1);
  }
};

// T[a] = task::from_exception(aggregate_error{T[b]'s exception, if it holds a
// harness_error or an aggregate_error; harness_error(c)}): user code's
// aggregate, nested as deep as T[b]'s; a when_all over it flattens it whole
template <>
struct declaration<op_code::task_faulted_aggregate> {
  static constexpr op_info info{"task_faulted_aggregate", 3, {T, T, 256}, {makes('T'), reads('T'), number},
                                {.allocation_failure_applies = true}};
  static constexpr const char* shape = "T{a} <- aggregate of T{b}'s error, error{c}";
};

// V[a] = value_task coroutine: co_await V[b].configure_await(false), return
// value + 1: it resumes where the completion runs (a worker's completion
// finishes it there, and its frame goes back on that thread)
template <>
struct declaration<op_code::await_in_value_task_unbound> {
  static constexpr op_info info{"await_in_value_task_unbound", 2, {V, V, 1}, {makes('V'), reads('V')},
                                {.awaits_its_value_task = true, .resumes_where_the_completion_runs = true}};
  static constexpr const char* shape = "V{a} <- V{b}";
};

}  // namespace vth::ops
#endif

#if defined(VTH_MODEL_STEPS) && !defined(VTH_OPS_TASKS_MODEL_STEPS)
#define VTH_OPS_TASKS_MODEL_STEPS
namespace vth {

outcome model::step_await_in_task(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  auto& T = task_slots_;
  if (copy_throws(V[static_cast<std::size_t>(b)])) return fault(injected_fault_code);
  int out = -1;
  const outcome r = start_coroutine(coroutine_kind::task, after_await::plus_one, V[static_cast<std::size_t>(b)], true, &out, nullptr);
  T[si] = out;
  return r;
}

outcome model::step_await_in_value_task(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
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

outcome model::step_await_task(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  int out = -1;
  const value_task awaited{rep::task, 0, T[static_cast<std::size_t>(b)]};
  const bool captures_context = o.code == op_code::await_task;
  const outcome r = start_coroutine(coroutine_kind::task, after_await::plus_one, awaited, captures_context, &out, nullptr);
  T[si] = out;
  return r;
}

outcome model::step_task_result(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  const task& t = tasks_[static_cast<std::size_t>(T[si])];
  return t.completed ? to_outcome(copied(t.result)) : invalid(named_misuse::before_completion);
}

outcome model::step_task_exception(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  const task& t = tasks_[static_cast<std::size_t>(T[si])];
  if (!t.completed || !faulted(t.result)) return done();  // no exception stored
  return to_outcome(t.result);
}

outcome model::step_await_unbound(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  auto& T = task_slots_;
  if (copy_throws(V[static_cast<std::size_t>(b)])) return fault(injected_fault_code);
  int out = -1;
  const outcome r = start_coroutine(coroutine_kind::task, after_await::plus_one, V[static_cast<std::size_t>(b)], false,
                                    &out, nullptr);
  T[si] = out;
  return r;
}

outcome model::step_task_status(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  return outcomes::status{static_cast<long>(state_of(T[si]))};
}

outcome model::step_task_equals(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  return outcomes::value{T[si] == T[static_cast<std::size_t>(b)] ? 1 : 0};
}

outcome model::step_task_faulted(const op& o) { return step_make_faulted(o); }

outcome model::step_task_canceled(const op& o) { return step_make_faulted(o); }

outcome model::step_await_task_unbound(const op& o) { return step_await_task(o); }

outcome model::step_await_task_chain(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  int previous = T[static_cast<std::size_t>(b)];
  for (int link = 0; link <= c; ++link) {
    int out = -1;
    start_coroutine(coroutine_kind::task, after_await::plus_one, {rep::task, 0, previous}, false, &out, nullptr);
    previous = out;
  }
  T[si] = previous;
  return done();
}

outcome model::step_task_faulted_aggregate(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  // T[b]'s error goes inside when it is a harness error or an aggregate, then error c.
  const task& wrapped = tasks_[static_cast<std::size_t>(T[static_cast<std::size_t>(b)])];
  std::vector<inner_error> top;
  std::vector<long> leaves;
  // (A when_all that could not copy a result holds that error inside an aggregate_error.)
  const auto* wrapped_error = std::get_if<outcomes::error>(&wrapped.result.shown);
  if (wrapped.completed && wrapped_error && wrapped.build_fault == 0) {
    top.push_back(harness_error_inside(wrapped_error->code));
    leaves.push_back(wrapped_error->code);
  } else if (wrapped.completed && is<outcomes::aggregate>(wrapped.result.shown)) {
    top.push_back({inner_error::kind::aggregate_error});
    const std::vector<long>& inner = aggregate_leaves_[static_cast<std::size_t>(wrapped.result.aggregate)];
    leaves.insert(leaves.end(), inner.begin(), inner.end());
  }
  top.push_back(harness_error_inside(c));
  leaves.push_back(c);
  aggregate_leaves_.push_back(std::move(leaves));
  const int t = new_task();
  tasks_[static_cast<std::size_t>(t)].completed = true;
  tasks_[static_cast<std::size_t>(t)].result = {aggregate_of(top),
                                                poison::none, false, static_cast<int>(aggregate_leaves_.size()) - 1};
  T[si] = t;
  return done();
}

outcome model::step_await_in_value_task_unbound(const op& o) { return step_await_in_value_task(o); }

}  // namespace vth
#endif

#if defined(VTH_RUNTIME_STEPS) && !defined(VTH_OPS_TASKS_RUNTIME_STEPS)
#define VTH_OPS_TASKS_RUNTIME_STEPS
namespace vth::detail {

template <class Value, class Sources>
// Passing V[b] to a coroutine copies it (a result-backed one copies its value, which
// may throw): that happens before the coroutine exists.
outcome system_under_test<Value, Sources>::step_await_in_task(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  auto& T = task_slots_;
  return capture([&] {
    vt::value_task<Value> awaited = V[static_cast<std::size_t>(b)];
    T[si] = start_coroutine([&](int id) { return awaiting<vt::task<Value>>(this, id, std::move(awaited), plus_one); });
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_await_in_value_task(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  return capture([&] {
    vt::value_task<Value> awaited = V[static_cast<std::size_t>(b)];
    V[si] = start_coroutine([&](int id) { return awaiting<vt::value_task<Value>>(this, id, std::move(awaited), plus_one); });
    if (V[si].kind() == vt::value_task<Value>::representation::source) coroutine_results_.push_back(V[si]);
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_await_task(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  T[si] = start_coroutine([&](int id) { return awaiting<vt::task<Value>>(this, id, T[static_cast<std::size_t>(b)], plus_one); });
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_task_result(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  return capture([&] { return outcome{outcomes::value{read_result([&] { return T[si].result(); }).value}}; });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_task_exception(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  return classify(T[si].exception());
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_await_unbound(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  auto& T = task_slots_;
  return capture([&] {
    vt::value_task<Value> awaited = V[static_cast<std::size_t>(b)];
    T[si] = start_coroutine([&](int id) { return awaiting<vt::task<Value>>(this, id, std::move(awaited).configure_await(false), plus_one); });
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_task_status(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  const vt::task<Value>& t = T[si];
  const bool answers[] = {!t.is_completed(), t.is_completed_successfully(), t.is_faulted(), t.is_canceled()};
  if (std::count(std::begin(answers), std::end(answers), true) != 1) {
    note(property::model_agreement, "T" + std::to_string(a) + "'s is_* queries do not name exactly one state");
  }
  return outcomes::status{static_cast<long>(std::find(std::begin(answers), std::end(answers), true) - std::begin(answers))};
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_task_equals(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  return outcomes::value{T[si] == T[static_cast<std::size_t>(b)] ? 1 : 0};
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_task_faulted(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  T[si] = vt::task<Value>::from_exception(std::make_exception_ptr(harness_error(b)));
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_task_canceled(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  return capture([&] {
    T[si] = vt::task<Value>::from_canceled(cancellations_[static_cast<std::size_t>(b)].token());
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_await_task_unbound(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  T[si] = start_coroutine([&](int id) { return awaiting<vt::task<Value>>(this, id, T[static_cast<std::size_t>(b)].configure_await(false), plus_one); });
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_await_task_chain(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  vt::task<Value> previous = T[static_cast<std::size_t>(b)];
  for (int link = 0; link <= c; ++link) {
    previous = start_coroutine([&](int id) { return awaiting<vt::task<Value>>(this, id, previous.configure_await(false), plus_one); });
  }
  T[si] = previous;
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_task_faulted_aggregate(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  return capture([&] {
    // User code's own aggregate: T[b]'s exception inside it, when that is a harness
    // error or an aggregate (so nesting goes as deep as repeated ops make it).
    std::vector<std::exception_ptr> inner;
    const vt::task<Value>& wrapped = T[static_cast<std::size_t>(b)];
    if (wrapped.is_faulted()) {
      const std::exception_ptr error = wrapped.exception();
      if (vt::exception_cast<harness_error>(error) != nullptr ||
          vt::exception_cast<vt::aggregate_error>(error) != nullptr) {
        inner.push_back(error);
      }
    }
    inner.push_back(std::make_exception_ptr(harness_error(c)));
    T[si] = vt::task<Value>::from_exception(std::make_exception_ptr(vt::aggregate_error(std::move(inner))));
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_await_in_value_task_unbound(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  return capture([&] {
    vt::value_task<Value> awaited = V[static_cast<std::size_t>(b)];
    V[si] = start_coroutine([&](int id) {
      return awaiting<vt::value_task<Value>>(this, id, std::move(awaited).configure_await(false), plus_one);
    });
    if (V[si].kind() == vt::value_task<Value>::representation::source) coroutine_results_.push_back(V[si]);
    return done;
  });
}

}  // namespace vth::detail
#endif
