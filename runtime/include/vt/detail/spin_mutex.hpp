#pragma once
// A lock for critical sections of a few instructions (a source pool's free list): one
// locked exchange to take it and a plain store to give it back, where std::mutex makes a
// locked instruction of each. A waiter yields its core, so a preempted holder can finish.
#include <atomic>
#include <thread>

namespace vt::detail {

class spin_mutex {
public:
  void lock() noexcept {
    while (locked_.exchange(true, std::memory_order_acquire)) {
      while (locked_.load(std::memory_order_relaxed)) std::this_thread::yield();
    }
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

private:
  std::atomic<bool> locked_{false};
};

}  // namespace vt::detail
