// vt::value_task<T> and the pooling builder: docs/semantics.md section 5, and section 8's rows.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include <vt/vt.hpp>

namespace {

using vt::invalid_operation;
using rep = vt::value_task<int>::representation;

TEST(value_task, default_is_completed_with_default_value) {
  vt::value_task<int> vt;
  EXPECT_EQ(vt.kind(), rep::result);
  EXPECT_TRUE(vt.is_completed_successfully());
  EXPECT_EQ(vt.result(), 0);
  vt::value_task<void> v;
  EXPECT_TRUE(v.is_completed_successfully());
  v.result();
  vt::value_task<std::string> s;
  EXPECT_EQ(s.result(), "");
}

TEST(value_task, result_backed_is_consumable_many_times) {
  vt::value_task<int> vt(5);
  EXPECT_EQ(vt.result(), 5);
  EXPECT_EQ(vt.result(), 5);
  EXPECT_EQ(vt.as_task().result(), 5);
  EXPECT_EQ(vt::value_task<int>::from_result(7).result(), 7);
}

TEST(value_task, task_backed_is_consumable_many_times_and_keeps_identity) {
  auto t = vt::task<int>::from_result(3);
  vt::value_task<int> vt(t);
  EXPECT_EQ(vt.kind(), rep::task);
  EXPECT_EQ(vt.result(), 3);
  EXPECT_EQ(vt.result(), 3);
  EXPECT_TRUE(vt.as_task() == t);
}

TEST(value_task, factories_are_task_backed) {
  auto f = vt::value_task<int>::from_exception(std::make_exception_ptr(std::logic_error("x")));
  EXPECT_EQ(f.kind(), rep::task);
  EXPECT_TRUE(f.is_faulted());
  EXPECT_THROW((void)f.result(), std::logic_error);
  EXPECT_THROW((void)f.result(), std::logic_error);
  vt::cancellation_source cts;
  cts.cancel();
  auto c = vt::value_task<int>::from_canceled(cts.token());
  EXPECT_TRUE(c.is_canceled());
  EXPECT_THROW((void)c.result(), vt::operation_canceled);
}

TEST(value_task, bad_arguments) {
  EXPECT_THROW((void)vt::value_task<int>(static_cast<vt::value_task_source<int>*>(nullptr), 0), std::invalid_argument);
  EXPECT_THROW((void)vt::value_task<int>::from_exception(nullptr), std::invalid_argument);
  vt::cancellation_source cts;
  EXPECT_THROW((void)vt::value_task<int>::from_canceled(cts.token()), std::invalid_argument);
}

TEST(value_task, source_backed_reports_the_source_status) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  vt::value_task<int> vt(source, source.version());
  EXPECT_EQ(vt.kind(), rep::source);
  EXPECT_FALSE(vt.is_completed());
  EXPECT_THROW((void)vt.result(), invalid_operation);  // result() before completion
  EXPECT_EQ(source.version(), 0u);               // ... recycles nothing
  source.set_result(8);
  EXPECT_TRUE(vt.is_completed_successfully());
  EXPECT_EQ(vt.result(), 8);
}

TEST(value_task, consuming_twice_is_invalid_operation) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  vt::value_task<int> vt(source, 0);
  vt::value_task<int> copy = vt;
  source.set_result(1);
  EXPECT_EQ(vt.result(), 1);
  EXPECT_THROW((void)vt.result(), invalid_operation);
  EXPECT_THROW((void)copy.result(), invalid_operation);
  EXPECT_THROW((void)copy.as_task(), invalid_operation);
  EXPECT_THROW((void)copy.preserve(), invalid_operation);
}

TEST(value_task, stale_copy_never_touches_the_current_generation) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  vt::value_task<int> stale(source, 0);
  source.set_result(1);
  stale.result();
  auto& again = pool.rent();  // same source, version 1
  ASSERT_EQ(&again, &source);
  again.set_result(99);
  EXPECT_THROW((void)stale.result(), invalid_operation);
  EXPECT_EQ(again.status(1), vt::source_status::succeeded);
  EXPECT_EQ(vt::value_task<int>(again, 1).result(), 99);
}

