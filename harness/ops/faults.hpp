// harness/ops/faults.hpp: the fault ops: user code that throws, values whose copies or moves throw,
// failing allocations, bad arguments (docs/semantics.md section 9). Poisoned values exist only
// with tracked values.
// Each op once: its declaration (arguments and their limits, flags, how it prints), then,
// apart, its step on the model and its step on the system under test (docs/harness.md).
#include <vth/ops/declaration.hpp>

#ifndef VTH_OPS_FAULTS_DECLARED
#define VTH_OPS_FAULTS_DECLARED
namespace vth::ops {

// a < 4: S[a], else C[a-4] completes with value c poisoned (tracked values only):
// b 0 copy throws, passed by move; 1 move throws, passed by copy (stored fine);
// b 2 copy throws, passed by copy; 3 move throws, passed by move (the store throws)
template <>
struct declaration<op_code::set_poisoned> {
  static constexpr op_info info{"set_poisoned", 3, {S + C, 4, 256}, {number, number, number},
                                {.continuations_on_the_harness_thread = true}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    static const char* modes[] = {"copy-throws, by move", "move-throws, by copy", "copy-throws, by copy",
                                  "move-throws, by move"};
    return name + " " + (a < S ? slot('S', a) : slot('C', a - S)) + " " + std::to_string(c) + " " + modes[b];
  }
};

// V[a] = value_task(value c poisoned): b 0 copy throws, 1 move throws
template <>
struct declaration<op_code::make_poisoned> {
  static constexpr op_info info{"make_poisoned", 3, {V, 2, 256}, {makes('V'), number, number}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    return name + " " + slot('V', a) + " " + std::to_string(c) + (b == 0 ? " copy-throws" : " move-throws");
  }
};

// as register_raw_with (flags b), but the continuation throws after it runs
template <>
struct declaration<op_code::register_throwing> {
  static constexpr op_info info{"register_throwing", 2, {V, 4, 1}, {registers_on('V'), number}};
  static std::string describe(const op& o) {
    return std::string(info.name) + " " + slot('V', o.args[0]) + " " + flags_named(o.args[1]);
  }
};

// V[a]'s source: on_completed(use_scheduling_context) under an executor whose post throws
template <>
struct declaration<op_code::register_post_fails> {
  static constexpr op_info info{"register_post_fails", 1, {V, 1, 1}, {registers_on('V')}};
  static constexpr const char* shape = "V{a}";
};

// the next op's (a+1)-th operator new throws std::bad_alloc, when that op is one
// whose runtime allocations all come before its effects (allocation_failure_applies)
template <>
struct declaration<op_code::allocation_fails> {
  static constexpr op_info info{"allocation_fails", 1, {4, 1, 1}, {number}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    return name + " at the next op's allocation #" + std::to_string(a + 1);
  }
};

// a call given a null or empty argument (bad_argument_call(a)), slot b: invalid_argument,
// nothing changes (docs/semantics.md sections 1, 3 and 8)
template <>
struct declaration<op_code::bad_argument> {
  static constexpr op_info info{"bad_argument", 2, {bad_argument_call_count, V, 1}, {number, number}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    using call = bad_argument_call;
    const auto made = static_cast<call>(a);
    const std::string t = slot('T', b % task_slots);
    switch (made) {
      case call::core_set_null_exception:
      case call::core_on_completed_null_fn: return name + " " + slot('C', b % core_slots) + "." + vth::describe(made);
      case call::register_empty_callback: return name + " " + slot('K', b % cancellation_slots) + "." + vth::describe(made);
      case call::when_all_vector_empty_task: return name + " when_all({" + t + ", empty task})";
      case call::when_all_pair_empty_task: return name + " when_all(" + t + ", empty task)";
      case call::when_any_pair_empty_task: return name + " when_any(" + t + ", empty task)";
      default: return name + " " + vth::describe(made);
    }
  }
};

// T[a] = vt::run(f), f throws harness_error(b): c 0 on the scenario's scheduler,
// c 1 on the default executor (the runner waits for it)
template <>
struct declaration<op_code::run_throws> {
  static constexpr op_info info{"run_throws", 3, {T, 256, 2}, {makes('T'), number, number},
                                {.allocation_failure_applies = true}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    return name + " " + slot('T', a) + " error" + std::to_string(b) + (c == 0 ? " on the scheduler" : " on the default executor");
  }
};

// T[a] = vt::run(f), f returns value c poisoned (tracked values only): b 0 copy throws,
// 1 move throws, on the scenario's scheduler; b 2, 3 the same on the default
// executor (the runner waits for it). A result that cannot move into the task
// faults it (section 9); one whose copies throw faults each read of it
template <>
struct declaration<op_code::run_poisoned> {
  static constexpr op_info info{"run_poisoned", 3, {T, 4, 256}, {makes('T'), number, number},
                                {.allocation_failure_applies = true}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    return name + " " + slot('T', a) + " returns " + std::to_string(c) + (b % 2 == 0 ? " copy-throws" : " move-throws") +
           (b < 2 ? " on the scheduler" : " on the default executor");
  }
};

}  // namespace vth::ops
#endif

