// harness/ops/combinators.hpp: the combinator ops: when_all and when_any over task slots.
// Each op once: its declaration (arguments and their limits, flags, how it prints), then,
// apart, its step on the model and its step on the system under test (docs/harness.md).
#include <vth/ops/declaration.hpp>

#ifndef VTH_OPS_COMBINATORS_DECLARED
#define VTH_OPS_COMBINATORS_DECLARED
namespace vth::ops {

// T[a] = sum of when_all(T[b], T[c])
template <>
struct declaration<op_code::when_all> {
  static constexpr op_info info{"when_all", 3, {T, T, T}, {makes('T'), reads('T'), reads('T')},
                                {.allocation_failure_applies = true, .awaits_its_tasks_inline = true}};
  static constexpr const char* shape = "T{a} <- T{b} T{c}";
};

// T[a] = index of when_any(T[b], T[c])
template <>
struct declaration<op_code::when_any> {
  static constexpr op_info info{"when_any", 3, {T, T, T}, {makes('T'), reads('T'), reads('T')},
                                {.allocation_failure_applies = true, .awaits_its_tasks_inline = true}};
  static constexpr const char* shape = "T{a} <- T{b} T{c}";
};

// W[a] = when_all(T[b], T[c]) itself (a task of both results)
template <>
struct declaration<op_code::when_all_into> {
  static constexpr op_info info{"when_all_into", 3, {W, T, T}, {makes('W'), reads('T'), reads('T')},
                                {.allocation_failure_applies = true, .awaits_its_tasks_inline = true}};
  static constexpr const char* shape = "W{a} <- T{b} T{c}";
};

// W[a]: pending, its sum, its cancellation, or its whole aggregate_error
template <>
struct declaration<op_code::inspect_when_all> {
  static constexpr op_info info{"inspect_when_all", 1, {W, 1, 1}, {reads('W')}, {.reads_a_result = true}};
  static constexpr const char* shape = "W{a}";
};

// T[a] = sum of when_all(W[b], T[c]): a when_all whose input is a when_all (its
// aggregate_error flattened into this one's; awaiting rethrows the first)
template <>
struct declaration<op_code::when_all_nested> {
  static constexpr op_info info{"when_all_nested", 3, {T, W, T}, {makes('T'), reads('W'), reads('T')},
                                {.awaits_its_tasks_inline = true}};
  static constexpr const char* shape = "T{a} <- W{b} T{c}";
};

// W[a] = when_all(no tasks): completed at once, with no results
template <>
struct declaration<op_code::when_all_of_none> {
  static constexpr op_info info{"when_all_of_none", 1, {W, 1, 1}, {makes('W')}};
  static constexpr const char* shape = "W{a}";
};

}  // namespace vth::ops
#endif

#if defined(VTH_MODEL_STEPS) && !defined(VTH_OPS_COMBINATORS_MODEL_STEPS)
#define VTH_OPS_COMBINATORS_MODEL_STEPS
namespace vth {

outcome model::step_when_all(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  const int j = start_combinator(o.code == op_code::when_all ? combinator_kind::all : combinator_kind::any,
                                 T[static_cast<std::size_t>(b)], T[static_cast<std::size_t>(c)], a % 2 == 0);
  int out = -1;
  const value_task awaited{rep::task, 0, j};
  start_coroutine(coroutine_kind::task, o.code == op_code::when_all ? after_await::sum_of_all : after_await::index_of_any,
                  awaited, true, &out, nullptr);
  T[si] = out;
  return done();
}

outcome model::step_when_any(const op& o) { return step_when_all(o); }

outcome model::step_when_all_into(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  when_all_slots_[si] =
      start_combinator(combinator_kind::all, T[static_cast<std::size_t>(b)], T[static_cast<std::size_t>(c)], true);
  return done();
}

outcome model::step_inspect_when_all(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  if (when_all_slots_[si] < 0) return skipped();
  return inspect_when_all(when_all_slots_[si]);
}

outcome model::step_when_all_nested(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
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

outcome model::step_when_all_of_none(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  const int j = new_task();
  tasks_[static_cast<std::size_t>(j)].combinator = combinator_kind::all;
  complete_task(j, {outcomes::value{0}});  // completed at once; its sum is 0
  when_all_slots_[si] = j;
  return done();
}

}  // namespace vth
#endif

#if defined(VTH_RUNTIME_STEPS) && !defined(VTH_OPS_COMBINATORS_RUNTIME_STEPS)
#define VTH_OPS_COMBINATORS_RUNTIME_STEPS
namespace vth::detail {

template <class Value, class Sources>
// Both overloads of each combinator, the vector and the variadic one, by the target
// slot's parity: they must mean the same.
outcome system_under_test<Value, Sources>::step_when_all(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  return capture([&] {
    const vt::task<Value>& first = T[static_cast<std::size_t>(b)];
    const vt::task<Value>& second = T[static_cast<std::size_t>(c)];
    T[si] = start_coroutine([&](int id) {
      if (a % 2 == 0) return awaiting<vt::task<Value>>(this, id, vt::when_all(std::vector<vt::task<Value>>{first, second}), as_read);
      return awaiting<vt::task<Value>>(this, id, vt::when_all(first, second), as_read);
    });
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_when_any(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  const vt::task<Value>& first = T[static_cast<std::size_t>(b)];
  const vt::task<Value>& second = T[static_cast<std::size_t>(c)];
  auto any = a % 2 == 0 ? vt::when_any(std::vector<vt::task<Value>>{first, second}) : vt::when_any(first, second);
  T[si] = start_coroutine([&](int id) { return awaiting<vt::task<Value>>(this, id, std::move(any), as_read); });
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_when_all_into(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  return capture([&] {
    when_all_slots_[si] =
        vt::when_all(std::vector<vt::task<Value>>{T[static_cast<std::size_t>(b)], T[static_cast<std::size_t>(c)]});
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_inspect_when_all(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  if (!when_all_slots_[si]) return skipped;
  const vt::task<when_all_result<Value>>& all = *when_all_slots_[si];
  if (!all.is_completed()) return outcomes::status{0};
  if (all.is_faulted()) return classify(all.exception());
  return capture([&] { return outcome{outcomes::value{read_result([&] { return all.result(); }).value}}; });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_when_all_nested(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  if (!when_all_slots_[static_cast<std::size_t>(b)]) return skipped;
  return capture([&] {
    const vt::task<when_all_result<Value>>& inner = *when_all_slots_[static_cast<std::size_t>(b)];
    const vt::task<Value>& second = T[static_cast<std::size_t>(c)];
    T[si] = start_coroutine([&](int id) { return awaiting<vt::task<Value>>(this, id, vt::when_all(inner, second), as_read); });
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_when_all_of_none(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  return capture([&] {
    when_all_slots_[si] = vt::when_all(std::vector<vt::task<Value>>{});
    return done;
  });
}

}  // namespace vth::detail
#endif
