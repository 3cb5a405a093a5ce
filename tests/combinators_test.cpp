// when_all, when_any, run, sync_wait, yield, delay: docs/semantics.md sections 4 and 6.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <vt/vt.hpp>

namespace {

vt::task<int> from_source(vt::pooled_source<int>& s) { co_return co_await vt::value_task<int>(s, s.version()); }

std::runtime_error error_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::runtime_error& r) {
    return r;
  }
}

TEST(when_all, results_in_input_order_whatever_the_completion_order) {
  vt::source_pool<int> pool;
  auto& a = pool.rent();
  auto& b = pool.rent();
  auto& c = pool.rent();
  auto all = vt::when_all(std::vector<vt::task<int>>{from_source(a), from_source(b), from_source(c)});
  c.set_result(3);
  a.set_result(1);
  EXPECT_FALSE(all.is_completed());
  b.set_result(2);
  EXPECT_EQ(all.result(), (std::vector<int>{1, 2, 3}));
}

TEST(when_all, empty_input_completes_at_once) {
  EXPECT_TRUE(vt::when_all(std::vector<vt::task<int>>{}).result().empty());
  EXPECT_TRUE(vt::when_all(std::vector<vt::task<void>>{}).is_completed_successfully());
}

TEST(when_all, faults_aggregate_every_exception_in_input_order) {
  auto e1 = std::make_exception_ptr(std::runtime_error("one"));
  auto e3 = std::make_exception_ptr(std::runtime_error("three"));
  vt::cancellation_source cts;
  cts.cancel();
  auto all = vt::when_all(std::vector<vt::task<int>>{
      vt::task<int>::from_exception(e1), vt::task<int>::from_canceled(cts.token()),
      vt::task<int>::from_exception(e3), vt::task<int>::from_result(4)});
  EXPECT_TRUE(all.is_faulted());
  try {
    std::rethrow_exception(all.exception());
  } catch (const vt::aggregate_error& agg) {
    ASSERT_EQ(agg.errors().size(), 2u);
    EXPECT_EQ(agg.errors()[0], e1);
    EXPECT_EQ(agg.errors()[1], e3);
  }
  try {
    all.result();  // awaiting / result rethrows the first
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "one");
  }
}

TEST(when_all, a_single_fault_is_still_aggregated) {
  auto all = vt::when_all(std::vector<vt::task<void>>{
      vt::task<void>::from_exception(std::make_exception_ptr(std::runtime_error("only")))});
  EXPECT_THROW((void)std::rethrow_exception(all.exception()), vt::aggregate_error);
  EXPECT_THROW((void)all.result(), std::runtime_error);
}

TEST(when_all, nested_aggregates_are_flattened) {
  auto inner = vt::when_all(std::vector<vt::task<int>>{
      vt::task<int>::from_exception(std::make_exception_ptr(std::runtime_error("a"))),
      vt::task<int>::from_exception(std::make_exception_ptr(std::runtime_error("b")))});
  std::vector<vt::task<std::vector<int>>> outer_inputs{
      inner, vt::task<std::vector<int>>::from_exception(std::make_exception_ptr(std::runtime_error("c")))};
  auto outer = vt::when_all(outer_inputs);
  try {
    std::rethrow_exception(outer.exception());
  } catch (const vt::aggregate_error& agg) {
    ASSERT_EQ(agg.errors().size(), 3u);
    EXPECT_STREQ(error_of(agg.errors()[0]).what(), "a");
    EXPECT_STREQ(error_of(agg.errors()[2]).what(), "c");
  }
}

TEST(when_all, canceled_by_the_first_canceled_input_when_none_faulted) {
  vt::cancellation_source first, second;
  first.cancel();
  second.cancel();
  auto all = vt::when_all(std::vector<vt::task<int>>{vt::task<int>::from_result(1),
                                                      vt::task<int>::from_canceled(first.token()),
                                                      vt::task<int>::from_canceled(second.token())});
  EXPECT_TRUE(all.is_canceled());
  try {
    all.result();
    FAIL();
  } catch (const vt::operation_canceled& e) {
    EXPECT_EQ(e.token(), first.token());
  }
}

TEST(when_all, variadic_gives_a_tuple) {
  vt::source_pool<int> pool;
  auto& a = pool.rent();
  auto all = vt::when_all(from_source(a), vt::task<std::string>::from_result("x"), vt::completed_task());
  a.set_result(5);
  auto [n, s, v] = all.result();
  EXPECT_EQ(n, 5);
  EXPECT_EQ(s, "x");
  (void)v;
}

