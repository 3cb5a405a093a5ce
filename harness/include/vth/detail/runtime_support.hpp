#pragma once
// What the runtime steps of the ops use besides the system under test: the scenario's
// scheduling context, reading results out and completing sources with the scenario's values,
// tasks completed or resumed elsewhere, a bare core as a source.
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

}  // namespace vth::detail
