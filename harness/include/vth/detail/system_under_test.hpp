#pragma once
// The runtime side of a scenario: its slots holding real objects over the source under test,
// each op's step on them (from the op families, harness/ops/), its state as a snapshot and
// its end-of-scenario checks.
#include <vth/detail/runtime_support.hpp>

namespace vth::detail {

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
      return outcomes::out_of_memory{};
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
  // What most steps return.
  static constexpr outcome done{outcomes::done{}};
  static constexpr outcome skipped{outcomes::skipped{}};
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
    return outcomes::done{};
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

  // The misuse a rejection names (misuse.hpp); unnamed when the adapter does not say how
  // its source names one. vt's rejections (from the value_tasks, tasks and cores around a
  // source, or a source built on vt's core) carry theirs as values; the adapter's namer
  // reads the messages of its source's own.
  static misuse_report misuse_named(const vt::invalid_operation& rejection) {
    if constexpr (names_misuse<Sources>) {
      misuse_report named = misuse_reported(rejection, static_cast<int>(vt::token_bits));
      if (named.kind == named_misuse::unnamed) named = Sources::misuse_named(rejection.what());
      return named;
    } else {
      return {};
    }
  }

  template <class F>
  outcome capture(F&& f) {
    try {
      return f();
    } catch (const vt::invalid_operation& e) {
      return outcomes::invalid_operation{misuse_named(e)};
    } catch (const vt::operation_canceled& e) {
      return outcomes::canceled{cancellation_index(e.token())};
    } catch (const harness_error& e) {
      return outcomes::error{e.value()};
    } catch (const vt::pool_exhausted&) {
      return outcomes::pool_exhausted{};
    } catch (const std::invalid_argument&) {
      return outcomes::invalid_argument{};
    } catch (const std::bad_alloc&) {
      return outcomes::out_of_memory{};
    } catch (const vt::aggregate_error&) {  // a user's aggregate, rethrown by awaiting its task
      return classify(std::current_exception());
    } catch (const std::exception& e) {
      note(property::model_agreement, std::string("unexpected exception: ") + e.what());
      return outcomes::skipped{};
    }
  }

  // One error inside an aggregate_error, as the step shows it.
  inner_error inner_error_of(const std::exception_ptr& error) {
    if (vt::exception_cast<vt::aggregate_error>(error) != nullptr) return {inner_error::kind::aggregate_error};  // nested, not flattened
    const outcome inner = capture([&]() -> outcome { std::rethrow_exception(error); });
    if (const auto* e = std::get_if<outcomes::error>(&inner)) return harness_error_inside(e->code);
    if (is<outcomes::out_of_memory>(inner)) return {inner_error::kind::out_of_memory};
    if (is<outcomes::canceled>(inner)) return {inner_error::kind::operation_canceled};
    return {inner_error::kind::invalid_operation};
  }

  // What an exception_ptr holds, as a step outcome; a when_all's aggregate_error in full.
  outcome classify(const std::exception_ptr& error) {
    if (!error) return outcomes::done{};
    try {
      std::rethrow_exception(error);
    } catch (const vt::aggregate_error& aggregate) {
      const auto& errors = aggregate.errors();
      outcomes::aggregate shown{static_cast<long>(errors.size()), {}};
      for (std::size_t i = 0; i < errors.size() && i < shown.first.size(); ++i) shown.first[i] = inner_error_of(errors[i]);
      // An aggregate of one bad_alloc is that bad_alloc: a when_all that could not gather
      // its results or errors says so either way, depending on what it could still allocate.
      if (errors.size() == 1 && shown.first[0].what == inner_error::kind::out_of_memory) return outcomes::out_of_memory{};
      return shown;
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
      self.item_outcome_ = outcome{outcomes::skipped{}};
      return;
    }
    self.item_outcome_ = self.capture([&] {
      complete_as(*item->source, item->kind, item->value);
      return outcome{outcomes::done{completion_event + self.source_id(item->source)}};
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
    if (!ran) return outcomes::skipped{};
    if (item_outcome_) return *item_outcome_;
    return outcomes::done{events_.size() == first_event ? 0 : events_[first_event]};
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
  if (code >= std::size(steps)) return outcomes::skipped{};
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

}  // namespace vth::detail

// Each op's step on the system under test, from its family's file.
#define VTH_RUNTIME_STEPS
#include <vth/ops/all.hpp>
