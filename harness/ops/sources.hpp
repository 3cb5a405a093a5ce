// harness/ops/sources.hpp: the pooled source ops: renting, wrapping a token, completing a generation, recycling.
// Each op once: its declaration (arguments and their limits, flags, how it prints), then,
// apart, its step on the model and its step on the system under test (docs/harness.md).
#include <vth/ops/declaration.hpp>

#ifndef VTH_OPS_SOURCES_DECLARED
#define VTH_OPS_SOURCES_DECLARED
namespace vth::ops {

// S[a] = pool.rent() (skipped if S[a] holds a live rental)
template <>
struct declaration<op_code::rent> {
  static constexpr op_info info{"rent", 1, {S, 1, 1}, {makes('S')}, {.allocation_failure_applies = true}};
  static constexpr const char* shape = "S{a}";
};

// V[a] = value_task(S[b], S[b].version())
template <>
struct declaration<op_code::wrap> {
  static constexpr op_info info{"wrap", 2, {V, S, 1}, {makes('V'), reads('S')}};
  static constexpr const char* shape = "V{a} S{b}";
};

// V[a] = value_task(S[b], version -/+ (c+1))  (c < 128: older, else newer)
template <>
struct declaration<op_code::wrap_wrong_token> {
  static constexpr op_info info{"wrap_wrong_token", 3, {V, S, 256}, {makes('V'), reads('S'), number}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    const std::int64_t offset = token_offset(o);
    return name + " " + slot('V', a) + " " + slot('S', b) + (offset < 0 ? " version-" : " version+") +
           std::to_string(offset < 0 ? -offset : offset);
  }
};

// V[a] = V[b]
template <>
struct declaration<op_code::copy> {
  static constexpr op_info info{"copy", 2, {V, V, 1}, {makes('V'), reads('V')}};
  static constexpr const char* shape = "V{a} <- V{b}";
};

// S[a].set_result(b)
template <>
struct declaration<op_code::set_result> {
  static constexpr op_info info{"set_result", 2, {S, 256, 1}, {reads('S'), number},
                                {.continuations_on_the_harness_thread = true}};
  static constexpr const char* shape = "S{a} {b}";
};

// S[a].set_exception(harness_error(b))
template <>
struct declaration<op_code::set_exception> {
  static constexpr op_info info{"set_exception", 2, {S, 256, 1}, {reads('S'), number},
                                {.continuations_on_the_harness_thread = true}};
  static constexpr const char* shape = "S{a} error{b}";
};

// S[a].set_canceled(K[b].token())
template <>
struct declaration<op_code::set_canceled> {
  static constexpr op_info info{"set_canceled", 2, {S, K, 1}, {reads('S'), reads('K')},
                                {.continuations_on_the_harness_thread = true}};
  static constexpr const char* shape = "S{a} K{b}";
};

// the scheduler will complete S[a]'s current generation: b = result/exception/cancel, value c
template <>
struct declaration<op_code::post_completion> {
  static constexpr op_info info{"post_completion", 3, {S, 3, 256}, {reads('S'), number, number}};
  static std::string describe(const op& o) { return describe_as(info.name, o); }
  // Also how the other ops of its kind print (complete_on_worker, complete_on_own_pool, complete_after_delay).
  static std::string describe_as(const std::string& name, const op& o) {
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    static const char* completion_kinds[] = {"result", "exception", "cancel"};  // by completion_of(b)
    return name + " " + slot('S', a) + " " + completion_kinds[static_cast<int>(completion_of(o.args[1]))] + " " + std::to_string(c);
  }
};

// S[a]: (b*256 + c + 1) times complete + consume + rent again (reaches token wraparound)
template <>
struct declaration<op_code::recycle> {
  static constexpr op_info info{"recycle", 3, {S, 256, 256}, {reads('S'), number, number}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    return name + " " + slot('S', a) + " x" + std::to_string(recycle_count(o));
  }
};

// S[a].run_continuations_asynchronously(b == 1) (the source keeps it when recycled)
template <>
struct declaration<op_code::run_asynchronously> {
  static constexpr op_info info{"run_asynchronously", 2, {S, 2, 1}, {reads('S'), number}};
  static std::string describe(const op& o) {
    const std::string name = info.name;
    [[maybe_unused]] const auto [a, b, c] = arguments(o);
    return name + " " + slot('S', a) + (b ? " true" : " false");
  }
};

// S[a].set_exception(operation_canceled(K[b].token())): completes
// canceled (section 3), as set_canceled(K[b]'s token) would
template <>
struct declaration<op_code::set_exception_canceled> {
  static constexpr op_info info{"set_exception_canceled", 2, {S, K, 1}, {reads('S'), reads('K')},
                                {.continuations_on_the_harness_thread = true}};
  static constexpr const char* shape = "S{a} K{b}";
};

}  // namespace vth::ops
#endif