TEST(value_task, as_task_on_completed_source_consumes_now) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  vt::value_task<int> vt(source, 0);
  source.set_result(4);
  auto t = vt.as_task();
  EXPECT_EQ(pool.statistics().returned, 1u);
  EXPECT_EQ(t.result(), 4);
  EXPECT_EQ(t.result(), 4);
  EXPECT_THROW((void)vt.result(), invalid_operation);  // await after as_task
}

TEST(value_task, as_task_on_pending_source_completes_from_the_continuation) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  vt::value_task<int> vt(source, 0);
  auto t = vt.as_task();
  EXPECT_FALSE(t.is_completed());
  EXPECT_THROW((void)vt.as_task(), invalid_operation);  // second registration
  source.set_result(6);
  EXPECT_EQ(t.result(), 6);
  EXPECT_EQ(pool.statistics().returned, 1u);
  EXPECT_THROW((void)vt.result(), invalid_operation);
}

TEST(value_task, as_task_of_faulted_and_canceled_sources) {
  vt::source_pool<int> pool;
  auto& a = pool.rent();
  vt::value_task<int> fa(a, a.version());
  auto ta = fa.as_task();
  a.set_exception(std::make_exception_ptr(std::runtime_error("e")));
  EXPECT_TRUE(ta.is_faulted());
  EXPECT_THROW((void)ta.result(), std::runtime_error);
  auto& b = pool.rent();
  vt::value_task<int> cb(b, b.version());
  b.set_canceled();
  auto tb = cb.as_task();
  EXPECT_TRUE(tb.is_canceled());
}

TEST(value_task, preserve_is_safe_to_consume_many_times) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  vt::value_task<int> vt(source, 0);
  auto kept = vt.preserve();
  EXPECT_EQ(kept.kind(), rep::task);
  source.set_result(2);
  EXPECT_EQ(kept.result(), 2);
  EXPECT_EQ(kept.result(), 2);
  vt::value_task<int> r(9);
  EXPECT_EQ(r.preserve().kind(), rep::result);
}

TEST(value_task, equality) {
  EXPECT_TRUE(vt::value_task<int>(1) == vt::value_task<int>(1));
  EXPECT_FALSE(vt::value_task<int>(1) == vt::value_task<int>(2));
  auto t = vt::task<int>::from_result(1);
  EXPECT_TRUE(vt::value_task<int>(t) == vt::value_task<int>(t));
  EXPECT_FALSE(vt::value_task<int>(t) == vt::value_task<int>(1));
  EXPECT_FALSE(vt::value_task<int>(t) == vt::value_task<int>(vt::task<int>::from_result(1)));
  vt::source_pool<int> pool;
  auto& s = pool.rent();
  EXPECT_TRUE(vt::value_task<int>(s, 0) == vt::value_task<int>(s, 0));
  EXPECT_FALSE(vt::value_task<int>(s, 0) == vt::value_task<int>(s, 1));
  EXPECT_TRUE(vt::value_task<void>() == vt::value_task<void>());
}

// The pooling builder.
vt::value_task<int> sync_body(int x) { co_return x + 1; }
vt::value_task<int> sync_throw() {
  throw std::runtime_error("sync");
  co_return 0;
}
vt::value_task<int> sync_cancel() {
  throw vt::operation_canceled();
  co_return 0;
}
vt::value_task<int> awaits_source(vt::pooled_source<int>& s) { co_return co_await vt::value_task<int>(s, s.version()) * 2; }
vt::value_task<int> awaits_completed_task() { co_return co_await vt::task<int>::from_result(3); }

TEST(value_task_coroutine, completes_synchronously_as_result_backed) {
  auto vt = sync_body(1);
  EXPECT_EQ(vt.kind(), rep::result);
  EXPECT_EQ(vt.result(), 2);
  auto v2 = awaits_completed_task();  // an await that does not suspend attaches nothing
  EXPECT_EQ(v2.kind(), rep::result);
  EXPECT_EQ(v2.result(), 3);
}

