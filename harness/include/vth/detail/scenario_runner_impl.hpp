#pragma once
// The runner's machinery, for scenario_runner.hpp: the runtime side of a scenario (its
// slots holding real objects, over the source under test) and the step loop that checks it
// against the model. A header so that a binary can instantiate it with its own sources.
#include <algorithm>
#include <array>
#include <chrono>
#include <coroutine>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <tuple>
#include <type_traits>

#include <vt/vt.hpp>
#include <vth/allocation_faults.hpp>
#include <vth/detail/bare_thread.hpp>
#include <vth/harness_error.hpp>
#include <vth/misuse.hpp>
#include <vth/model.hpp>
#include <vth/snapshot.hpp>
#include <vth/runner.hpp>
#include <vth/source_under_test.hpp>
#include <vth/tracked_value.hpp>

namespace vth::detail {

// Continuations the runtime posted to the default executor (a thread pool) run on its
// workers: waits until they have. The model runs a worker's part at once, before anything
// after it, so the runner waits at the end of every scheduler item that may have posted
// there; else a worker's resumption races the next item's (and the order of what the two
// post back to the scheduler is a race's, not the contract's).
inline void settle_default_executor() { vt::default_thread_pool().wait_idle(); }

// Picks the ready item the current run_one op names; FIFO otherwise.
class scripted_chooser final : public vt::schedule_chooser {
public:
  std::size_t choose(std::size_t ready_count) override { return next % ready_count; }
  std::size_t next = 0;
};

// The scenario's scheduling context: forwards every post to the manual scheduler and marks
// which posted item is running, so a continuation can tell "posted to the scheduler" (it is
// the item) from "run inline" by whatever the item was doing. Posts may come from a
// default-executor worker (an as_task bridge completing a task whose awaiters captured
// this context).
class labelling_executor final : public vt::executor {
public:
  explicit labelling_executor(vt::manual_scheduler& scheduler) : scheduler_(scheduler) {}

  void post(vt::continuation_fn fn, void* state) override {
    item* posted;
    {
      std::lock_guard lock(mutex_);
      posted = &items_.emplace_back(item{this, fn, state});
    }
    scheduler_.post(&run, posted);
  }

  // The state of the posted item running now (on the harness thread), or nullptr.
  const void* running() const noexcept { return running_; }

private:
  struct item {
    labelling_executor* owner;
    vt::continuation_fn fn;
    void* state;
  };
  static void run(void* p) {
    const item& it = *static_cast<item*>(p);
    struct restore {
      const void*& slot;
      const void* previous;
      ~restore() { slot = previous; }
    } guard{it.owner->running_, it.owner->running_};
    struct settle_after {  // also when the item throws
      ~settle_after() { settle_default_executor(); }
    } settle;
    it.owner->running_ = it.state;
    it.fn(it.state);
  }

  vt::manual_scheduler& scheduler_;
  std::mutex mutex_;
  std::deque<item> items_;  // stable addresses until the scenario ends
  const void* running_ = nullptr;
};

// Set on a default-executor worker while it runs a completion the harness posted there.
inline thread_local bool t_completing_on_worker = false;

// What the harness reads out of a result: the value (and its poison, which a value
// computed from it keeps), the sum of a when_all's values, a when_any's index; 0 for no value.
struct reading {
  long value = 0;
  poison poisoned = poison::none;
  reading(long v = 0, poison p = poison::none) noexcept : value(v), poisoned(p) {}  // NOLINT: numbers convert
  friend reading operator+(reading r, long n) noexcept { return {r.value + n, r.poisoned}; }
};

// The scenario's values as the runtime carries them: int, a tracked value (moves, lifetime
// and poison show), or none (void: `make` yields nothing, a result reads as 0).
template <class Value>
Value make(reading r) {
  if constexpr (std::is_same_v<Value, tracked_value>) {
    return tracked_value(r.value, r.poisoned);
  } else {
    return Value(static_cast<int>(r.value));  // Value = void: a void expression, nothing made
  }
}

template <class T>
reading read_of(const T& result) {
  if constexpr (std::is_same_v<T, int>) {
    return result;
  } else if constexpr (std::is_same_v<T, tracked_value>) {
    return {result.value(), result.poisoned()};
  } else if constexpr (std::is_same_v<T, std::size_t>) {
    return static_cast<long>(result);
  } else if constexpr (std::is_same_v<T, vt::void_value>) {
    return 0;
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    return combined_sum(read_of(std::get<0>(result)).value, read_of(std::get<1>(result)).value);
  } else {
    long sum = 0;
    for (const auto& value : result) sum = combined_sum(sum, read_of(value).value);
    return sum;
  }
}
// Calls `read` and returns what its result holds (0 for void).
template <class Read>
reading read_result(Read&& read) {
  if constexpr (std::is_void_v<decltype(read())>) {
    read();
    return 0;
  } else {
    return read_of(read());
  }
}
template <class Value, class Source>
void set_value(Source& source, long value) {
  if constexpr (std::is_void_v<Value>) {
    source.set_result();
  } else {
    source.set_result(make<Value>(value));
  }
}
template <class Value>
vt::task<Value> completed_task_of(long value) {
  if constexpr (std::is_void_v<Value>) {
    return vt::completed_task();
  } else {
    return vt::task<Value>::from_result(make<Value>(value));
  }
}
// Suspends where no executor is current (section 6), then checks what the contract promises:
// a yield always suspends and is posted to the default executor, so it resumes on a worker;
// a delay takes a real timer, so it never ends early (it may resume on this thread: a timer
// that fires before the await leaves nothing to wait for).
template <class Value>
vt::task<Value> resumed_elsewhere(long value, bool by_delay) {
  // Long enough that a delay completed at once, or posted at once, shows even on a first,
  // cold call: a delay posted at once failed the same 160 shipped inputs at 200 µs as at
  // 1 ms (159 at 50 µs, 136-144 at 20 µs), and every delay op costs a fuzz target this long.
  constexpr std::chrono::microseconds duration{200};
  const std::thread::id started_on = std::this_thread::get_id();
  const auto started_at = std::chrono::steady_clock::now();
  if (by_delay) {
    co_await vt::delay(duration);
    if (std::chrono::steady_clock::now() - started_at < duration) throw harness_error(suspension_skipped_code);
  } else {
    co_await vt::yield();
    if (std::this_thread::get_id() == started_on) throw harness_error(suspension_skipped_code);
  }
  co_return make<Value>(value);
}
template <class Value>
using when_all_result = std::conditional_t<std::is_void_v<Value>, void, std::vector<Value>>;
template <class Value>
using when_all_pair = decltype(vt::when_all(std::declval<vt::task<Value>>(), std::declval<vt::task<Value>>()));

// A bare manual_reset core as a value_task source (what a user's hand-rolled source is):
// reading copies the result, nothing recycles, reset is the owner's.
template <class Value>
class core_source final : public vt::value_task_source<Value> {
public:
  explicit core_source(vt::token_t first_version) noexcept : core(first_version) {}
  vt::source_status status(vt::token_t token) const override { return core.status(token); }
  Value get_result(vt::token_t token) override { return core.get_result(token); }
  void on_completed(vt::continuation_fn fn, void* state, vt::token_t token, vt::on_completed_flags flags) override {
    core.on_completed(fn, state, token, flags);
  }
  vt::manual_reset_value_task_source_core<Value> core;
};

// The runtime side of a scenario: the same slots as the model, holding real objects.
template <class Value, class Sources>
class system_under_test {
  using pooled = typename Sources::template source<Value>;
public:
  explicit system_under_test(const scenario_settings& settings)
      : scope_(std::in_place, context_), pool_(pool_capacity, static_cast<vt::token_t>(settings.start_version)),
        recycle_budget_(recycle_limit(settings.budget)) {
    for (auto& core : cores_) core = std::make_unique<core_source<Value>>(static_cast<vt::token_t>(settings.start_version));
    const auto initial = completed_task_of<Value>(0);  // one shared task, as the model has it
    for (auto& t : task_slots_) t = initial;
    coroutine_pool_start_ = coroutine_pool_in_use();
  }