TEST(when_all, rejects_empty_tasks) {
  EXPECT_THROW((void)vt::when_all(std::vector<vt::task<int>>{vt::task<int>{}}), std::invalid_argument);
}

TEST(when_any, completes_with_the_first_to_complete_and_losers_keep_running) {
  vt::source_pool<int> pool;
  auto& a = pool.rent();
  auto& b = pool.rent();
  std::vector<vt::task<int>> inputs{from_source(a), from_source(b)};
  auto any = vt::when_any(inputs);
  EXPECT_FALSE(any.is_completed());
  b.set_result(2);
  EXPECT_EQ(any.result(), 1u);
  a.set_result(1);
  EXPECT_EQ(inputs[0].result(), 1);
  EXPECT_EQ(any.result(), 1u);
}

TEST(when_any, a_fault_can_win) {
  auto any = vt::when_any(vt::task<int>::from_exception(std::make_exception_ptr(std::runtime_error("x"))),
                          vt::completed_task());
  EXPECT_EQ(any.result(), 0u);
}

TEST(when_any, empty_input_is_invalid_argument) {
  EXPECT_THROW((void)vt::when_any(std::vector<vt::task<int>>{}), std::invalid_argument);
}

TEST(run, runs_on_the_given_executor) {
  vt::manual_scheduler scheduler;
  auto t = vt::run(scheduler, [] { return 7; });
  EXPECT_FALSE(t.is_completed());
  scheduler.run_until_idle();
  EXPECT_EQ(t.result(), 7);
  auto f = vt::run(scheduler, []() -> int { throw std::runtime_error("cpu"); });
  scheduler.run_until_idle();
  EXPECT_TRUE(f.is_faulted());
}

TEST(run, defaults_to_the_thread_pool) {
  auto t = vt::run([] { return std::string("pool"); });
  EXPECT_EQ(vt::sync_wait(t), "pool");
}

vt::task<int> yields_then_returns(std::vector<int>& log, int id) {
  log.push_back(id);
  co_await vt::yield();
  log.push_back(id + 10);
  co_return id;
}

TEST(yield, always_suspends_and_reposts_to_the_current_executor) {
  vt::manual_scheduler scheduler;
  vt::scheduling_scope scope(scheduler);
  std::vector<int> log;
  auto a = yields_then_returns(log, 1);
  auto b = yields_then_returns(log, 2);
  EXPECT_EQ(log, (std::vector<int>{1, 2}));
  EXPECT_EQ(scheduler.pending(), 2u);
  scheduler.run_until_idle();
  EXPECT_EQ(log, (std::vector<int>{1, 2, 11, 12}));
}

vt::task<std::chrono::nanoseconds> sleeps(vt::manual_scheduler& scheduler, std::chrono::milliseconds d) {
  co_await vt::delay(d);
  co_return scheduler.now();
}

TEST(delay, uses_virtual_time_on_a_manual_scheduler) {
  vt::manual_scheduler scheduler;
  vt::scheduling_scope scope(scheduler);
  auto late = sleeps(scheduler, std::chrono::hours(5));
  auto early = sleeps(scheduler, std::chrono::milliseconds(3));
  EXPECT_EQ(vt::sync_wait(early), std::chrono::milliseconds(3));
  EXPECT_FALSE(late.is_completed());
  EXPECT_EQ(vt::sync_wait(late), std::chrono::hours(5));
}

TEST(delay, uses_real_time_otherwise) {
  auto start = std::chrono::steady_clock::now();
  vt::sync_wait(vt::delay(std::chrono::milliseconds(20)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(20));
}

TEST(sync_wait, returns_the_result_or_rethrows) {
  EXPECT_EQ(vt::sync_wait(vt::value_task<int>(3)), 3);
  EXPECT_THROW((void)vt::sync_wait(vt::task<int>::from_exception(std::make_exception_ptr(std::runtime_error("x")))),
               std::runtime_error);
  vt::sync_wait(vt::completed_task());
}

TEST(sync_wait, waits_for_another_thread_while_the_scheduler_is_idle) {
  vt::manual_scheduler scheduler;
  vt::scheduling_scope scope(scheduler);
  vt::source_pool<int> pool;
  auto& s = pool.rent();
  std::thread completer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    s.set_result(12);
  });
  EXPECT_EQ(vt::sync_wait(from_source(s)), 12);
  completer.join();
}

}  // namespace
