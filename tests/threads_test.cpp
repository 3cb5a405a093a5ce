// Real threads: completion racing registration, pools shared across threads, awaits
// completed on a thread_pool. Also run under ThreadSanitizer (ctest label: threads).
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>
#include <vector>

#include <vt/vt.hpp>

namespace {

constexpr int race_rounds = 2000;

TEST(threads, completion_racing_registration_runs_the_continuation_exactly_once) {
  vt::manual_reset_value_task_source_core<int> core;
  std::atomic<int> runs{0};
  std::barrier sync(2);
  std::thread completer([&] {
    for (int round = 0; round < race_rounds; ++round) {
      sync.arrive_and_wait();
      core.set_result(round);
      sync.arrive_and_wait();
    }
  });
  for (int round = 0; round < race_rounds; ++round) {
    sync.arrive_and_wait();
    core.on_completed([](void* r) { static_cast<std::atomic<int>*>(r)->fetch_add(1); }, &runs, core.version(),
                      vt::on_completed_flags::none);
    sync.arrive_and_wait();
    // Either ran inline in set_result or was posted to the default executor.
    while (runs.load() != round + 1) std::this_thread::yield();
    EXPECT_EQ(core.get_result(core.version()), round);
    core.reset();
  }
  completer.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(runs.load(), race_rounds);
}

vt::task<int> awaits_pooled(vt::pooled_source<int>& s) {
  co_return co_await vt::value_task<int>(s, s.version()).configure_await(false);
}

TEST(threads, awaits_completed_from_a_thread_pool_see_every_result) {
  vt::thread_pool workers(2);
  vt::source_pool<int> pool;
  for (int round = 0; round < 200; ++round) {
    std::vector<vt::task<int>> tasks;
    std::vector<vt::pooled_source<int>*> sources;
    for (int i = 0; i < 8; ++i) {
      sources.push_back(&pool.rent());
      tasks.push_back(awaits_pooled(*sources.back()));
    }
    for (int i = 0; i < 8; ++i) {
      (void)vt::run(workers, [s = sources[i], i, round] { s->set_result(round * 8 + i); });
    }
    auto all = vt::sync_wait(vt::when_all(tasks));
    for (int i = 0; i < 8; ++i) EXPECT_EQ(all[i], round * 8 + i);
  }
  auto stats = pool.statistics();
  EXPECT_EQ(stats.rented, stats.returned);
}

vt::value_task<int> value_awaits_pooled(vt::pooled_source<int>& s) {
  co_return co_await vt::value_task<int>(s, s.version()).configure_await(false) + 1;
}

vt::task<int> completes_at_once(int value) { co_return value; }

TEST(threads, synchronously_completed_tasks_are_read_and_released_on_other_threads) {
  // A body that never suspends publishes with plain stores, and a sole owner frees without a
  // locked decrement: copies read and dropped on two workers while this thread drops its own
  // must each see the result, and the state must be freed exactly once (ASan, TSan).
  vt::thread_pool workers(2);
  for (int round = 0; round < race_rounds; ++round) {
    vt::task<int> t = completes_at_once(round);
    std::atomic<int> seen{0};
    auto read = [t, &seen] { seen.fetch_add(t.result(), std::memory_order_relaxed); };
    vt::task<void> first = vt::run(workers, read);
    vt::task<void> second = vt::run(workers, read);
    t = vt::task<int>();  // this thread's handle goes while the workers may still hold theirs
    vt::sync_wait(vt::when_all(first, second));
    EXPECT_EQ(seen.load(), 2 * round);
  }
}

TEST(threads, value_task_coroutines_completed_on_other_threads_hand_over_safely) {
  // The body may finish on a worker before the caller has converted the return proxy.
  vt::thread_pool workers(2);
  vt::source_pool<int> pool;
  for (int round = 0; round < 2000; ++round) {
    auto& s = pool.rent();
    (void)vt::run(workers, [&s, round] { s.set_result(round); });
    auto vt = value_awaits_pooled(s);
    EXPECT_EQ(vt::sync_wait(vt), round + 1);
  }
}

TEST(threads, pools_are_shared_safely) {
  vt::source_pool<int> pool;
  std::atomic<long> total{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        auto& s = pool.rent();
        vt::value_task<int> vt(s, s.version());
        s.set_result(t);
        total += vt.result();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(total.load(), 2000L * (0 + 1 + 2 + 3));
  auto stats = pool.statistics();
  EXPECT_EQ(stats.rented, 8000u);
  EXPECT_EQ(stats.returned, 8000u);
  EXPECT_LE(stats.created, 4u);
}

TEST(threads, thread_pool_runs_everything_posted_before_destruction) {
  std::atomic<int> runs{0};
  {
    vt::thread_pool workers(3);
    EXPECT_EQ(workers.thread_count(), 3u);
    for (int i = 0; i < 1000; ++i) {
      workers.post([](void* r) { static_cast<std::atomic<int>*>(r)->fetch_add(1); }, &runs);
    }
  }
  EXPECT_EQ(runs.load(), 1000);
}

}  // namespace

namespace {

// Regression: post() used to notify after unlocking, so the owner could run the item and
// destroy the scheduler while the posting thread was still inside notify_all.
TEST(threads, a_scheduler_may_be_destroyed_as_soon_as_its_last_item_ran) {
  for (int round = 0; round < 500; ++round) {
    auto scheduler = std::make_unique<vt::manual_scheduler>();
    std::atomic<bool> ran{false};
    std::thread poster([&] { scheduler->post([](void* r) { static_cast<std::atomic<bool>*>(r)->store(true); }, &ran); });
    while (!ran.load()) scheduler->run_one();
    scheduler.reset();  // the poster may still be returning from post()
    poster.join();
  }
}

}  // namespace