  ~system_under_test() {
    settle_default_executor();
    // Whatever the scenario left, nothing may outlive the pools and the scheduler.
    value_task_slots_ = {};
    task_slots_ = {};
    when_all_slots_ = {};
    coroutine_results_.clear();
  }

  outcome apply(const op& o);
  // What the last apply ran on the harness thread, in order: coroutines resumed, raw
  // continuations run (events, outcome.hpp).
  const std::vector<long>& step_events() const noexcept { return events_; }
  // apply, with the (n+1)-th operator new on this thread throwing std::bad_alloc.
  outcome apply_failing_allocation(const op& o, long n) {
    struct disarm_on_exit {
      bool& fired;
      ~disarm_on_exit() { fired = allocation_faults::disarm(); }
    } disarm{allocation_failed_};
    allocation_faults::fail_after(n);
    try {
      return apply(o);
    } catch (const std::bad_alloc&) {  // from an op that captures nothing
      return {outcome_kind::out_of_memory, 0};
    }
  }
  // Whether the last apply_failing_allocation's failure fired.
  bool allocation_failed() const noexcept { return allocation_failed_; }
  // Which pool source (creation order) each rent since the last call handed out.
  std::vector<int> take_pool_choices() { return std::exchange(pool_choices_, {}); }
  violation end_checks(const model& m);
  // After a violation: what is in flight on workers finishes, and this thread leaves the
  // scenario's scheduling context; nothing else runs (see abandon, below).
  void leave_as_it_is() noexcept {
    settle_default_executor();
    scope_.reset();
  }
  state_snapshot snapshot() const {
    state_snapshot s;
    snapshot(s);
    return s;
  }
  void snapshot(state_snapshot& into) const;  // refills `into`, keeping its buffers
  // Runs the scheduler until neither it nor the default executor has anything left (a
  // bridge on a worker may post awaiters back to the scheduler).
  std::size_t run_until_settled() {
    std::size_t ran = 0;
    do {
      ran += scheduler_.run_until_idle();
      settle_default_executor();
    } while (scheduler_.pending() != 0);
    return ran;
  }
  const violation& first_violation() const { return violation_; }
  // The last result_race's winner (its outcome is the loser's).
  const outcome& race_winner() const noexcept { return race_winner_; }

private:
  // Each op's step, read from the op table (apply); each op's is in its family's file under
  // harness/ops/.
#define VTH_RUNTIME_STEP(name, code) outcome step_##name(const op& o);
  VTH_EACH_OP(VTH_RUNTIME_STEP)
  VTH_EACH_DRAIN_OP(VTH_RUNTIME_STEP)
#undef VTH_RUNTIME_STEP

  struct source_slot {
    pooled* source = nullptr;
    vt::token_t version = 0;
  };
  struct coroutine_record {  // configure_await(false) may resume one on a default-executor worker
    std::atomic<int> resumes{0};
    std::atomic<bool> body_done{false};
  };
  struct raw_record {
    system_under_test* owner;
    int id;
    bool throws;  // after counting its run (never on a default-executor worker: nobody to throw to)
    std::atomic<int> runs{0};  // a default-executor run comes from a worker thread
    std::atomic<placement> where{placement::not_run};
    raw_record(system_under_test* o, int i, bool t) : owner(o), id(i), throws(t) {}
  };
  struct completion_item {
    system_under_test* owner;
    pooled* source;
    vt::token_t version;
    completion_kind kind;
    long value;
  };
  // Marks a coroutine body finished when its locals are destroyed.
  struct body_guard {
    system_under_test* owner;
    int id;
    ~body_guard() { owner->coroutines_[static_cast<std::size_t>(id)].body_done = true; }
  };

