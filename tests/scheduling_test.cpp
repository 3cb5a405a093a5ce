// manual_scheduler, choosers, scheduling_scope, configure_await: docs/semantics.md section 6.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include <vt/vt.hpp>

namespace {

struct recorder {
  std::vector<int>* log;
  int id;
  static void run(void* self) {
    auto* r = static_cast<recorder*>(self);
    r->log->push_back(r->id);
  }
};

std::vector<int> run_five(vt::manual_scheduler& scheduler) {
  std::vector<int> log;
  std::vector<recorder> items;
  for (int i = 0; i < 5; ++i) items.push_back({&log, i});
  for (auto& item : items) scheduler.post(&recorder::run, &item);
  EXPECT_EQ(scheduler.pending(), 5u);
  scheduler.run_until_idle();
  EXPECT_EQ(scheduler.pending(), 0u);
  return log;
}

TEST(manual_scheduler, fifo_by_default) {
  vt::manual_scheduler scheduler;
  EXPECT_EQ(run_five(scheduler), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_FALSE(scheduler.run_one());
}

TEST(manual_scheduler, seeded_random_replays_and_differs_by_seed) {
  vt::manual_scheduler a(std::make_unique<vt::random_chooser>(42));
  vt::manual_scheduler b(std::make_unique<vt::random_chooser>(42));
  auto first = run_five(a);
  EXPECT_EQ(first, run_five(b));
  bool some_seed_differs = false;
  for (std::uint64_t seed = 0; seed < 20 && !some_seed_differs; ++seed) {
    vt::manual_scheduler c(std::make_unique<vt::random_chooser>(seed));
    some_seed_differs = run_five(c) != first;
  }
  EXPECT_TRUE(some_seed_differs);
}

TEST(manual_scheduler, explicit_choice_list_replays_exactly) {
  vt::manual_scheduler scheduler(std::make_unique<vt::list_chooser>(std::vector<std::uint32_t>{4, 0, 7}));
  // ready [0..4]: pick 4; [0..3]: pick 0; [1,2,3]: 7%3=1 -> 2; then FIFO: 1, 3.
  EXPECT_EQ(run_five(scheduler), (std::vector<int>{4, 0, 2, 1, 3}));
}

TEST(manual_scheduler, pct_is_deterministic_per_seed) {
  vt::manual_scheduler a(std::make_unique<vt::pct_chooser>(7, 3, 5));
  vt::manual_scheduler b(std::make_unique<vt::pct_chooser>(7, 3, 5));
  auto first = run_five(a);
  EXPECT_EQ(first, run_five(b));
  std::vector<int> sorted = first;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(manual_scheduler, timers_advance_virtual_time_only_when_idle) {
  vt::manual_scheduler scheduler;
  std::vector<int> log;
  recorder late{&log, 2}, early{&log, 1}, now{&log, 0};
  scheduler.post_at(std::chrono::seconds(10), &recorder::run, &late);
  scheduler.post_at(std::chrono::seconds(1), &recorder::run, &early);
  scheduler.post(&recorder::run, &now);
  EXPECT_EQ(scheduler.pending(), 3u);
  EXPECT_EQ(scheduler.ready_count(), 1u);
  EXPECT_TRUE(scheduler.run_one());
  EXPECT_EQ(scheduler.now(), std::chrono::nanoseconds(0));
  EXPECT_TRUE(scheduler.run_one());
  EXPECT_EQ(scheduler.now(), std::chrono::seconds(1));
  EXPECT_TRUE(scheduler.run_one());
  EXPECT_EQ(scheduler.now(), std::chrono::seconds(10));
  EXPECT_EQ(log, (std::vector<int>{0, 1, 2}));
}

TEST(scheduling_scope, nests_and_restores) {
  EXPECT_EQ(vt::current_executor(), nullptr);
  vt::manual_scheduler outer, inner;
  {
    vt::scheduling_scope a(outer);
    EXPECT_EQ(vt::current_executor(), &outer);
    {
      vt::scheduling_scope b(inner);
      EXPECT_EQ(vt::current_executor(), &inner);
    }
    EXPECT_EQ(vt::current_executor(), &outer);
  }
  EXPECT_EQ(vt::current_executor(), nullptr);
}

vt::task<int> awaits_value_task(vt::value_task<int> vt, bool capture, std::vector<int>& log) {
  int v = capture ? co_await vt : co_await vt.configure_await(false);
  log.push_back(v);
  co_return v;
}

vt::task<int> awaits_task(vt::task<int> t, bool capture, std::vector<int>& log) {
  int v = capture ? co_await t : co_await t.configure_await(false);
  log.push_back(v);
  co_return v;
}

// Starts an awaiting coroutine while `scheduler` is current, then completes its source
// from outside any scheduling scope; returns what the coroutine logged by then.
struct await_outside_scope {
  vt::manual_scheduler scheduler;
  vt::source_pool<int> pool;
  std::vector<int> log;
  vt::task<int> awaiting;

  std::vector<int> complete_with(int value, bool capture) {
    auto& s = pool.rent();
    {
      vt::scheduling_scope scope(scheduler);
      awaiting = awaits_value_task(vt::value_task<int>(s, s.version()), capture, log);
    }
    s.set_result(value);
    return log;
  }
};

TEST(configure_await, awaiting_captures_the_context_by_default) {
  await_outside_scope run;
  EXPECT_TRUE(run.complete_with(1, true).empty());  // posted to the captured scheduler
  run.scheduler.run_until_idle();
  EXPECT_EQ(run.log, std::vector<int>{1});
}

TEST(configure_await, false_resumes_where_the_completion_happens) {
  await_outside_scope run;
  EXPECT_EQ(run.complete_with(2, false), std::vector<int>{2});
  EXPECT_EQ(run.scheduler.pending(), 0u);
}

TEST(configure_await, applies_to_task_awaits_too) {
  vt::manual_scheduler scheduler;
  vt::source_pool<int> pool;
  auto& s = pool.rent();
  std::vector<int> inner_log, captured_log, free_log;
  auto inner = awaits_value_task(vt::value_task<int>(s, 0), false, inner_log);
  vt::task<int> captured, free;
  {
    vt::scheduling_scope scope(scheduler);
    captured = awaits_task(inner, true, captured_log);
    free = awaits_task(inner, false, free_log);
  }
  s.set_result(3);
  EXPECT_TRUE(captured_log.empty());
  EXPECT_EQ(free_log, std::vector<int>{3});
  scheduler.run_until_idle();
  EXPECT_EQ(captured_log, std::vector<int>{3});
}

}  // namespace
