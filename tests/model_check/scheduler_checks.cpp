// The manual scheduler across threads: a post from one thread against a run, or against
// a thread waiting for work (a lost notification is a deadlock Relacy reports).
#include "check.hpp"

#include <vt/manual_scheduler.hpp>

namespace vt_model_check {

namespace {

// A post against a run_one that may find nothing: the item runs exactly once.
struct post_vs_run : rl::test_suite<post_vs_run, 2> {
  vt::manual_scheduler* scheduler;
  continuation_record* record;
  void before() {
    scheduler = new vt::manual_scheduler();
    record = new continuation_record();
  }
  void thread(unsigned index) {
    if (index == 0) {
      scheduler->post(&continuation_record::run, record);
    } else {
      (void)scheduler->run_one();
    }
  }
  void after() {
    (void)scheduler->run_until_idle();
    RL_ASSERT(record->runs.load(std::memory_order_relaxed) == 1);
    delete record;
    delete scheduler;
  }
};

// A thread waits for work and runs it; another posts: the waiter wakes.
struct post_wakes_a_waiting_runner : rl::test_suite<post_wakes_a_waiting_runner, 2> {
  vt::manual_scheduler* scheduler;
  continuation_record* record;
  void before() {
    scheduler = new vt::manual_scheduler();
    record = new continuation_record();
  }
  void thread(unsigned index) {
    if (index == 0) {
      scheduler->post(&continuation_record::run, record);
    } else {
      scheduler->wait_for_work([] { return false; });
      RL_ASSERT(scheduler->run_one());
    }
  }
  void after() {
    RL_ASSERT(record->runs.load(std::memory_order_relaxed) == 1);
    delete record;
    delete scheduler;
  }
};

}  // namespace

std::span<const check> scheduler_checks() {
  static const check checks[] = {
      {"post_vs_run", &simulate<post_vs_run>},
      {"post_wakes_a_waiting_runner", &simulate<post_wakes_a_waiting_runner>},
  };
  return checks;
}

}  // namespace vt_model_check
