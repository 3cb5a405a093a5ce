// harness/ops/threads.hpp: the ops that put work on another thread: completions, reads and cancels there, and a race.
// Each op once: its declaration (arguments and their limits, flags, how it prints), then,
// apart, its step on the model and its step on the system under test (docs/harness.md).
#include <vth/ops/declaration.hpp>

#ifndef VTH_OPS_THREADS_DECLARED
#define VTH_OPS_THREADS_DECLARED
namespace vth::ops {

// a default-executor worker completes S[a]: b = result/exception/cancel, value c
template <>
struct declaration<op_code::complete_on_worker> {
  static constexpr op_info info{"complete_on_worker", 3, {S, 3, 256}, {reads('S'), number, number},
                                {.completes_on_another_thread = true}};
  static std::string describe(const op& o) { return declaration<op_code::post_completion>::describe_as(info.name, o); }
};

// the same from a thread_pool of its own, destroyed when the op ends
template <>
struct declaration<op_code::complete_on_own_pool> {
  static constexpr op_info info{"complete_on_own_pool", 3, {S, 3, 256}, {reads('S'), number, number},
                                {.completes_on_another_thread = true}};
  static std::string describe(const op& o) { return declaration<op_code::post_completion>::describe_as(info.name, o); }
};

// a thread_pool timer of its own completes S[a] after a real delay: b kind, value c
template <>
struct declaration<op_code::complete_after_delay> {
  static constexpr op_info info{"complete_after_delay", 3, {S, 3, 256}, {reads('S'), number, number},
                                {.completes_on_another_thread = true}};
  static std::string describe(const op& o) { return declaration<op_code::post_completion>::describe_as(info.name, o); }
};

// V[a].result() on a default-executor worker; the runner waits for it
template <>
struct declaration<op_code::result_on_worker> {
  static constexpr op_info info{"result_on_worker", 1, {V, 1, 1}, {reads('V')}, {.reads_a_result = true}};
  static constexpr const char* shape = "V{a}";
};

// two copies of V[a] (source-backed; else skipped) read at once, one on this thread and one
// on a default-executor worker: one consumes the generation, the other is refused
// naming the misuse (consumed twice, or a stale token 1 generation behind: section 8's
// misuse racing legitimate use). The op's outcome is the loser's; the winner's read is
// checked too
template <>
struct declaration<op_code::result_race> {
  static constexpr op_info info{"result_race", 1, {V, 1, 1}, {reads('V')}};
  static constexpr const char* shape = "V{a} here and on a worker";
};

// K[a].cancel() on a thread of its own (a one-thread pool; the runner waits): its
// callbacks, and what they complete, run there; the outcome is cancel's
template <>
struct declaration<op_code::cancel_on_worker> {
  static constexpr op_info info{"cancel_on_worker", 1, {K, 1, 1}, {reads('K')}};
  static constexpr const char* shape = "K{a}";
};

}  // namespace vth::ops
#endif

#if defined(VTH_MODEL_STEPS) && !defined(VTH_OPS_THREADS_MODEL_STEPS)
#define VTH_OPS_THREADS_MODEL_STEPS
namespace vth {

outcome model::step_complete_on_worker(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  {  // as set_*, from another thread; the runner waits for it
  if (!slot_live(a)) return skipped();
  return complete(S[si].source, completion_result(completion_of(o.args[1]), c));
  }
}

outcome model::step_complete_on_own_pool(const op& o) { return step_complete_on_worker(o); }

outcome model::step_complete_after_delay(const op& o) { return step_complete_on_worker(o); }

outcome model::step_result_on_worker(const op& o) { return step_result(o); }

outcome model::step_result_race(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  // Two reads of one generation: the first as `result` would; the second after it, which
  // is what the loser meets whichever thread wins (consumed, or claimed and about to be).
  const value_task& vt = V[si];
  if (vt.representation != rep::source) return skipped();
  outcome winner = to_outcome(get_result(vt.source, vt.token));
  if (void_values_ && is<outcomes::value>(winner)) winner = outcomes::value{0};
  last_race_winner_ = winner;
  const std::optional<std::int64_t> first_rejection = last_token_rejection_;
  outcome loser = to_outcome(get_result(vt.source, vt.token));
  if (void_values_ && is<outcomes::value>(loser)) loser = outcomes::value{0};
  // Where the winner consumed, the loser may meet the generation claimed but not yet
  // recycled (consumed twice) or recycled (a stale token): the contract allows either name.
  if (!first_rejection && loser == outcome{outcomes::invalid_operation{stale_token(1)}}) {
    loser = outcomes::invalid_operation{lost_consumption_race()};
  }
  if (!last_token_rejection_) last_token_rejection_ = first_rejection;
  return loser;
}

outcome model::step_cancel_on_worker(const op& o) { return step_cancel(o); }

}  // namespace vth
#endif

