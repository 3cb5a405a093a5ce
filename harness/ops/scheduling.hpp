// harness/ops/scheduling.hpp: the scheduling ops: scheduler steps and vt::run on the scheduler or the default executor.
// Each op once: its declaration (arguments and their limits, flags, how it prints), then,
// apart, its step on the model and its step on the system under test (docs/harness.md).
#include <vth/ops/declaration.hpp>

#ifndef VTH_OPS_SCHEDULING_DECLARED
#define VTH_OPS_SCHEDULING_DECLARED
namespace vth::ops {

// scheduler: run the ready item at index a % ready_count
template <>
struct declaration<op_code::run_one> {
  static constexpr op_info info{"run_one", 1, {256, 1, 1}, {number}, {.continuations_on_the_harness_thread = true}};
  static constexpr const char* shape = "choice {a}";
};

// scheduler: run everything (FIFO)
template <>
struct declaration<op_code::run_until_idle> {
  static constexpr op_info info{"run_until_idle", 0, {1, 1, 1}, {}, {.continuations_on_the_harness_thread = true}};
  static constexpr const char* shape = "";
};

// T[a] = vt::run(the scenario's scheduler, returns b)
template <>
struct declaration<op_code::run_on> {
  static constexpr op_info info{"run_on", 2, {T, 256, 1}, {makes('T'), number}, {.allocation_failure_applies = true}};
  static constexpr const char* shape = "T{a} returns {b}";
};

// T[a] = vt::run(returns b) on the default executor (the runner waits for it)
template <>
struct declaration<op_code::run_default> {
  static constexpr op_info info{"run_default", 2, {T, 256, 1}, {makes('T'), number},
                                {.allocation_failure_applies = true}};
  static constexpr const char* shape = "T{a} returns {b}";
};

// T[a] = a task coroutine started on a thread where no executor is current:
// c 0 co_await vt::yield() (posts to the default executor), c 1 co_await
// vt::delay(200 µs) (a real timer); returns b, or throws harness_error(
// suspension_skipped_code) if the yield resumed on the thread it
// started on or the delay ended early. The runner waits for it (section 6)
template <>
struct declaration<op_code::suspend_without_executor> {
  static constexpr op_info info{"suspend_without_executor", 3, {T, 256, 2}, {makes('T'), number, number}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    return name + " " + slot('T', a) + (c == 0 ? " yield" : " delay 200 us") + ", returns " + std::to_string(b);
  }
};

}  // namespace vth::ops
#endif

#if defined(VTH_MODEL_STEPS) && !defined(VTH_OPS_SCHEDULING_MODEL_STEPS)
#define VTH_OPS_SCHEDULING_MODEL_STEPS
namespace vth {

outcome model::step_run_one(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  if (queue_.empty()) return skipped();
  return run_item(queue_.size() == 1 ? 0 : static_cast<std::size_t>(a) % queue_.size());
}

outcome model::step_run_until_idle(const op&) {
  long ran = 0;
  while (!queue_.empty()) {
    const outcome item = run_item(0);
    ++ran;
    if (item_threw_) return item;  // out of run_until_idle; the rest stays queued
  }
  return outcomes::value{ran};
}

outcome model::step_run_on(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  {  // vt::run of a function, or a coroutine resumed elsewhere: b or error b
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
}

outcome model::step_run_default(const op& o) { return step_run_on(o); }

outcome model::step_suspend_without_executor(const op& o) { return step_run_on(o); }

}  // namespace vth
#endif

#if defined(VTH_RUNTIME_STEPS) && !defined(VTH_OPS_SCHEDULING_RUNTIME_STEPS)
#define VTH_OPS_SCHEDULING_RUNTIME_STEPS
namespace vth::detail {

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_run_one(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  return capture([&] { return run_one_item(static_cast<std::size_t>(a)); });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_run_until_idle(const op&) {
  return capture([&] { return outcome{outcomes::value{static_cast<long>(run_until_settled())}}; });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_run_on(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  T[si] = vt::run(context_, [value = b] { return make<Value>(value); });
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_run_default(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  T[si] = vt::run([value = b] { return make<Value>(value); });
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_suspend_without_executor(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  // The bare thread has no current executor; it waits there (sync_wait blocks when no
  // manual scheduler is current) until the coroutine has finished elsewhere.
  vt::task<Value> started;
  run_on_bare_thread([&] {
    started = resumed_elsewhere<Value>(b, c == 1);
    try {
      vt::sync_wait(started);
    } catch (...) {  // read through T[a]
    }
  });
  T[si] = std::move(started);
  settle_default_executor();
  return done;
}

}  // namespace vth::detail
#endif
