// The thread_pool's queue across threads (vt::detail::work_queue): a post wakes a worker
// that sleeps on an empty queue, so does a stop, and wait_idle returns only after the last
// item has run, seeing what it wrote. A lost wake-up is a deadlock Relacy reports; a
// wait_idle that returns early reads the item's write unordered, a data race.
#include "families.hpp"

#include <vt/detail/work_queue.hpp>

namespace vt_model_check {

namespace {

struct recorded_item {
  vt::detail::shared_field<int> written;  // plain data the item writes
  vt::detail::atomic<int> runs{0};
  static void run(void* self) {
    auto* item = static_cast<recorded_item*>(self);
    item->written = 7;
    item->runs.fetch_add(1, std::memory_order_relaxed);
  }
};

// A worker's loop, as thread_pool runs it.
void work_until_stopped(vt::detail::work_queue& queue) {
  while (const auto next = queue.take()) {
    next->fn(next->state);
    queue.finish();
  }
}

// One thread posts an item; a worker, possibly asleep on the empty queue by then, takes
// it and runs it exactly once.
struct post_wakes_a_sleeping_worker : rl::test_suite<post_wakes_a_sleeping_worker, 2> {
  vt::detail::work_queue* queue;
  recorded_item* item;
  void before() {
    queue = new vt::detail::work_queue();
    item = new recorded_item();
  }
  void thread(unsigned index) {
    if (index == 0) {
      queue->push({&recorded_item::run, item});
    } else {
      const auto next = queue->take();
      RL_ASSERT(next.has_value());
      next->fn(next->state);
      queue->finish();
    }
  }
  void after() {
    RL_ASSERT(item->runs.load(std::memory_order_relaxed) == 1);
    delete item;
    delete queue;
  }
};

// One thread stops the queue while a worker may be asleep on it: the worker ends.
struct stop_ends_a_sleeping_worker : rl::test_suite<stop_ends_a_sleeping_worker, 2> {
  vt::detail::work_queue* queue;
  void before() { queue = new vt::detail::work_queue(); }
  void thread(unsigned index) {
    if (index == 0) {
      queue->stop();
    } else {
      work_until_stopped(*queue);
    }
  }
  void after() { delete queue; }
};

// One thread posts two items and waits for the queue to be idle; a worker runs them.
// wait_idle returns after both ran, and sees what they wrote.
struct wait_idle_vs_the_last_item : rl::test_suite<wait_idle_vs_the_last_item, 2> {
  vt::detail::work_queue* queue;
  recorded_item* items;
  void before() {
    queue = new vt::detail::work_queue();
    items = new recorded_item[2];
  }
  void thread(unsigned index) {
    if (index == 0) {
      queue->push({&recorded_item::run, &items[0]});
      queue->push({&recorded_item::run, &items[1]});
      queue->wait_idle();
      RL_ASSERT(static_cast<int>(items[0].written) == 7 && static_cast<int>(items[1].written) == 7);
      queue->stop();
    } else {
      work_until_stopped(*queue);
    }
  }
  void after() {
    RL_ASSERT(items[0].runs.load(std::memory_order_relaxed) == 1 && items[1].runs.load(std::memory_order_relaxed) == 1);
    delete[] items;
    delete queue;
  }
};

}  // namespace

std::span<const check> thread_pool_checks() {
  static const check checks[] = {
      make_check<post_wakes_a_sleeping_worker>("post_wakes_a_sleeping_worker"),
      make_check<stop_ends_a_sleeping_worker>("stop_ends_a_sleeping_worker"),
      make_check<wait_idle_vs_the_last_item>("wait_idle_vs_the_last_item"),
  };
  return checks;
}

}  // namespace vt_model_check
