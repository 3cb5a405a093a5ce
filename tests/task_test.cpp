// vt::task<T>: docs/semantics.md section 4.
#include <gtest/gtest.h>

#include <coroutine>
#include <stdexcept>
#include <string>
#include <vector>

#include <vt/vt.hpp>

namespace {

using vt::invalid_operation;

vt::task<int> awaits(vt::pooled_source<int>& source, std::vector<std::string>& log, std::string name) {
  log.push_back(name + " start");
  int v = co_await vt::value_task<int>(source, source.version());
  log.push_back(name + " end");
  co_return v;
}

vt::task<int> awaits_task(vt::task<int> t, std::vector<int>& order, int id) {
  int v = co_await t;
  order.push_back(id);
  co_return v + id;
}

TEST(task, coroutine_is_eager) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  std::vector<std::string> log;
  auto t = awaits(source, log, "a");
  EXPECT_EQ(log, std::vector<std::string>{"a start"});
  EXPECT_FALSE(t.is_completed());
  source.set_result(3);
  EXPECT_TRUE(t.is_completed_successfully());
  EXPECT_EQ(t.result(), 3);
}

TEST(task, many_awaiters_each_get_the_outcome_in_registration_order) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  std::vector<std::string> log;
  auto shared = awaits(source, log, "s");
  std::vector<int> order;
  std::vector<vt::task<int>> waiters;
  for (int i = 0; i < 5; ++i) waiters.push_back(awaits_task(shared, order, i));
  source.set_result(10);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(waiters[i].result(), 10 + i);
  EXPECT_EQ(shared.result(), 10);  // still readable
}

// Awaiters that decline to suspend (await_suspend returning false, or the awaiting
// coroutine's own handle): the body never leaves its first call, yet each counts as a
// suspension, so the task completes on the shared path; the result is the same.
struct declines_by_false {
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<>) const noexcept { return false; }
  int await_resume() const noexcept { return 1; }
};
struct declines_by_handle {
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> self) const noexcept { return self; }
  int await_resume() const noexcept { return 2; }
};

vt::task<int> declined_twice() { co_return co_await declines_by_false{} + co_await declines_by_handle{}; }

TEST(task, awaits_that_decline_to_suspend_complete_the_same) {
  auto t = declined_twice();
  ASSERT_TRUE(t.is_completed_successfully());
  EXPECT_EQ(t.result(), 3);
  std::vector<int> order;
  auto copy = t;
  auto waiter = awaits_task(copy, order, 10);
  EXPECT_EQ(waiter.result(), 13);
  EXPECT_EQ(order, std::vector<int>{10});
}

TEST(task, result_before_completion_throws_without_blocking) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  std::vector<std::string> log;
  auto t = awaits(source, log, "a");
  EXPECT_THROW((void)t.result(), invalid_operation);
  source.set_result(1);
}

TEST(task, factories) {
  EXPECT_EQ(vt::task<int>::from_result(4).result(), 4);
  auto done = vt::completed_task();
  EXPECT_TRUE(done.is_completed_successfully());
  done.result();

  auto faulted = vt::task<int>::from_exception(std::make_exception_ptr(std::runtime_error("x")));
  EXPECT_TRUE(faulted.is_faulted());
  EXPECT_THROW((void)faulted.result(), std::runtime_error);
  EXPECT_NE(faulted.exception(), nullptr);

  vt::cancellation_source cts;
  cts.cancel();
  auto canceled = vt::task<int>::from_canceled(cts.token());
  EXPECT_TRUE(canceled.is_canceled());
  EXPECT_EQ(canceled.exception(), nullptr);
  try {
    canceled.result();
    FAIL();
  } catch (const vt::operation_canceled& e) {
    EXPECT_EQ(e.token(), cts.token());
  }
}

TEST(task, from_exception_with_operation_canceled_is_faulted) {
  auto t = vt::task<void>::from_exception(std::make_exception_ptr(vt::operation_canceled()));
  EXPECT_TRUE(t.is_faulted());
  EXPECT_FALSE(t.is_canceled());
  EXPECT_THROW((void)t.result(), vt::operation_canceled);
}

TEST(task, bad_arguments) {
  EXPECT_THROW((void)vt::task<int>::from_exception(nullptr), std::invalid_argument);
  vt::cancellation_source cts;
  EXPECT_THROW((void)vt::task<int>::from_canceled(cts.token()), std::invalid_argument);
  EXPECT_THROW((void)vt::task<int>::from_canceled({}), std::invalid_argument);
}

vt::task<int> throws_runtime() {
  throw std::runtime_error("body");
  co_return 0;
}
vt::task<void> throws_canceled() {
  throw vt::operation_canceled();
  co_return;
}

TEST(task, body_exceptions) {
  auto f = throws_runtime();
  EXPECT_TRUE(f.is_faulted());
  EXPECT_THROW((void)f.result(), std::runtime_error);
  auto c = throws_canceled();
  EXPECT_TRUE(c.is_canceled());
  EXPECT_THROW((void)c.result(), vt::operation_canceled);
}

vt::task<int> awaits_faulted(vt::task<int> inner) { co_return co_await inner; }

TEST(task, awaiting_rethrows) {
  auto f = awaits_faulted(throws_runtime());
  EXPECT_THROW((void)f.result(), std::runtime_error);
  vt::cancellation_source cts;
  cts.cancel();
  auto c = awaits_faulted(vt::task<int>::from_canceled(cts.token()));
  EXPECT_TRUE(c.is_canceled());
}

TEST(task, equality_is_identity) {
  auto a = vt::task<int>::from_result(1);
  auto b = a;
  auto c = vt::task<int>::from_result(1);
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == c);
}

TEST(task, empty_task_use_is_invalid_operation) {
  vt::task<int> empty;
  EXPECT_FALSE(empty.valid());
  EXPECT_THROW((void)empty.is_completed(), invalid_operation);
  EXPECT_THROW((void)empty.result(), invalid_operation);
  EXPECT_THROW((void)vt::value_task<int>{empty}, std::invalid_argument);
}

}  // namespace