  // Each call must throw std::invalid_argument before it changes anything; what one that
  // does not throw makes is dropped, so only its outcome (done) shows the difference.
  outcome call_with_bad_argument(bad_argument_call call, int b) {
    const vt::task<Value>& some_task = task_slots_[static_cast<std::size_t>(b % task_slots)];
    using call_kind = bad_argument_call;
    switch (call) {
      case call_kind::core_set_null_exception:
        cores_[static_cast<std::size_t>(b % core_slots)]->core.set_exception(nullptr);
        break;
      case call_kind::core_on_completed_null_fn: {
        auto& core = cores_[static_cast<std::size_t>(b % core_slots)]->core;
        core.on_completed(nullptr, nullptr, core.version(), vt::on_completed_flags::none);
        break;
      }
      case call_kind::value_task_of_null_source:
        (void)vt::value_task<Value>(static_cast<vt::value_task_source<Value>*>(nullptr), 0);
        break;
      case call_kind::value_task_of_empty_task: (void)vt::value_task<Value>(vt::task<Value>{}); break;
      case call_kind::value_task_null_exception: (void)vt::value_task<Value>::from_exception(nullptr); break;
      case call_kind::task_null_exception: (void)vt::task<Value>::from_exception(nullptr); break;
      case call_kind::register_empty_callback:
        (void)cancellations_[static_cast<std::size_t>(b % cancellation_slots)].token().register_callback(std::function<void()>{});
        break;
      case call_kind::when_all_vector_empty_task: (void)vt::when_all(std::vector<vt::task<Value>>{some_task, vt::task<Value>{}}); break;
      case call_kind::when_all_pair_empty_task: (void)vt::when_all(some_task, vt::task<Value>{}); break;
      case call_kind::when_any_of_none: (void)vt::when_any(std::vector<vt::task<Value>>{}); break;
      case call_kind::when_any_pair_empty_task: (void)vt::when_any(some_task, vt::task<Value>{}); break;
      case call_kind::count_: break;
    }
    return {outcome_kind::done, 0};
  }

  bool slot_live(int slot) const {
    const source_slot& s = source_slots_[static_cast<std::size_t>(slot)];
    return s.source != nullptr && s.source->is_rented() && s.source->version() == s.version;
  }
  int source_id(pooled* source) const {
    return static_cast<int>(std::find(pool_sources_.begin(), pool_sources_.end(), source) - pool_sources_.begin());
  }
  pooled* rent() {
    pooled& source = pool_.rent();
    allocation_faults::pause bookkeeping;
    const int id = source_id(&source);
    if (id == static_cast<int>(pool_sources_.size())) pool_sources_.push_back(&source);  // new
    pool_choices_.push_back(id);
    return &source;
  }
  bool is_rented(std::size_t id) const { return pool_sources_[id]->is_rented(); }

  // An operation_canceled carrying K[k]'s token, handed over as an exception.
  std::exception_ptr cancellation_as_exception(long k) const {
    return std::make_exception_ptr(
        vt::operation_canceled("canceled, passed as an exception", cancellations_[static_cast<std::size_t>(k)].token()));
  }
  long cancellation_index(const vt::cancellation_token& token) const {
    for (std::size_t k = 0; k < cancellations_.size(); ++k) {
      if (cancellations_[k].token() == token) return static_cast<long>(k);
    }
    return -1;
  }

  // The misuse a rejection names, as an outcome's value (misuse.hpp); 0 when the adapter
  // does not say how its source names one. vt's rejections (from the value_tasks, tasks and
  // cores around a source, or a source built on vt's core) carry theirs as values; the
  // adapter's namer reads the messages of its source's own.
  static long misuse_value(const vt::invalid_operation& rejection) {
    if constexpr (names_misuse<Sources>) {
      misuse_report named = misuse_reported(rejection, static_cast<int>(vt::token_bits));
      if (named.kind == named_misuse::unnamed) named = Sources::misuse_named(rejection.what());
      return encode(named);
    } else {
      return 0;
    }
  }

  template <class F>
  outcome capture(F&& f) {
    try {
      return f();
    } catch (const vt::invalid_operation& e) {
      return {outcome_kind::invalid_operation, misuse_value(e)};
    } catch (const vt::operation_canceled& e) {
      return {outcome_kind::canceled, cancellation_index(e.token())};
    } catch (const harness_error& e) {
      return {outcome_kind::error, e.value()};
    } catch (const vt::pool_exhausted&) {
      return {outcome_kind::pool_exhausted, 0};
    } catch (const std::invalid_argument&) {
      return {outcome_kind::invalid_argument, 0};
    } catch (const std::bad_alloc&) {
      return {outcome_kind::out_of_memory, 0};
    } catch (const vt::aggregate_error&) {  // a user's aggregate, rethrown by awaiting its task
      return classify(std::current_exception());
    } catch (const std::exception& e) {
      note(property::model_agreement, std::string("unexpected exception: ") + e.what());
      return {outcome_kind::skipped, -1};
    }
  }