#if defined(VTH_MODEL_STEPS) && !defined(VTH_OPS_SOURCES_MODEL_STEPS)
#define VTH_OPS_SOURCES_MODEL_STEPS
namespace vth {

outcome model::step_rent(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (slot_live(a)) return skipped();
  const int id = rent_source();
  if (id < 0) return outcomes::pool_exhausted{};
  S[si] = {id, sources_[static_cast<std::size_t>(id)].version};
  return done();
}

outcome model::step_wrap(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  auto& V = value_task_slots_;
  if (!slot_live(b)) return skipped();
  V[si] = {rep::source, 0, -1, S[static_cast<std::size_t>(b)].source, S[static_cast<std::size_t>(b)].version};
  return done();
}

outcome model::step_wrap_wrong_token(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  auto& V = value_task_slots_;
  if (!slot_live(b)) return skipped();
  const std::int64_t version = S[static_cast<std::size_t>(b)].version;
  V[si] = {rep::source, 0, -1, S[static_cast<std::size_t>(b)].source, version + token_offset(o)};
  return done();
}

outcome model::step_copy(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  const value_task& from = V[static_cast<std::size_t>(b)];
  if (a != b && from.representation == rep::result && from.poisoned == poison::copy_throws) {
    return fault(injected_fault_code);  // the copy throws: V[a] keeps its value
  }
  V[si] = from;
  return done();
}

outcome model::step_set_result(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (!slot_live(a)) return skipped();
  result_value r{outcomes::value{b}};
  if (o.code == op_code::set_exception) r = {outcomes::error{b}};
  if (o.code == op_code::set_canceled || o.code == op_code::set_exception_canceled) r = {outcomes::canceled{b}};
  return complete(S[si].source, r);
}

outcome model::step_set_exception(const op& o) { return step_set_result(o); }

outcome model::step_set_canceled(const op& o) { return step_set_result(o); }

outcome model::step_post_completion(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (!slot_live(a)) return skipped();
  queue_.push_back({posted::completion, S[si].source, S[si].version, completion_of(o.args[1]), c});
  return done();
}

outcome model::step_recycle(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
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
    const outcome completed = complete(id, {outcomes::value{0}});
    if (!is<outcomes::done>(completed)) return completed;  // invalid, or a continuation's throw
    if (const result_value r = get_result(id, S[si].version); is<outcomes::invalid_operation>(r.shown)) return r.shown;
    const int again = rent_source();  // the same source, or another idle one (the pool's order)
    S[si] = {again, sources_[static_cast<std::size_t>(again)].version};
  }
  return done();
}

outcome model::step_run_asynchronously(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (!slot_live(a)) return skipped();
  sources_[static_cast<std::size_t>(S[si].source)].run_asynchronously = b != 0;
  return done();
}

outcome model::step_set_exception_canceled(const op& o) { return step_set_result(o); }

}  // namespace vth
#endif

#if defined(VTH_RUNTIME_STEPS) && !defined(VTH_OPS_SOURCES_RUNTIME_STEPS)
#define VTH_OPS_SOURCES_RUNTIME_STEPS
namespace vth::detail {

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_rent(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (slot_live(a)) return skipped;
  return capture([&] {
    pooled* source = rent();
    S[si] = {source, source->version()};
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_wrap(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  auto& V = value_task_slots_;
  if (!slot_live(b)) return skipped;
  V[si] = vt::value_task<Value>(*S[static_cast<std::size_t>(b)].source, S[static_cast<std::size_t>(b)].version);
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_wrap_wrong_token(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  auto& V = value_task_slots_;
  if (!slot_live(b)) return skipped;
  const source_slot& s = S[static_cast<std::size_t>(b)];
  const auto token = static_cast<vt::token_t>(s.version + token_offset(o));
  V[si] = vt::value_task<Value>(*s.source, token);
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_copy(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  return capture([&] { V[si] = V[static_cast<std::size_t>(b)]; return done; });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_set_result(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (!slot_live(a)) return skipped;
  return capture([&] { set_value<Value>(*S[si].source, b); return done; });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_set_exception(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (!slot_live(a)) return skipped;
  return capture([&] {
    S[si].source->set_exception(std::make_exception_ptr(harness_error(b)));
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_set_canceled(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (!slot_live(a)) return skipped;
  return capture([&] {
    S[si].source->set_canceled(cancellations_[static_cast<std::size_t>(b)].token());
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_post_completion(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (!slot_live(a)) return skipped;
  completion_items_.push_back({this, S[si].source, S[si].version, completion_of(o.args[1]), c});
  scheduler_.post(&run_completion, &completion_items_.back());
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_recycle(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  const int count = recycle_count(o);
  if (!slot_live(a) || count > recycle_budget_) return skipped;
  recycle_budget_ -= count;
  return capture([&] {
    for (int i = 0; i < count; ++i) {
      pooled* source = S[si].source;
      set_value<Value>(*source, 0);
      // A continuation posted to the default executor (an as_task bridge) consumes
      // first, as the model has it, instead of racing this consumption.
      if (source->run_continuations_asynchronously()) settle_default_executor();
      (void)source->get_result(S[si].version);
      pooled* again = rent();
      S[si] = {again, again->version()};
    }
    return done;
  });
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_run_asynchronously(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (!slot_live(a)) return skipped;
  S[si].source->run_continuations_asynchronously(b != 0);
  return done;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_set_exception_canceled(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (!slot_live(a)) return skipped;
  return capture([&] {
    S[si].source->set_exception(cancellation_as_exception(b));
    return done;
  });
}

}  // namespace vth::detail
#endif
