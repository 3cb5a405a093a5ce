#pragma once
// The thread_pool's queue: items posted from any thread, taken by its workers, and a wait
// for the moment nothing is queued or running. Built on detail/sync.hpp's names, so that
// the model check (tests/model_check/thread_pool_checks.cpp) explores the protocol: a post
// must wake a sleeping worker, the last item's end must wake wait_idle, and wait_idle must
// see everything the items wrote.
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

#include <vt/detail/sync.hpp>
#include <vt/executor.hpp>

namespace vt::detail {

class work_queue {
public:
  struct item {
    continuation_fn fn;
    void* state;
  };

  void push(item work);
  // The next item, counted as running until finish(); nothing once stopped and empty.
  // Blocks while the queue is empty.
  std::optional<item> take();
  // The item take() returned has run (or thrown).
  void finish() noexcept;
  // Returns when nothing is queued and no item is running.
  void wait_idle();
  // take() returns nothing once the queue is empty.
  void stop();

private:
  bool idle_locked() const { return busy_ == 0 && empty_locked(); }
  bool empty_locked() const {
    queue_access_.read();
    return queue_.empty();
  }

  mutex mutex_;
  atomic<std::size_t> unfinished_{0};  // queued or running items, readable without the lock
  condition_variable work_available_;
  condition_variable idle_;
  std::deque<item> queue_;
  access_marker queue_access_;     // the queue, to the model: touched only under the lock
  shared_field<unsigned> busy_;    // items taken and not finished
  shared_field<bool> stopping_;
};

}  // namespace vt::detail
