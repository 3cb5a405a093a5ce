// harness/ops/cores.hpp: the bare manual_reset_value_task_source_core ops (core slots, owned by the harness).
// Each op once: its declaration (arguments and their limits, flags, how it prints), then,
// apart, its step on the model and its step on the system under test (docs/harness.md).
#include <vth/ops/declaration.hpp>

#ifndef VTH_OPS_CORES_DECLARED
#define VTH_OPS_CORES_DECLARED
namespace vth::ops {

// V[a] = value_task(C[b], C[b].version()): a raw manual_reset core, not pooled
template <>
struct declaration<op_code::core_wrap> {
  static constexpr op_info info{"core_wrap", 2, {V, C, 1}, {makes('V'), reads('C')}};
  static constexpr const char* shape = "V{a} <- C{b}";
};

// C[a] completes: b = result/exception/cancel, value c
template <>
struct declaration<op_code::core_complete> {
  static constexpr op_info info{"core_complete", 3, {C, 3, 256}, {reads('C'), number, number},
                                {.continuations_on_the_harness_thread = true}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    static const char* completion_kinds[] = {"result", "exception", "cancel"};  // by completion_of(b)
    return name + " " + slot('C', a) + " " + completion_kinds[static_cast<int>(completion_of(o.args[1]))] + " " + std::to_string(c);
  }
};

// C[a].reset()
template <>
struct declaration<op_code::core_reset> {
  static constexpr op_info info{"core_reset", 1, {C, 1, 1}, {reads('C')}};
  static constexpr const char* shape = "C{a}";
};

// C[a].get_result(version - b): a copy, re-readable until reset
template <>
struct declaration<op_code::core_get_result> {
  static constexpr op_info info{"core_get_result", 2, {C, 4, 1}, {reads('C'), number}, {.reads_a_result = true}};
  static constexpr const char* shape = "C{a} version-{b}";
};

}  // namespace vth::ops
#endif

#if defined(VTH_MODEL_STEPS) && !defined(VTH_OPS_CORES_MODEL_STEPS)
#define VTH_OPS_CORES_MODEL_STEPS
namespace vth {

outcome model::step_core_wrap(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  const int id = core_sources_[static_cast<std::size_t>(b)];
  V[si] = {rep::source, 0, -1, id, sources_[static_cast<std::size_t>(id)].version};
  return done();
}

outcome model::step_core_complete(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  return complete(core_sources_[si], completion_result(completion_of(o.args[1]), c));
}

outcome model::step_core_reset(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
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

outcome model::step_core_get_result(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  const int id = core_sources_[si];
  return to_outcome(get_result(id, sources_[static_cast<std::size_t>(id)].version - b));
}

}  // namespace vth
#endif

#if defined(VTH_RUNTIME_STEPS) && !defined(VTH_OPS_CORES_RUNTIME_STEPS)
#define VTH_OPS_CORES_RUNTIME_STEPS
namespace vth::detail {

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_core_wrap(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  core_source<Value>& core = *cores_[static_cast<std::size_t>(b)];
  V[si] = vt::value_task<Value>(core, core.core.version());
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_core_complete(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  return capture([&] {
    complete_as(cores_[si]->core, completion_of(o.args[1]), c);
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_core_reset(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  return capture([&] { cores_[si]->core.reset(); return done; });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_core_get_result(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  return capture([&] {
    auto& core = cores_[si]->core;
    const auto token = static_cast<vt::token_t>(core.version() - b);
    return outcome{outcomes::value{read_result([&] { return core.get_result(token); }).value}};
  });
}

}  // namespace vth::detail
#endif