#if defined(VTH_RUNTIME_STEPS) && !defined(VTH_OPS_THREADS_RUNTIME_STEPS)
#define VTH_OPS_THREADS_RUNTIME_STEPS
namespace vth::detail {

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_complete_on_worker(const op& o) {
  [[maybe_unused]] const auto [a, b, c] = arguments(o);
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& S = source_slots_;
  if (!slot_live(a)) return skipped;
  struct job {
    system_under_test* self;
    pooled* source;
    completion_kind kind;
    long value;
    outcome result;
    std::atomic<bool> finished{false};
  } work{this, S[si].source, completion_of(o.args[1]), c, {}};
  const vt::continuation_fn complete = [](void* state) {
    job& w = *static_cast<job*>(state);
    t_completing_on_worker = true;
    w.result = w.self->capture([&] {
      complete_as(*w.source, w.kind, w.value);
      return outcome{outcomes::done{}};
    });
    t_completing_on_worker = false;
    w.finished = true;
    w.finished.notify_one();
  };
  if (o.code == op_code::complete_on_worker) {
    vt::default_executor().post(complete, &work);
  } else if (o.code == op_code::complete_on_own_pool) {
    // A pool of its own, gone when the op ends: its destructor runs what is queued.
    vt::thread_pool own(1);
    own.post_after(std::chrono::nanoseconds(0), complete, &work);  // not delayed: posted now
  } else {
    // A real timer: the pool's timer thread posts the completion when it is due. The
    // outcome does not depend on the delay, so the input replays exactly.
    vt::thread_pool own(1);
    own.post_after(std::chrono::microseconds(50), complete, &work);
    work.finished.wait(false);  // a pool drops timers not yet due when it is destroyed
  }
  settle_default_executor();  // what the completion posted to the default executor
  return work.result;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_complete_on_own_pool(const op& o) { return step_complete_on_worker(o); }

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_complete_after_delay(const op& o) { return step_complete_on_worker(o); }

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_result_on_worker(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  struct job {
    system_under_test* self;
    vt::value_task<Value>* consumed;
    outcome result;
  } work{this, &V[si], {}};
  vt::default_executor().post(
      [](void* state) {
        job& w = *static_cast<job*>(state);
        w.result = w.self->capture(
            [&] { return outcome{outcomes::value{read_result([&] { return w.consumed->result(); }).value}}; });
      },
      &work);
  settle_default_executor();  // the consumption, and whatever it posted there
  return work.result;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_result_race(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  auto& V = value_task_slots_;
  if (V[si].kind() != vt::value_task<Value>::representation::source) return skipped;
  // Two copies, read at once: the worker says it is there, then both spin until this
  // thread lets them go (a worker that wakes up late would find the race long over).
  struct job {
    system_under_test* self;
    vt::value_task<Value> copy;
    std::atomic<bool> there{false};
    std::atomic<bool> go{false};
    outcome result;
  } there{this, V[si], {}, {}, {}};
  vt::value_task<Value> here_copy = V[si];
  vt::default_executor().post(
      [](void* state) {
        job& w = *static_cast<job*>(state);
        w.there.store(true, std::memory_order_release);
        while (!w.go.load(std::memory_order_acquire)) {
        }
        w.result = w.self->capture(
            [&] { return outcome{outcomes::value{read_result([&] { return w.copy.result(); }).value}}; });
      },
      &there);
  while (!there.there.load(std::memory_order_acquire)) std::this_thread::yield();
  there.go.store(true, std::memory_order_release);
  const outcome here =
      capture([&] { return outcome{outcomes::value{read_result([&] { return here_copy.result(); }).value}}; });
  settle_default_executor();
  // The winner read first: the loser is refused as a stale token or as consumed twice
  // (or, where the message names nothing, is the one refused); a winner may itself rethrow
  // an invalid_operation the generation holds (a coroutine's faulted await), so the kind
  // alone cannot tell.
  const auto refused_as_second = [](const outcome& r) {
    const auto* refused = std::get_if<outcomes::invalid_operation>(&r);
    return refused && (refused->misuse.kind == named_misuse::stale_token || refused->misuse.kind == named_misuse::consumed_twice);
  };
  const bool there_won =
      refused_as_second(here) != refused_as_second(there.result)
          ? refused_as_second(here)
          : is<outcomes::invalid_operation>(here) && !is<outcomes::invalid_operation>(there.result);
  race_winner_ = there_won ? there.result : here;
  return there_won ? here : there.result;
}

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::step_cancel_on_worker(const op& o) {
  const auto si = static_cast<std::size_t>(o.args[0]);
  struct job {
    system_under_test* self;
    vt::cancellation_source* source;
    outcome result;
  } work{this, &cancellations_[si], {}};
  callbacks_ran_.clear();
  // A pool of its own, gone when the op ends: a callback settles the default executor
  // after its completion, which a default-executor worker cannot wait for.
  vt::thread_pool own(1);
  own.post(
      [](void* state) {
        job& w = *static_cast<job*>(state);
        t_completing_on_worker = true;  // what the callbacks complete runs inline here, as cancel's would
        try {
          w.source->cancel();
          w.result = callbacks_of(w.self->callbacks_ran_);
        } catch (...) {
          w.result = w.self->classify(std::current_exception());
        }
        t_completing_on_worker = false;
      },
      &work);
  own.wait_idle();
  settle_default_executor();
  return work.result;
}

}  // namespace vth::detail
#endif
