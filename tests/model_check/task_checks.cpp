// Task states and the combinators built on them: awaiters registering on several threads
// against the completion, and when_all / when_any whose inputs complete on different
// threads. A waiter reads the outcome when it runs, so a read before the completion's
// publication is a data race Relacy reports.
#include "families.hpp"

#include <cstddef>
#include <vector>

#include <vt/detail/last_of_two.hpp>
#include <vt/detail/manual_task_state.hpp>
#include <vt/task.hpp>
#include <vt/when_all.hpp>
#include <vt/sync_wait.hpp>
#include <vt/when_any.hpp>

namespace vt_model_check {

namespace {

using state_type = vt::detail::manual_task_state<checked_value>;
using task_type = vt::task<checked_value>;

// An awaiter of a task state: registered, or run at once when the task already completed.
struct reading_waiter {
  vt::detail::waiter node;
  state_type* state = nullptr;
  vt::detail::atomic<int> runs{0};
  vt::detail::shared_field<int> seen;

  static void run(void* self) {
    auto* w = static_cast<reading_waiter*>(self);
    w->seen = w->state->result().value;
    w->runs.fetch_add(1, std::memory_order_relaxed);
  }
  void await(state_type* awaited) {
    state = awaited;
    node.fn = &run;
    node.state = this;
    if (!awaited->try_add_waiter(node)) run(this);
  }
};

// Two awaiters on two threads vs the completion on a third: each runs exactly once and
// reads the published value.
struct task_awaiters_vs_completion : rl::test_suite<task_awaiters_vs_completion, 3> {
  state_type* state;
  reading_waiter* waiters;
  void before() {
    state = state_type::create();
    waiters = new reading_waiter[2];
  }
  void thread(unsigned index) {
    if (index == 0) {
      state->complete_value(checked_value{4});
    } else {
      waiters[index - 1].await(state);
    }
  }
  void after() {
    for (int i = 0; i < 2; ++i) {
      RL_ASSERT(waiters[i].runs.load(std::memory_order_relaxed) == 1);
      RL_ASSERT(static_cast<int>(waiters[i].seen) == 4);
    }
    delete[] waiters;
    state->release();
  }
};

// A state whose destruction touches the outcome (as its destructor does) and is counted.
class counted_state final : public state_type {
public:
  static counted_state* create(vt::detail::atomic<int>& destroyed) { return new counted_state(destroyed); }

private:
  explicit counted_state(vt::detail::atomic<int>& destroyed) noexcept : destroyed_(&destroyed) {}
  void destroy() noexcept override {
    this->outcome_access_.write();
    destroyed_->fetch_add(1, std::memory_order_relaxed);
    delete this;
  }
  vt::detail::atomic<int>* destroyed_;
};

// The last two references dropped on two threads, one after reading the result: the
// state is destroyed exactly once, and never while the reader may still be reading (a
// sole owner frees without a locked decrement, so its read of the count must acquire).
struct last_references_on_two_threads : rl::test_suite<last_references_on_two_threads, 2> {
  vt::detail::atomic<int> destroyed{0};
  counted_state* state;
  void before() {
    // Relacy's fibers share one OS thread's thread_locals, and an iteration it abandons on
    // a report may leave the reclaim queue marked active: start every iteration clean.
    vt::detail::t_reclaim_queue = {};
    state = counted_state::create(destroyed);
    state->complete_value(checked_value{7});
    state->add_ref();  // one reference per thread
  }
  void thread(unsigned index) {
    if (index == 0) RL_ASSERT(state->result().value == 7);
    state->release();
  }
  void after() { RL_ASSERT(destroyed.load(std::memory_order_relaxed) == 1); }
};

// Two inputs, each held by the check (one reference) and by a task the combinator gets.
struct two_inputs {
  state_type* states[2];
  std::vector<task_type> tasks() {
    std::vector<task_type> result;
    for (state_type*& s : states) {
      s = state_type::create();
      s->add_ref();  // the check's, to complete it with
      result.push_back(task_type::adopt(s));
    }
    return result;
  }
  void complete(unsigned index) { states[index]->complete_value(checked_value{static_cast<int>(index) + 1}); }
  void release() {
    for (state_type* s : states) s->release();
  }
};

// when_all's inputs completing on two threads: it completes once, after both, with both
// values in input order.
struct when_all_inputs_on_two_threads : rl::test_suite<when_all_inputs_on_two_threads, 2> {
  two_inputs inputs;
  vt::task<std::vector<checked_value>>* all;
  void before() { all = new vt::task<std::vector<checked_value>>(vt::when_all(inputs.tasks())); }
  void thread(unsigned index) { inputs.complete(index); }
  void after() {
    RL_ASSERT(all->is_completed());
    const std::vector<checked_value> values = all->result();
    RL_ASSERT(values.size() == 2 && values[0].value == 1 && values[1].value == 2);
    delete all;
    inputs.release();
  }
};

// when_any's inputs completing on two threads: it completes once, naming an input that
// has completed.
struct when_any_inputs_on_two_threads : rl::test_suite<when_any_inputs_on_two_threads, 2> {
  two_inputs inputs;
  vt::task<std::size_t>* any;
  void before() { any = new vt::task<std::size_t>(vt::when_any(inputs.tasks())); }
  void thread(unsigned index) { inputs.complete(index); }
  void after() {
    RL_ASSERT(any->is_completed());
    RL_ASSERT(any->result() < 2);
    delete any;
    inputs.release();
  }
};

// sync_wait blocking (no manual scheduler is current) on a task another thread completes:
// the waiter wakes, once, with the value; a wake-up lost between its check and its wait is
// a deadlock Relacy reports.
struct sync_wait_vs_completion : rl::test_suite<sync_wait_vs_completion, 2> {
  state_type* state;
  vt::detail::shared_field<int> seen;
  void before() { state = state_type::create(); }
  void thread(unsigned index) {
    if (index == 0) {
      seen = vt::sync_wait(task_type::adopt(state)).value;
    } else {
      state->complete_value(checked_value{3});
    }
  }
  void after() { RL_ASSERT(static_cast<int>(seen) == 3); }
};

// A suspended value_task coroutine's frame, handed over (vt::detail::last_of_two): the
// caller's conversion and the body's end, on two threads, each write their part of the
// frame and arrive; the second releases it, exactly once, having seen both parts.
struct frame_hand_over_on_two_threads : rl::test_suite<frame_hand_over_on_two_threads, 2> {
  struct frame {
    vt::detail::last_of_two handed_over;
    vt::detail::shared_field<int> parts[2];
  };
  frame* f;
  vt::detail::atomic<int> released{0};
  void before() { f = new frame; }
  void thread(unsigned index) {
    frame* mine = f;
    mine->parts[index] = static_cast<int>(index) + 1;
    if (!mine->handed_over.arrive()) return;
    RL_ASSERT(static_cast<int>(mine->parts[0]) == 1 && static_cast<int>(mine->parts[1]) == 2);
    released.fetch_add(1, std::memory_order_relaxed);
    delete mine;
  }
  void after() { RL_ASSERT(released.load(std::memory_order_relaxed) == 1); }
};

}  // namespace

std::span<const check> task_checks() {
  static const check checks[] = {
      make_check<task_awaiters_vs_completion>("task_awaiters_vs_completion"),
      make_check<when_all_inputs_on_two_threads>("when_all_inputs_on_two_threads"),
      make_check<when_any_inputs_on_two_threads>("when_any_inputs_on_two_threads"),
      make_check<last_references_on_two_threads>("last_references_on_two_threads"),
      make_check<sync_wait_vs_completion>("sync_wait_vs_completion"),
      make_check<frame_hand_over_on_two_threads>("frame_hand_over_on_two_threads"),
  };
  return checks;
}

}  // namespace vt_model_check