TEST(value_task_coroutine, throws_synchronously_as_task_backed) {
  auto f = sync_throw();
  EXPECT_EQ(f.kind(), rep::task);
  EXPECT_TRUE(f.is_faulted());
  auto c = sync_cancel();
  EXPECT_EQ(c.kind(), rep::task);
  EXPECT_TRUE(c.is_canceled());
}

TEST(value_task_coroutine, suspends_as_source_backed_on_a_pooled_source) {
  vt::source_pool<int> pool;
  auto& s = pool.rent();
  auto vt = awaits_source(s);
  EXPECT_EQ(vt.kind(), rep::source);
  auto copy = vt;
  s.set_result(21);
  EXPECT_EQ(vt.result(), 42);
  EXPECT_THROW((void)copy.result(), invalid_operation);  // the coroutine's source moved on
}

vt::value_task<int> awaiter_of(vt::value_task<int> vt, int& resumed) {
  int v = co_await vt;
  ++resumed;
  co_return v;
}

TEST(value_task_coroutine, second_awaiter_gets_invalid_operation_first_still_resumes) {
  vt::source_pool<int> pool;
  auto& s = pool.rent();
  vt::value_task<int> shared(s, 0);
  int first_resumed = 0, second_resumed = 0;
  auto first = awaiter_of(shared, first_resumed);
  auto second = awaiter_of(shared, second_resumed);
  EXPECT_TRUE(second.is_faulted());
  EXPECT_THROW((void)second.result(), invalid_operation);
  s.set_result(5);
  EXPECT_EQ(first_resumed, 1);
  EXPECT_EQ(second_resumed, 0);
  EXPECT_EQ(first.result(), 5);
}

vt::value_task<void> void_body(vt::pooled_source<void>& s, int& steps) {
  ++steps;
  co_await vt::value_task<void>(s, s.version());
  ++steps;
}

TEST(value_task_coroutine, void_results) {
  vt::source_pool<void> pool;
  auto& s = pool.rent();
  int steps = 0;
  auto vt = void_body(s, steps);
  EXPECT_EQ(steps, 1);
  s.set_result();
  EXPECT_EQ(steps, 2);
  vt.result();
}

vt::value_task<int> faults_after_suspending(vt::pooled_source<int>& s) {
  co_await vt::value_task<int>(s, s.version());
  throw std::runtime_error("late");
}

TEST(value_task_coroutine, faults_after_suspending) {
  vt::source_pool<int> pool;
  auto& s = pool.rent();
  auto vt = faults_after_suspending(s);
  s.set_result(1);
  EXPECT_TRUE(vt.is_faulted());
  EXPECT_THROW((void)vt.result(), std::runtime_error);
}

vt::value_task<int> canceled_after_suspending(vt::pooled_source<int>& s) {
  co_await vt::value_task<int>(s, s.version());
  throw vt::operation_canceled();
}

TEST(value_task_coroutine, canceled_after_suspending) {
  vt::source_pool<int> pool;
  auto& s = pool.rent();
  auto vt = canceled_after_suspending(s);
  s.set_result(1);
  EXPECT_TRUE(vt.is_canceled());
  EXPECT_THROW((void)vt.result(), vt::operation_canceled);
}

TEST(value_task_coroutine, stale_handle_stays_memory_safe_after_recycling) {
  vt::source_pool<int> pool;
  auto& s = pool.rent();
  auto vt = awaits_source(s);
  auto copy = vt;
  s.set_result(1);
  vt.result();
  // The coroutine's pooled source is idle (and poisoned); the stale copy only reads
  // its version, which ASan would flag if validation touched the outcome.
  for (int i = 0; i < 3; ++i) {
    EXPECT_THROW((void)copy.status(), invalid_operation);
    EXPECT_THROW((void)copy.result(), invalid_operation);
    EXPECT_THROW((void)copy.as_task(), invalid_operation);
  }
}

}  // namespace
