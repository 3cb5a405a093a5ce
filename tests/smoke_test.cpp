#include <gtest/gtest.h>

#include <vt/vt.hpp>

namespace {

vt::value_task<int> immediate(int x) { co_return x * 2; }

vt::value_task<int> awaits_source(vt::pooled_source<int>& source) {
  co_return co_await vt::value_task<int>(source, source.version()) + 1;
}

vt::task<int> task_immediate(int x) { co_return x + 3; }

TEST(smoke, value_task_sync_and_async) {
  auto vt1 = immediate(21);
  EXPECT_EQ(vt1.kind(), vt::value_task<int>::representation::result);
  EXPECT_EQ(vt1.result(), 42);

  vt::source_pool<int> pool;
  auto& source = pool.rent();
  auto vt2 = awaits_source(source);
  EXPECT_EQ(vt2.kind(), vt::value_task<int>::representation::source);
  EXPECT_FALSE(vt2.is_completed());
  source.set_result(9);
  EXPECT_TRUE(vt2.is_completed());
  EXPECT_EQ(vt2.result(), 10);
  EXPECT_THROW(vt2.result(), vt::invalid_operation);

  auto t = task_immediate(4);
  EXPECT_EQ(t.result(), 7);
  EXPECT_EQ(vt::sync_wait(t), 7);
}

}  // namespace
