#pragma once
// N worker threads over one queue, plus a timer thread for delayed posts.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

#include <vt/executor.hpp>
#include <vt/detail/work_queue.hpp>

namespace vt {

class thread_pool final : public executor {
public:
  explicit thread_pool(unsigned thread_count = default_thread_count());
  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;
  // Runs what is already queued, drops timers not yet due, then joins every thread.
  ~thread_pool();

  void post(continuation_fn fn, void* state) override;
  void post_after(std::chrono::nanoseconds delay, continuation_fn fn, void* state);

  // Blocks until nothing is queued and no worker is running an item (timers not yet due
  // are not waited for). For tests and harnesses that need a settled state.
  void wait_idle();

  unsigned thread_count() const noexcept { return static_cast<unsigned>(workers_.size()); }
  static unsigned default_thread_count() noexcept;

private:
  struct timer {
    std::chrono::steady_clock::time_point due;
    detail::work_queue::item work;
  };

  void work_loop();
  void timer_loop();

  detail::work_queue queue_;

  std::mutex timer_mutex_;
  std::condition_variable timer_changed_;
  std::vector<timer> timers_;
  bool timers_stopping_ = false;

  std::vector<std::thread> workers_;
  std::thread timer_thread_;
};

// default_executor() as the thread_pool it is (its wait_idle() waits for what was posted
// to it to finish), started on first use and never destroyed.
thread_pool& default_thread_pool();

}  // namespace vt
