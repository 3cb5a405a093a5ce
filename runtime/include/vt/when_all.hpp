#pragma once
// vt::when_all: completes when every input completes. All succeeded: the results in input
// order. Any faulted: faulted with an aggregate_error of every exception in input order
// (nested aggregates flattened), and awaiting rethrows the first. Else any canceled:
// canceled by the first canceled input. Empty input: completed at once.
#include <array>
#include <atomic>
#include <cstddef>
#include <exception>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include <vt/detail/manual_task_state.hpp>
#include <vt/detail/stored.hpp>
#include <vt/task.hpp>
#include <vt/detail/thread_reach.hpp>

namespace vt {

namespace detail {

// Appends `error`'s exceptions (an aggregate's, flattened) to `errors`.
void append_flattened(std::vector<std::exception_ptr>& errors, const std::exception_ptr& error);

struct input_report {
  source_status status;
  std::exception_ptr error;  // faulted: exception(); canceled: the operation_canceled
};

template <class T>
input_report report_of(const task_state<T>& input) {
  const source_status status = input.status();
  return {status, status == source_status::canceled ? input.first_error() : input.exception()};
}

// Counts completions of `count` inputs; the last one calls Derived::finish().
template <class Derived, class R>
class when_all_state : public manual_task_state<R> {
public:
  explicit when_all_state(std::size_t count) : remaining_(count), waiters_(count) {}

  // Registers on every input; holds one reference until finish() has run.
  void start() {
    if (waiters_.empty()) {
      static_cast<Derived*>(this)->finish();
      return;
    }
    this->add_ref();
    for (std::size_t i = 0; i < waiters_.size(); ++i) {
      waiters_[i].fn = &on_input_completed;
      waiters_[i].state = this;
      if (!static_cast<Derived*>(this)->input_state(i).try_add_waiter(waiters_[i])) on_input_completed(this);
    }
  }

private:
  static void on_input_completed(void* self) {
    auto* state = static_cast<when_all_state*>(self);
    detail::note_crossing(detail::crossing::when_all_counter);
    if (state->remaining_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    state->finish_or_fault();
    state->release();
  }

  // finish() runs inside an input's completion (or start()), which has nobody to throw to:
  // an allocation failing as it gathers results or errors faults this task with it.
  void finish_or_fault() noexcept {
    try {
      static_cast<Derived*>(this)->finish();
    } catch (...) {
      this->complete_error(std::current_exception());
    }
  }

  detail::atomic<std::size_t> remaining_;
  std::vector<waiter> waiters_;

protected:
  // Runs `complete`, which completes this task with the results it copies out of the
  // inputs; a copy (or an allocation) that throws completes this task faulted with it,
  // inside an aggregate_error. finish() runs inside an input's completion, which has
  // nobody to throw to.
  template <class Complete>
  void complete_with(Complete&& complete) {
    std::exception_ptr failure;
    try {
      complete();
      return;
    } catch (...) {
      failure = std::current_exception();
    }
    this->complete_aggregate({failure});
  }

  // Inspects the completed inputs in order; true (and this task completed) when one failed.
  template <class ReportAt>
  bool finish_failed(std::size_t count, ReportAt&& report_at) {
    std::vector<std::exception_ptr> errors;
    std::exception_ptr first_cancellation;
    for (std::size_t i = 0; i < count; ++i) {
      const input_report report = report_at(i);
      if (report.status == source_status::faulted) append_flattened(errors, report.error);
      if (report.status == source_status::canceled && !first_cancellation) first_cancellation = report.error;
    }
    if (!errors.empty()) {
      this->complete_aggregate(std::move(errors));
      return true;
    }
    if (first_cancellation) {
      this->complete_error(first_cancellation);
      return true;
    }
    return false;
  }
};

template <class T>
class when_all_vector_state final
    : public when_all_state<when_all_vector_state<T>, std::conditional_t<std::is_void_v<T>, void, std::vector<T>>> {
  using result_type = std::conditional_t<std::is_void_v<T>, void, std::vector<T>>;

public:
  explicit when_all_vector_state(std::vector<task<T>> inputs)
      : when_all_state<when_all_vector_state, result_type>(inputs.size()), inputs_(std::move(inputs)) {}

  task_state<T>& input_state(std::size_t i) { return *inputs_[i].state(); }

  void finish() {
    if (this->finish_failed(inputs_.size(), [&](std::size_t i) { return report_of(input_state(i)); })) return;
    if constexpr (std::is_void_v<T>) {
      this->complete_value();
    } else {
      this->complete_with([&] {
        std::vector<T> results;
        results.reserve(inputs_.size());
        for (auto& input : inputs_) results.push_back(input.state()->completed_outcome().value());
        this->complete_value(std::move(results));
      });
    }
  }

private:
  std::vector<task<T>> inputs_;
};

template <class... Ts>
class when_all_tuple_state final
    : public when_all_state<when_all_tuple_state<Ts...>, std::tuple<stored_t<Ts>...>> {
public:
  explicit when_all_tuple_state(task<Ts>... inputs)
      : when_all_state<when_all_tuple_state, std::tuple<stored_t<Ts>...>>(sizeof...(Ts)),
        inputs_(std::move(inputs)...) {}

  task_state_base& input_state(std::size_t i) { return *bases()[i]; }


  void finish() {
    const auto reports = std::apply(
        [](auto&... input) { return std::array<input_report, sizeof...(Ts)>{report_of(*input.state())...}; },
        inputs_);
    if (this->finish_failed(reports.size(), [&](std::size_t i) { return reports[i]; })) return;
    // The tuple is built in place from copies of the inputs' results: no move of a
    // finished tuple (a result type's move may throw too).
    this->complete_with([this] {
      std::apply([this](auto&... input) { this->complete_value(input.state()->completed_outcome().value()...); },
                 inputs_);
    });
  }

private:
  std::array<task_state_base*, sizeof...(Ts)> bases() {
    return std::apply([](auto&... input) { return std::array<task_state_base*, sizeof...(Ts)>{input.state()...}; },
                      inputs_);
  }

  std::tuple<task<Ts>...> inputs_;
};

}  // namespace detail

template <class T>
auto when_all(std::vector<task<T>> inputs) {
  using result_type = std::conditional_t<std::is_void_v<T>, void, std::vector<T>>;
  for (const auto& input : inputs) {
    if (!input.valid()) throw std::invalid_argument("when_all: empty task");
  }
  auto* state = new detail::when_all_vector_state<T>(std::move(inputs));
  task<result_type> result = task<result_type>::adopt(state);
  state->start();
  return result;
}

// What a task<void> input contributes to variadic when_all's tuple: an empty value, equal
// to every other.
using void_value = detail::void_value;

// Results as a tuple; a task<void> input contributes a void_value.
template <class... Ts>
auto when_all(task<Ts>... inputs) {
  using result_type = std::tuple<detail::stored_t<Ts>...>;
  if (!(inputs.valid() && ...)) throw std::invalid_argument("when_all: empty task");
  auto* state = new detail::when_all_tuple_state<Ts...>(std::move(inputs)...);
  task<result_type> result = task<result_type>::adopt(state);
  state->start();
  return result;
}

}  // namespace vt
