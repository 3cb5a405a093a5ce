#include <chrono>
#include <thread>

#include <vt/detail/thread_reach.hpp>
#include <vt/detail/work_queue.hpp>

namespace vt::detail {

namespace {
// Waking a sleeping thread costs a futex call and a context switch; work that comes back
// within a short while is caught awake (yielding, so the cores stay shared). Only a
// shortcut: the waits after it decide, so the model check leaves it out.
template <class Condition>
void spin_until([[maybe_unused]] Condition done) {
#if !defined(VT_MODEL_CHECK)
  const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(50);
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return;
    std::this_thread::yield();
  }
#endif
}
}  // namespace

void work_queue::push(item work) {
  note_crossing(crossing::thread_pool_queue);
  {
    std::lock_guard lock(mutex_);
    queue_access_.write();
    queue_.push_back(work);
    unfinished_.fetch_add(1, std::memory_order_relaxed);
  }
  work_available_.notify_one();
}

std::optional<work_queue::item> work_queue::take() {
  std::unique_lock lock(mutex_);
  if (empty_locked() && !stopping_) {
    lock.unlock();
    spin_until([this] { return unfinished_.load(std::memory_order_relaxed) != 0; });
    lock.lock();
  }
  work_available_.wait(lock, [this] { return stopping_ || !empty_locked(); });
  if (empty_locked()) return std::nullopt;  // stopping, and everything queued has run
  queue_access_.write();
  const item next = queue_.front();
  queue_.pop_front();
  busy_ = busy_ + 1;
  note_crossing(crossing::thread_pool_queue);
  return next;
}

void work_queue::finish() noexcept {
  std::lock_guard lock(mutex_);
  unfinished_.fetch_sub(1, std::memory_order_release);
  busy_ = busy_ - 1;
  if (idle_locked()) idle_.notify_all();
}

void work_queue::wait_idle() {
  spin_until([this] { return unfinished_.load(std::memory_order_acquire) == 0; });
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return idle_locked(); });
}

void work_queue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_available_.notify_all();
}

}  // namespace vt::detail
