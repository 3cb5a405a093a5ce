// The manual scheduler across threads: a post from one thread against a run, or against
// a thread waiting for work (a lost notification is a deadlock Relacy reports).
#include "families.hpp"

#include <vt/manual_scheduler.hpp>

namespace vt_model_check {

namespace {

// A scheduler and the record of the one item posted to it.
struct scheduler_with_item {
  vt::manual_scheduler* scheduler;
  continuation_record* record;
  void before() {
    scheduler = new vt::manual_scheduler();
    record = new continuation_record();
  }
  void post() { scheduler->post(&continuation_record::run, record); }
  int runs() const { return record->runs.load(std::memory_order_relaxed); }
  void destroy() {
    delete record;
    delete scheduler;
  }
};

// A post against a run_one that may find nothing: the item runs exactly once.
struct post_vs_run : rl::test_suite<post_vs_run, 2>, scheduler_with_item {
  using scheduler_with_item::before;
  void thread(unsigned index) {
    if (index == 0) {
      post();
    } else {
      (void)scheduler->run_one();
    }
  }
  void after() {
    (void)scheduler->run_until_idle();
    RL_ASSERT(runs() == 1);
    destroy();
  }
};

// A thread waits for work and runs it; another posts: the waiter wakes.
struct post_wakes_a_waiting_runner : rl::test_suite<post_wakes_a_waiting_runner, 2>, scheduler_with_item {
  using scheduler_with_item::before;
  void thread(unsigned index) {
    if (index == 0) {
      post();
    } else {
      scheduler->wait_for_work([] { return false; });
      RL_ASSERT(scheduler->run_one());
    }
  }
  void after() {
    RL_ASSERT(runs() == 1);
    destroy();
  }
};

}  // namespace

std::span<const check> scheduler_checks() {
  static const check checks[] = {
      make_check<post_vs_run>("post_vs_run"),
      make_check<post_wakes_a_waiting_runner>("post_wakes_a_waiting_runner"),
  };
  return checks;
}

}  // namespace vt_model_check
