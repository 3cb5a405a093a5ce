// Allocation counts (the runtime's cost model): the value_task synchronous path and the
// pooled source round trip allocate nothing in steady state; a task call allocates.
#include <gtest/gtest.h>

#include <vt/vt.hpp>
#if defined(VT_ASAN)
#include <sanitizer/lsan_interface.h>
#endif

#include "support/allocation_counter.hpp"

namespace {

constexpr int iterations = 1000;

vt::value_task<int> cached(int key) { co_return key * 3; }

vt::value_task<long> consume_cached() {
  long sum = 0;
  for (int i = 0; i < iterations; ++i) sum += co_await cached(i);
  co_return sum;
}

vt::task<int> cached_task(int key) { co_return key * 3; }

TEST(allocations, result_backed_value_task_needs_no_coroutine_or_heap) {
  vt_test::allocation_scope scope;
  long sum = 0;
  for (int i = 0; i < iterations; ++i) sum += vt::value_task<int>::from_result(i).result();
  EXPECT_EQ(sum, long{iterations} * (iterations - 1) / 2);
  EXPECT_EQ(scope.count(), 0u);
}

TEST(allocations, synchronous_value_task_coroutines_allocate_nothing_in_steady_state) {
  if (!VT_FRAME_POOL) GTEST_SKIP() << "built with VT_FRAME_POOL=OFF";
  (void)consume_cached().result();  // warm the frame pool
  vt_test::allocation_scope scope;
  (void)consume_cached().result();
  EXPECT_EQ(scope.count(), 0u);
}

TEST(allocations, task_coroutines_allocate_every_call) {
  vt_test::allocation_scope scope;
  for (int i = 0; i < iterations; ++i) (void)cached_task(i).result();
  EXPECT_GE(scope.count(), static_cast<std::size_t>(iterations));
}

TEST(allocations, pooled_source_round_trip_allocates_nothing_in_steady_state) {
  vt::source_pool<int> pool;
  auto round_trip = [&](int i) {
    auto& source = pool.rent();
    vt::value_task<int> vt(source, source.version());
    source.set_result(i);
    return vt.result();
  };
  round_trip(0);
  vt_test::allocation_scope scope;
  for (int i = 0; i < iterations; ++i) EXPECT_EQ(round_trip(i), i);
  EXPECT_EQ(scope.count(), 0u);
}

vt::value_task<int> miss(vt::pooled_source<int>& s) { co_return co_await vt::value_task<int>(s, s.version()); }

TEST(allocations, suspending_value_task_coroutines_allocate_nothing_in_steady_state) {
  if (!VT_FRAME_POOL) GTEST_SKIP() << "built with VT_FRAME_POOL=OFF";
  vt::source_pool<int> pool;
  auto cycle = [&](int i) {
    auto& s = pool.rent();
    auto vt = miss(s);
    s.set_result(i);
    return vt.result();
  };
  cycle(0);
  vt_test::allocation_scope scope;
  for (int i = 0; i < iterations; ++i) EXPECT_EQ(cycle(i), i);
  EXPECT_EQ(scope.count(), 0u);
}

TEST(allocations, idle_frames_are_poisoned) {
#if defined(VT_ASAN) && VT_FRAME_POOL
  void* frame = vt::detail::allocate_frame(100);
  vt::detail::deallocate_frame(frame, 100);
  EXPECT_TRUE(__asan_address_is_poisoned(static_cast<char*>(frame) + 8));
  void* again = vt::detail::allocate_frame(100);
  EXPECT_EQ(again, frame);
  EXPECT_FALSE(__asan_address_is_poisoned(static_cast<char*>(again) + 8));
  vt::detail::deallocate_frame(again, 100);
#else
  GTEST_SKIP() << "needs AddressSanitizer and the frame pool";
#endif
}

// Idle frames sit in a per-thread chain whose links live inside the (poisoned) frames:
// LeakSanitizer must still follow it, or a long-lived thread's cache reads as leaked
// frames (what fuzzing campaigns reported before the link word stayed unpoisoned).
TEST(allocations, cached_frames_are_not_reported_as_leaks) {
#if defined(VT_ASAN) && VT_FRAME_POOL
  void* frames[4];
  for (void*& frame : frames) frame = vt::detail::allocate_frame(200);
  for (void*& frame : frames) {
    vt::detail::deallocate_frame(frame, 200);
    *static_cast<void* volatile*>(&frame) = nullptr;  // only the cache may point at them now
  }
  EXPECT_EQ(__lsan_do_recoverable_leak_check(), 0);
#else
  GTEST_SKIP() << "needs AddressSanitizer and the frame pool";
#endif
}

}  // namespace
