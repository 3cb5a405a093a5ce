// No stack growth with synchronous completions (docs/semantics.md section 6): a loop of
// 1,000,000 synchronous co_awaits, and a chain of 100,000 nested awaits resumed inline
// and then destroyed, where every frame owns its child as a parameter.
#include <gtest/gtest.h>

#include <vt/vt.hpp>

namespace {

constexpr int sync_loop_count = 1'000'000;
constexpr int chain_depth = 100'000;

vt::value_task<int> sync_value(int i) { co_return i & 1; }
vt::task<int> sync_task(int i) { co_return i & 1; }

vt::value_task<long> value_task_loop() {
  long sum = 0;
  for (int i = 0; i < sync_loop_count; ++i) sum += co_await sync_value(i);
  co_return sum;
}

vt::task<long> task_loop() {
  long sum = 0;
  for (int i = 0; i < sync_loop_count; ++i) sum += co_await sync_task(i);
  co_return sum;
}

TEST(stack_depth, million_synchronous_value_task_awaits) {
  EXPECT_EQ(vt::sync_wait(value_task_loop()), sync_loop_count / 2);
}

TEST(stack_depth, million_synchronous_task_awaits) { EXPECT_EQ(vt::sync_wait(task_loop()), sync_loop_count / 2); }

vt::task<int> task_leaf(vt::pooled_source<int>& s) { co_return co_await vt::value_task<int>(s, s.version()); }
vt::task<int> task_level(vt::task<int> child) { co_return co_await child + 1; }

TEST(stack_depth, task_chain_resumed_inline_then_destroyed) {
  vt::source_pool<int> pool;
  auto& s = pool.rent();
  vt::task<int> top = task_leaf(s);
  for (int i = 0; i < chain_depth; ++i) top = task_level(std::move(top));
  EXPECT_FALSE(top.is_completed());
  s.set_result(0);  // resumes 100,000 frames, each completion inline
  EXPECT_EQ(top.result(), chain_depth);
  top = vt::task<int>();  // the last handle: 100,000 frames torn down
}

vt::value_task<int> value_leaf(vt::pooled_source<int>& s) { co_return co_await vt::value_task<int>(s, s.version()); }
vt::value_task<int> value_level(vt::value_task<int> child) { co_return co_await child + 1; }

TEST(stack_depth, value_task_chain_resumed_inline_then_destroyed) {
  vt::source_pool<int> pool;
  auto& s = pool.rent();
  vt::value_task<int> top = value_leaf(s);
  for (int i = 0; i < chain_depth; ++i) top = value_level(std::move(top));
  EXPECT_FALSE(top.is_completed());
  s.set_result(0);
  EXPECT_EQ(top.result(), chain_depth);
}

vt::task<int> destroy_only_level(vt::task<int> child) { co_return co_await child; }

TEST(stack_depth, pending_task_chain_teardown_is_iterative) {
  // Completed bottom-up, but the frames stay alive through the handles they own until
  // the top one goes.
  vt::task<int> top = vt::task<int>::from_result(1);
  for (int i = 0; i < chain_depth; ++i) top = destroy_only_level(std::move(top));
  EXPECT_EQ(top.result(), 1);
}

}  // namespace