  // What an exception_ptr holds, as a step outcome; a when_all's aggregate_error in full.
  outcome classify(const std::exception_ptr& error) {
    if (!error) return {outcome_kind::done, 0};
    try {
      std::rethrow_exception(error);
    } catch (const vt::aggregate_error& aggregate) {
      long codes[3] = {0, 0, 0};
      const auto& errors = aggregate.errors();
      for (std::size_t i = 0; i < errors.size() && i < 3; ++i) {
        if (vt::exception_cast<vt::aggregate_error>(errors[i]) != nullptr) {
          codes[i] = aggregate_inner_code;  // nested, not flattened
          continue;
        }
        const outcome inner = capture([&]() -> outcome { std::rethrow_exception(errors[i]); });
        codes[i] = inner.kind == outcome_kind::error           ? inner.value
                   : inner.kind == outcome_kind::out_of_memory ? out_of_memory_code
                   : inner.kind == outcome_kind::canceled      ? cancellation_code
                                                               : invalid_operation_code;
      }
      // An aggregate of one bad_alloc is that bad_alloc: a when_all that could not gather
      // its results or errors says so either way, depending on what it could still allocate.
      if (errors.size() == 1 && codes[0] == out_of_memory_code) return {outcome_kind::out_of_memory, 0};
      return {outcome_kind::aggregate, aggregate_code(static_cast<long>(errors.size()), codes[0], codes[1], codes[2])};
    } catch (...) {
      return capture([&]() -> outcome { throw; });
    }
  }

  // Section 2: a default-constructed token can never be canceled: it says so, throws
  // nothing, and a callback registered on it never runs.
  void check_default_token() {
    allocation_faults::pause bookkeeping;  // not the op's own allocations
    const vt::cancellation_token none;
    bool ran = false;
    try {
      none.throw_if_cancellation_requested();
      const vt::cancellation_registration registration = none.register_callback([&ran] { ran = true; });
    } catch (...) {
      note(property::model_agreement, "a default cancellation token threw from throw_if_cancellation_requested or register_callback");
      return;
    }
    if (none.can_be_canceled() || none.is_cancellation_requested() || ran) {
      note(property::model_agreement, "a default cancellation token can be canceled, reports a request, or ran a callback");
    }
  }

  void note(property what, std::string message) {
    std::lock_guard lock(violation_mutex_);
    if (!violation_) violation_ = {what, std::move(message)};
  }

  void resumed(int id) {
    allocation_faults::pause bookkeeping;
    auto& record = coroutines_[static_cast<std::size_t>(id)];
    if (++record.resumes > 1) note(property::exactly_once, "coroutine #" + std::to_string(id) + " resumed a second time");
    if (std::this_thread::get_id() == thread_) events_.push_back(resumed_coroutine_event + id);
  }

  // Calls start(id) with a new coroutine record `id`; a start that throws (its frame could
  // not be allocated) made no coroutine, and leaves no record.
  template <class Start>
  auto start_coroutine(Start&& start) -> decltype(start(0)) {
    {
      allocation_faults::pause bookkeeping;
      coroutines_.emplace_back();
    }
    try {
      return start(static_cast<int>(coroutines_.size()) - 1);
    } catch (...) {
      coroutines_.pop_back();
      throw;
    }
  }

  // Wraps an awaiter to record, exactly when the await finishes (with a value or an
  // exception), that coroutine `id` resumed; exceptions pass through untouched.
  template <class Inner>
  struct recording_awaiter {
    Inner inner;
    system_under_test* owner;
    int id;

    bool await_ready() {
      try {
        return inner.await_ready();
      } catch (...) {
        owner->resumed(id);  // thrown by await_ready: the await is over
        throw;
      }
    }
    auto await_suspend(std::coroutine_handle<> awaiting) {
      try {
        return inner.await_suspend(awaiting);
      } catch (...) {
        owner->resumed(id);  // thrown by await_suspend: the coroutine resumes with it
        throw;
      }
    }
    reading await_resume() {  // what the result holds, as the harness reads it
      owner->resumed(id);
      return read_result([&]() -> decltype(auto) { return inner.await_resume(); });
    }
  };
  template <class Awaitable>
  static auto recorded(system_under_test* self, int id, Awaitable& awaitable) {
    using inner = decltype(awaitable.operator co_await());
    return recording_awaiter<inner>{awaitable.operator co_await(), self, id};
  }
  // The same through the rvalue overload (a value_task's may move its result out; a
  // configured one's is a separate overload too).
  template <class Awaitable>
  static auto recorded_rvalue(system_under_test* self, int id, Awaitable& awaitable) {
    using inner = decltype(std::move(awaitable).operator co_await());
    return recording_awaiter<inner>{std::move(awaitable).operator co_await(), self, id};
  }