#if defined(VTH_MODEL_STEPS) && !defined(VTH_OPS_FAULTS_MODEL_STEPS)
#define VTH_OPS_FAULTS_MODEL_STEPS
namespace vth {

outcome model::step_set_poisoned(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
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
  return complete(id, {outcomes::value{c}, b == 0 ? poison::copy_throws : poison::move_throws});
}

outcome model::step_make_poisoned(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  if (!values_can_fault_) return skipped();
  if (b == 1) return fault(injected_fault_code);  // moving it into V[a] throws: V[a] keeps its value
  V[si] = {rep::result, c, -1, -1, 0, poison::copy_throws};
  return done();
}

outcome model::step_register_throwing(const op& o) { return step_register_raw(o); }

outcome model::step_register_post_fails(const op& o) { return step_register_raw(o); }

outcome model::step_allocation_fails(const op&) {
  return done();  // armed by the runner for the next op (run_scenario)
}

// every such call checks its argument before anything else
outcome model::step_bad_argument(const op&) {
  return outcomes::invalid_argument{};
}

outcome model::step_run_throws(const op& o) { return step_run_on(o); }

outcome model::step_run_poisoned(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  if (!values_can_fault_) return skipped();
  const result_value returned{outcomes::value{c}, b % 2 == 0 ? poison::copy_throws : poison::move_throws};
  const int t = new_task();
  if (b < 2) {
    queue_.push_back({posted::run, t, 0, completion_kind::result, c, returned.poisoned});
  } else {
    complete_task(t, moved(returned));  // a worker runs it before the next step
  }
  T[si] = t;
  return done();
}

}  // namespace vth
#endif

#if defined(VTH_RUNTIME_STEPS) && !defined(VTH_OPS_FAULTS_RUNTIME_STEPS)
#define VTH_OPS_FAULTS_RUNTIME_STEPS
namespace vth::detail {

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_set_poisoned(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if constexpr (!std::is_same_v<Value, tracked_value>) {
    return skipped;
  } else {
    // b: 0 copy-throws by move, 1 move-throws by copy (stored fine); 2 copy-throws by
    // copy, 3 move-throws by move (the store throws).
    auto store = [&](auto& target) {
      return capture([&] {
        tracked_value value(c, b % 2 == 0 ? poison::copy_throws : poison::move_throws);
        if (b == 0 || b == 3) {
          target.set_result(std::move(value));
        } else {
          target.set_result(value);
        }
        return done;
      });
    };
    if (a < source_slots) return slot_live(a) ? store(*S[si].source) : skipped;
    return store(cores_[static_cast<std::size_t>(a - source_slots)]->core);
  }
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_make_poisoned(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  if constexpr (!std::is_same_v<Value, tracked_value>) {
    return skipped;
  } else {
    return capture([&] {
      tracked_value value(c, b == 0 ? poison::copy_throws : poison::move_throws);
      // Copy-throws: moved in and moved into V[a]. Move-throws: copied in; the move
      // into V[a] throws, and V[a] must keep its value.
      vt::value_task<Value> fresh = b == 0 ? vt::value_task<Value>(std::move(value)) : vt::value_task<Value>(value);
      V[si] = std::move(fresh);
      return done;
    });
  }
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_register_throwing(const op& o) { return step_register_raw(o); }

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_register_post_fails(const op& o) { return step_register_raw(o); }

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_allocation_fails(const op&) {
  return done;  // armed around the next op (run_with)
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_bad_argument(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  return capture([&] { return call_with_bad_argument(static_cast<bad_argument_call>(a), b); });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_run_throws(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  auto throws = [value = b]() -> Value { throw harness_error(value); };
  T[si] = c == 0 ? vt::run(context_, throws) : vt::run(throws);
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_run_poisoned(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& T = task_slots_;
  if constexpr (!std::is_same_v<Value, tracked_value>) {
    return skipped;
  } else {
    const poison p = b % 2 == 0 ? poison::copy_throws : poison::move_throws;
    auto returns_poisoned = [value = long{c}, p] { return tracked_value(value, p); };
    T[si] = b < 2 ? vt::run(context_, returns_poisoned) : vt::run(returns_poisoned);
    return done;
  }
}

}  // namespace vth::detail
#endif
