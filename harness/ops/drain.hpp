// harness/ops/drain.hpp: the drain ops the runner appends after an input's last op
// (vth/snapshot.hpp: next_drain_op), so that a trace shows how the scenario came to rest. No
// alphabet holds them.
// Each op once: its declaration (arguments and their limits, flags, how it prints), then,
// apart, its step on the model and its step on the system under test (docs/harness.md).
#include <vth/ops/declaration.hpp>

#ifndef VTH_OPS_DRAIN_DECLARED
#define VTH_OPS_DRAIN_DECLARED
namespace vth::ops {

// run the scheduler and the default executor until both rest, past
// throwing continuations; value: the scheduler items run
template <>
struct declaration<op_code::drain_settle> {
  static constexpr op_info info{"drain_settle", 0, {1, 1, 1}, {}, {.continuations_on_the_harness_thread = true}};
  static constexpr const char* shape = "";
};

// the harness pool's source #a (creation order) completes with result 0
template <>
struct declaration<op_code::drain_complete> {
  static constexpr op_info info{"drain_complete", 1, {pool_capacity, 1, 1}, {number},
                                {.continuations_on_the_harness_thread = true}};
  static constexpr const char* shape = "source #{a}";
};

// the harness pool's source #a: get_result(its version)
template <>
struct declaration<op_code::drain_consume> {
  static constexpr op_info info{"drain_consume", 1, {pool_capacity, 1, 1}, {number}, {.reads_a_result = true}};
  static constexpr const char* shape = "source #{a}";
};

// value_task coroutine result #(a*256 + b): get_result(its token)
template <>
struct declaration<op_code::drain_consume_coroutine> {
  static constexpr op_info info{"drain_consume_coroutine", 2, {256, 256, 1}, {number, number},
                                {.reads_a_result = true}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    return name + " #" + std::to_string(coroutine_result_index(o));
  }
};

}  // namespace vth::ops
#endif

#if defined(VTH_MODEL_STEPS) && !defined(VTH_OPS_DRAIN_MODEL_STEPS)
#define VTH_OPS_DRAIN_MODEL_STEPS
namespace vth {

// The drain (snapshot.hpp). Its completions and consumptions are those of set_result
// and result, addressed by the pool's creation order instead of a slot.
outcome model::step_drain_settle(const op&) {
  long ran = 0;
  for (; !queue_.empty(); ++ran) run_item(0);  // a throwing continuation stops nothing here
  return outcomes::value{ran};
}

outcome model::step_drain_complete(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  return complete(pool_sources_[si], {outcomes::value{0}});
}

outcome model::step_drain_consume(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  const int id = pool_sources_[si];
  return to_outcome(get_result(id, sources_[static_cast<std::size_t>(id)].version));
}

outcome model::step_drain_consume_coroutine(const op& o) {
  const auto [id, token] = coroutine_results_[coroutine_result_index(o)];
  return to_outcome(get_result(id, token));
}

}  // namespace vth
#endif

#if defined(VTH_RUNTIME_STEPS) && !defined(VTH_OPS_DRAIN_RUNTIME_STEPS)
#define VTH_OPS_DRAIN_RUNTIME_STEPS
namespace vth::detail {

template <class Value, class Sources>
// The drain (snapshot.hpp), as the model performs it.
outcome system_under_test<Value, Sources>::step_drain_settle(const op&) {
  return capture([&] {
    long ran = 0;
    do {
      for (; scheduler_.pending() != 0; ++ran) despite_faults([&] { scheduler_.run_one(); });
      settle_default_executor();  // a bridge on a worker may post awaiters back to the scheduler
    } while (scheduler_.pending() != 0);
    return outcome{outcomes::value{ran}};
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_drain_complete(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  return capture([&] { set_value<Value>(*pool_sources_[si], 0); return done; });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_drain_consume(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  return capture([&] {
    pooled& source = *pool_sources_[si];
    return outcome{outcomes::value{read_result([&] { return source.get_result(source.version()); }).value}};
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_drain_consume_coroutine(const op& o) {
  return capture([&] {
    const vt::value_task<Value>& result = coroutine_results_[coroutine_result_index(o)];
    return outcome{outcomes::value{read_result([&] { return result.source()->get_result(result.token()); }).value}};
  });
}

}  // namespace vth::detail
#endif