  // The scenario's coroutines: each awaits one thing and returns `then` of what it read.
  // The value is returned from a named const local, so the promise stores a copy (as user
  // code returning a local it keeps does): a poisoned copy faults there, a poisoned move
  // where the runtime moves the stored value on. Odd-numbered coroutines await their copy
  // as an rvalue, even ones as an lvalue, so both overloads of co_await run; the outcome is
  // the same either way (the copy is the coroutine's own).
  template <class Result, class Awaitable>
  static Result awaiting(system_under_test* self, int id, Awaitable awaited, reading (*then)(reading)) {
    allocation_faults::close_window();  // the op's allocations (the frame's among them) are behind it
    body_guard guard{self, id};
    const bool as_rvalue = id % 2 == 1;
    if constexpr (std::is_void_v<Value>) {
      if (as_rvalue) {
        co_await recorded_rvalue(self, id, awaited);
      } else {
        co_await recorded(self, id, awaited);
      }
      co_return;
    } else {
      reading read;
      if (as_rvalue) {
        read = co_await recorded_rvalue(self, id, awaited);
      } else {
        read = co_await recorded(self, id, awaited);
        if constexpr (std::is_same_v<Awaitable, vt::value_task<Value>>) self->check_read_again(awaited, read, id);
      }
      const Value result = make<Value>(then(read));
      co_return result;
    }
  }
  // Section 5: a result- or task-backed value_task is consumable any number of times, so
  // awaiting one (an lvalue: the coroutine's own copy) leaves it holding the same result;
  // only an rvalue's result may move out.
  void check_read_again(const vt::value_task<Value>& awaited, reading first, int id) {
    if (awaited.kind() == vt::value_task<Value>::representation::source) return;  // consumed: misuse to read again
    allocation_faults::pause bookkeeping;
    reading again;
    try {
      again = read_result([&] { return awaited.result(); });
    } catch (...) {
      note(property::model_agreement, "coroutine #" + std::to_string(id) + "'s value_task threw when read after its await returned");
      return;
    }
    if (again.value != first.value) {
      note(property::model_agreement, "coroutine #" + std::to_string(id) + "'s value_task read " + std::to_string(first.value) +
                                          " when awaited, then " + std::to_string(again.value));
    }
  }
  static reading plus_one(reading r) { return r + 1; }
  static reading as_read(reading r) { return r.value; }  // a sum or an index: a new value

  static void run_raw(void* state) {
    auto* record = static_cast<raw_record*>(state);
    system_under_test& self = *record->owner;
    if (std::this_thread::get_id() != self.thread_) {
      // On a worker: inline in a completion the harness made there, or in one the runtime made
      // there (a value_task coroutine resumed on the worker completing its source), else
      // posted by the runtime.
      const bool inline_there = t_completing_on_worker || vt::inline_resumption_depth() > 0;
      record->where.store(inline_there ? placement::inline_in_completion : placement::default_executor);
      const bool throws = record->throws && t_completing_on_worker;
      record->runs.fetch_add(1);  // last: the harness thread waits for it
      if (throws) throw harness_error(continuation_fault_code);
      return;
    }
    record->where.store(self.context_.running() == record ? placement::scheduler : placement::inline_in_completion);
    record->runs.fetch_add(1);
    self.events_.push_back(raw_continuation_event + record->id);
    if (record->throws) throw harness_error(continuation_fault_code);
  }

  // A completion op's kind: a result, a harness error carrying `value`, or a cancellation.
  template <class Source>
  static void complete_as(Source& source, completion_kind kind, long value) {
    switch (kind) {
      case completion_kind::result: set_value<Value>(source, value); break;
      case completion_kind::exception: source.set_exception(std::make_exception_ptr(harness_error(value))); break;
      case completion_kind::cancellation: source.set_canceled(vt::cancellation_token{}); break;  // the concept's form
    }
  }

  static void run_completion(void* state) {
    auto* item = static_cast<completion_item*>(state);
    system_under_test& self = *item->owner;
    if (item->source->version() != item->version) {
      self.item_outcome_ = outcome{outcome_kind::skipped, 0};
      return;
    }
    self.item_outcome_ = self.capture([&] {
      complete_as(*item->source, item->kind, item->value);
      return outcome{outcome_kind::done, completion_event + self.source_id(item->source)};
    });
    settle_default_executor();  // what the completion posted there, before the next item
  }

  outcome run_one_item(std::size_t choice) {
    const std::size_t first_event = events_.size();  // run_until_idle runs several in one step
    item_outcome_.reset();
    chooser_->next = choice;
    struct fifo_again {  // everything else (run_until_idle, draining) runs FIFO, even after a throw
      scripted_chooser& chooser;
      ~fifo_again() { chooser.next = 0; }
    } restore{*chooser_};
    const bool ran = scheduler_.run_one();
    if (!ran) return {outcome_kind::skipped, 0};
    if (item_outcome_) return *item_outcome_;
    return {outcome_kind::done, events_.size() == first_event ? 0 : events_[first_event]};
  }

  long coroutine_pool_in_use() const {
    const auto stats = vt::coroutine_source_statistics<Value>();
    return static_cast<long>(stats.rented) - static_cast<long>(stats.returned);
  }

  // Whatever a scheduler step or a completion lets out of a continuation, when draining.
  template <class F>
  static void despite_faults(F&& f) {
    try {
      f();
    } catch (const harness_error&) {
    }
  }
  bool is_harness_source(const vt::value_task_source<Value>* source) const {
    for (const auto* pooled : pool_sources_) {
      if (static_cast<const vt::value_task_source<Value>*>(pooled) == source) return true;
    }
    return std::any_of(cores_.begin(), cores_.end(), [&](const auto& core) { return core.get() == source; });
  }
  // A scheduling context whose post throws.
  class failing_executor final : public vt::executor {
  public:
    void post(vt::continuation_fn, void*) override { throw harness_error(post_fault_code); }
  };

  scripted_chooser* chooser_ = new scripted_chooser();
  vt::manual_scheduler scheduler_{std::unique_ptr<vt::schedule_chooser>(chooser_)};
  labelling_executor context_{scheduler_};
  failing_executor failing_context_;
  std::optional<vt::scheduling_scope> scope_;  // left early by leave_as_it_is
  typename Sources::template pool<Value> pool_;
  std::vector<pooled*> pool_sources_;  // creation order, as the model numbers them
  std::vector<int> pool_choices_;      // rent's answers since take_pool_choices
  std::array<vt::cancellation_source, cancellation_slots> cancellations_;
  std::vector<vt::cancellation_registration> cancel_registrations_;
  std::vector<long> callbacks_ran_;  // registration numbers, in the order the callbacks ran
  std::deque<coroutine_record> coroutines_;
  std::deque<raw_record> raws_;
  const std::thread::id thread_ = std::this_thread::get_id();
  std::deque<completion_item> completion_items_;
  std::vector<vt::value_task<Value>> coroutine_results_;  // every source-backed coroutine result
  std::array<std::unique_ptr<core_source<Value>>, core_slots> cores_;
  std::array<std::optional<vt::task<when_all_result<Value>>>, when_all_slots> when_all_slots_;
  std::array<source_slot, source_slots> source_slots_{};
  std::array<vt::value_task<Value>, value_task_slots> value_task_slots_{};
  std::array<vt::task<Value>, task_slots> task_slots_{};
  std::vector<long> events_;
  std::optional<outcome> item_outcome_;
  violation violation_;  // the first one seen while an op ran
  std::mutex violation_mutex_;
  long coroutine_pool_start_ = 0;
  outcome race_winner_;
  int recycle_budget_;
  bool allocation_failed_ = false;
};

template <class Value, class Sources>
outcome system_under_test<Value, Sources>::apply(const op& o) {
  events_.clear();
  using step = outcome (system_under_test::*)(const op&);
#define VTH_STEP_ENTRY(name, code) &system_under_test::step_##name,
  static constexpr step steps[] = {VTH_EACH_OP(VTH_STEP_ENTRY)};
  static constexpr step drain_steps[] = {VTH_EACH_DRAIN_OP(VTH_STEP_ENTRY)};
#undef VTH_STEP_ENTRY
  const auto code = static_cast<std::size_t>(o.code);
  if (is_drain(o.code)) return (this->*drain_steps[code - static_cast<std::size_t>(op_code::drain_settle)])(o);
  if (code >= std::size(steps)) return {outcome_kind::skipped, 0};
  return (this->*steps[code])(o);
}

template <class Value, class Sources>
void system_under_test<Value, Sources>::snapshot(state_snapshot& s) const {
  s.clear();
  for (std::size_t id = 0; id < pool_sources_.size(); ++id) {
    const pooled& source = *pool_sources_[id];
    const bool rented = is_rented(id);  // an idle source answers no status query
    const auto status = rented ? source.status(source.version()) : vt::source_status::pending;
    s.pool_sources.push_back(
        {source.version(), rented, static_cast<std::uint8_t>(status), source.run_continuations_asynchronously()});
  }
  for (const auto& core : cores_) {
    const auto status = core->core.status(core->core.version());
    s.cores.push_back(
        {core->core.version(), true, static_cast<std::uint8_t>(status), core->core.run_continuations_asynchronously()});
  }
  for (const vt::value_task<Value>& result : coroutine_results_) {
    // Every one comes from the coroutine source pool: asking a recycled one its status would throw.
    const auto& source = static_cast<const vt::pooled_source<Value>&>(*result.source());  // vt's own coroutine pool
    const bool current = source.is_rented() && source.version() == result.token();
    const auto status = current ? source.status(result.token()) : vt::source_status::pending;
    s.coroutine_results.push_back({0, current, static_cast<std::uint8_t>(status), false});
  }
  static_assert(static_cast<int>(task_state::pending) == static_cast<int>(vt::source_status::pending) &&
                    static_cast<int>(task_state::succeeded) == static_cast<int>(vt::source_status::succeeded) &&
                    static_cast<int>(task_state::faulted) == static_cast<int>(vt::source_status::faulted) &&
                    static_cast<int>(task_state::canceled) == static_cast<int>(vt::source_status::canceled),
                "task_state follows vt::source_status");
  auto state_of = [](const auto& task) { return static_cast<task_state>(task.status()); };
  for (const vt::value_task<Value>& v : value_task_slots_) {
    // Only a task-backed one is asked: asking through a token would be an op of its own.
    const bool task_backed = v.kind() == vt::value_task<Value>::representation::task;
    s.value_tasks.push_back({static_cast<backing>(v.kind()), task_backed ? state_of(v) : task_state::empty});
  }
  for (const vt::task<Value>& t : task_slots_) s.tasks.push_back(state_of(t));
  for (const auto& all : when_all_slots_) s.when_alls.push_back(all ? state_of(*all) : task_state::empty);
  for (const coroutine_record& c : coroutines_) s.coroutines.push_back({c.resumes.load(), c.body_done.load()});
  for (const vt::cancellation_source& k : cancellations_) s.cancellations.push_back(k.is_cancellation_requested());
  for (const raw_record& raw : raws_) s.raws.push_back({raw.runs.load(), raw.where.load()});
  const auto stats = pool_.statistics();
  s.pool = {stats.created, stats.rented, stats.returned, stats.reused, stats.idle};
  s.scheduled = scheduler_.pending();
}

template <class Value, class Sources>
violation system_under_test<Value, Sources>::end_checks(const model& m) {
  if (violation_) return violation_;
  for (std::size_t id = 0; id < coroutines_.size(); ++id) {
    if (!coroutines_[id].body_done) {
      return {property::no_lost_wakeups, "lost wakeup: coroutine #" + std::to_string(id) + " never finished"};
    }
    if (coroutines_[id].resumes != 1) {
      return {property::exactly_once,
              "coroutine #" + std::to_string(id) + " resumed " + std::to_string(coroutines_[id].resumes.load()) + " times"};
    }
  }
  if (coroutines_.size() != m.coroutine_count()) return {property::model_agreement, "coroutine count differs from the model"};
  const auto stats = pool_.statistics();
  if (stats.idle != stats.created) {
    return {property::no_leaks, std::to_string(stats.created - stats.idle) + " pooled sources never returned to the pool"};
  }
  if (coroutine_pool_in_use() != coroutine_pool_start_) {
    return {property::no_leaks, std::to_string(coroutine_pool_in_use() - coroutine_pool_start_) +
                                    " coroutine-pool sources never returned to their pool"};
  }
  // The state itself (scheduler items waiting, raw continuations) was compared with the
  // model's after the last step.
  return {};
}


// The model's prediction as far as the runtime can word it: no misuse named where the
// adapter does not name one.
template <class Sources>
outcome as_the_runtime_names_it(outcome predicted) {
  if constexpr (!names_misuse<Sources>) {
    if (predicted.kind == outcome_kind::invalid_operation) predicted.value = 0;
  }
  return predicted;
}

// Outcomes agree; a stale token's distance counts modulo the runtime's token width (the
// model's is exact, and the trace shows it so).
inline bool agree(const outcome& expected, const outcome& actual) {
  if (expected.kind != outcome_kind::invalid_operation || actual.kind != outcome_kind::invalid_operation) {
    return expected == actual;
  }
  return allows(decode_misuse(expected.value), decode_misuse(actual.value), static_cast<int>(vt::token_bits));
}

// A step that broke the contract, classified: the property it breaks, why, and, where a
// stale token is to blame, how far behind its source it was.
struct step_failure {
  property violated = property::none;
  std::string message;
  std::optional<std::int64_t> token_lag;
};

// The step's outcomes disagree. `rejected_lag`: how far behind its source a token was that
// the model turned away in this step, if it turned one away.
inline step_failure classify_outcome_difference(const outcome& expected, const outcome& actual,
                                                std::optional<std::int64_t> rejected_lag) {
  std::string message = "the runtime gave " + describe(actual) + " where the contract says " + describe(expected);
  if (expected.kind == outcome_kind::invalid_operation && actual.kind == outcome_kind::invalid_operation) {
    // Refused as anything but a stale token where the model turned one away: the runtime
    // took the token for its current generation (in a narrow build, the ABA hazard).
    const named_misuse named = decode_misuse(actual.value).kind;
    if (rejected_lag && *rejected_lag != 0 && named != named_misuse::stale_token && named != named_misuse::unnamed) {
      return {property::stale_token_rejection, message + " (" + token_at_lag(*rejected_lag) + " was taken as current)",
              rejected_lag};
    }
    return {property::misuse_reported, message + " (the rejection names another misuse)", std::nullopt};
  }
  if (expected.kind == outcome_kind::invalid_operation) {
    if (rejected_lag) {
      return {property::stale_token_rejection, message + " (" + token_at_lag(*rejected_lag) + " was accepted)", rejected_lag};
    }
    return {property::misuse_reported, message + " (a misuse was accepted)", std::nullopt};
  }
  if (actual.kind == outcome_kind::invalid_operation) return {property::no_false_misuse, message, std::nullopt};
  return {property::model_agreement, message, std::nullopt};
}

// The step's outcome held but the state it left differs (`problem`). A token the model
// turned away in this step (`this_step_lag`) or, unseen, in an earlier one
// (`unobserved_lag`) is to blame for a difference of its shape.
inline step_failure classify_state_difference(violation problem, const outcome& expected,
                                              std::optional<std::int64_t> this_step_lag,
                                              std::optional<std::int64_t> unobserved_lag) {
  // The op's outcome matched, but the state did not, in a step where the model turned a
  // token away (e.g. a coroutine's await of a stale copy): the runtime accepted it, and its
  // coroutine waits where the model's finished with the rejection.
  const auto lag = this_step_lag ? this_step_lag : unobserved_lag;
  const bool token_shaped = problem.what == property::model_agreement || problem.what == property::no_lost_wakeups;
  if (token_shaped && lag) {
    return {property::stale_token_rejection,
            problem.message + " (the model rejected " + token_at_lag(*lag) +
                (this_step_lag ? " in this step)" : " in an earlier step)"),
            lag};
  }
  // Or a misuse both sides rejected, but the runtime's rejection changed the state
  // (section 8: a misuse changes nothing).
  if (problem.what == property::model_agreement && expected.kind == outcome_kind::invalid_operation) {
    return {property::misuse_reported, problem.message + " (a rejected misuse changed the state)", std::nullopt};
  }
  return {problem.what, std::move(problem.message), std::nullopt};
}

// After a violation nothing more of the source under test runs: cleaning up a scenario that
// broke the contract runs its code on broken state (a value never built, destroyed), which
// can end the process before the violation is reported, shrunk and printed, or leak and turn
// a failed property into LeakSanitizer's report at exit. What the scenario holds stays
// alive, and out of LeakSanitizer's count.
extern "C" __attribute__((weak)) void __lsan_ignore_object(const void* p);
template <class System>
void abandon(std::unique_ptr<System>& sut) noexcept {
  sut->leave_as_it_is();
  System* kept = sut.release();
  if (__lsan_ignore_object != nullptr) __lsan_ignore_object(kept);
}

template <class Value, class Sources>
report run_with(const scenario& s, step_watcher* watcher) {
  report result;
  result.steps.reserve(s.ops.size());
  model expected_model(s.settings, choices_of<Sources>());
  auto sut = std::make_unique<system_under_test<Value, Sources>>(s.settings);
  auto fail = [&](int step, property what, std::string message) {
    result.failed_step = step;
    result.violated = what;
    result.failure = std::move(message);
    abandon(sut);
    return false;
  };
  auto fail_as = [&](int step, step_failure failure) {
    if (failure.token_lag) result.token_lag = *failure.token_lag;
    return fail(step, failure.violated, std::move(failure.message));
  };
  // Refilled after every step; kept across scenarios on this thread, so their buffers are
  // allocated once (a fuzz target runs thousands of scenarios a second).
  thread_local state_snapshot expected_state, actual_state;
  // A token the model turned away in a step that otherwise held: where the rejection leaves
  // nothing a snapshot holds, the runtime's acceptance shows only in a later step, and that
  // later difference is this stale token's. (An await of a stale copy now shows at once, in
  // its coroutine's and its task's state.)
  std::optional<std::int64_t> unobserved_rejection;
  // Records one step and checks it: its outcome, then the state it leaves.
  auto step_holds = [&](const op& o, const outcome& predicted, const outcome& actual) {
    const outcome expected = as_the_runtime_names_it<Sources>(predicted);
    result.steps.push_back({o, expected, actual});
    const int step = static_cast<int>(result.steps.size()) - 1;
    if (!agree(expected, actual)) {
      return fail_as(step, classify_outcome_difference(expected, actual, expected_model.last_token_rejection()));
    }
    if (const auto winner = expected_model.last_race_winner();
        winner && !agree(as_the_runtime_names_it<Sources>(*winner), sut->race_winner())) {
      return fail(step, property::model_agreement,
                  "the race's winner read " + describe(sut->race_winner()) + " where the contract says " +
                      describe(as_the_runtime_names_it<Sources>(*winner)));
    }
    settle_default_executor();
    violation problem = sut->first_violation();
    if (!problem) {
      expected_model.snapshot(expected_state);
      sut->snapshot(actual_state);
      problem = first_difference(expected_state, actual_state, vt::token_bits);
    }
    if (problem) {
      return fail_as(step, classify_state_difference(std::move(problem), expected, expected_model.last_token_rejection(),
                                                     unobserved_rejection));
    }
    // The order of side effects: in a step whose continuations all run on the harness
    // thread, every coroutine it resumed and raw continuation it ran, in order (section 6's
    // inline runs and their deferral past the depth limit, the scheduler's order).
    if (info(o.code).flags.continuations_on_the_harness_thread && sut->step_events() != expected_model.step_events()) {
      return fail(step, property::model_agreement,
                  "the runtime ran " + describe_events(sut->step_events()) + " where the contract says " +
                      describe_events(expected_model.step_events()));
    }
    // A rejection the op's own outcome showed (invalid_operation on both sides) hides nothing.
    if (const auto lag = expected_model.last_token_rejection(); lag && expected.kind != outcome_kind::invalid_operation) {
      unobserved_rejection = lag;
    }
    return true;
  };
  std::optional<long> armed_allocation;  // an allocation_fails op's choice, for the op after it
  for (const op& o : s.ops) {
    if (watcher != nullptr) watcher->before_step(s, result, o);
    const std::optional<long> fail_at = std::exchange(armed_allocation, std::nullopt);
    if (o.code == op_code::allocation_fails && allocation_faults::installed()) armed_allocation = o.args[0];
    outcome expected, actual;
    // Ops that rent go to the runtime first: which idle source its pool hands out may be
    // the pool's choice, and the model takes it where the contract allows it.
    const auto model_apply = [&](const op& applied) {
      expected_model.observe_pool_choices(sut->take_pool_choices());
      return expected_model.apply(applied);
    };
    if (fail_at && allocation_failure_applies(o.code)) {  // armed only where the hook is installed
      // The runtime goes first: where its allocations fall is not the contract's business,
      // only what a failing one leaves behind (the model's state untouched).
      actual = sut->apply_failing_allocation(o, *fail_at);
      if (!sut->allocation_failed()) {
        expected = model_apply(o);  // the op made fewer allocations than that
      } else if (actual.kind == outcome_kind::out_of_memory || (o.code != op_code::when_all && o.code != op_code::when_all_into)) {
        expected = {outcome_kind::out_of_memory, 0};  // propagated; the model's state stays as it was
      } else {
        // A when_all whose inputs had all completed builds its results at once: the failure
        // faults the when_all. Nothing else in the op may have swallowed it.
        expected = expected_model.apply_failing_result_build(o).value_or(outcome{outcome_kind::out_of_memory, 0});
      }
    } else if (o.code == op_code::rent || o.code == op_code::recycle) {
      actual = sut->apply(o);
      expected = model_apply(o);
    } else {
      expected = expected_model.apply(o);
      actual = sut->apply(o);
    }
    (void)sut->take_pool_choices();  // any rent outside those ops is the model's own to predict
    if (!step_holds(o, expected, actual)) return result;
  }
  // The drain: the model says what brings the scenario to rest, both sides do it, and each
  // of its steps is checked like the input's.
  for (int drained = 0;; ++drained) {
    expected_model.snapshot(expected_state);
    const std::optional<op> next = next_drain_op(expected_state);
    if (!next) break;
    if (drained == max_drain_ops) {
      fail(static_cast<int>(result.steps.size()), property::harness_consistency,
           "the drain did not converge in " + std::to_string(max_drain_ops) + " ops (a harness bug)");
      return result;
    }
    if (watcher != nullptr) watcher->before_step(s, result, *next);
    const outcome expected = expected_model.apply(*next);
    const outcome actual = sut->apply(*next);
    if (!step_holds(*next, expected, actual)) return result;
  }
  const int end = static_cast<int>(result.steps.size());
  if (std::string stuck = expected_model.stuck(); !stuck.empty()) {
    fail(end, property::harness_consistency, "the model itself is stuck (a harness bug): " + stuck);
    return result;
  }
  settle_default_executor();
  if (violation problem = sut->end_checks(expected_model)) {
    result.failed_step = end;
    result.violated = problem.what;
    result.failure = std::move(problem.message);
    abandon(sut);
  }
  return result;
}

}  // namespace vth::detail

// Each op's step on the system under test, from its family's file.
#define VTH_RUNTIME_STEPS
#include <vth/ops/all.hpp>
