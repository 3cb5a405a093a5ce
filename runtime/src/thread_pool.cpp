#include <algorithm>

#include <vt/thread_pool.hpp>
#include <vt/detail/thread_reach.hpp>

namespace vt {

namespace {
// Waking a sleeping thread costs a futex call and a context switch; work that comes back
// within a short while is caught awake (yielding, so the cores stay shared).
template <class Condition>
void spin_until(Condition done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(50);
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return;
    std::this_thread::yield();
  }
}
}  // namespace

unsigned thread_pool::default_thread_count() noexcept {
  return std::max(2u, std::thread::hardware_concurrency());
}

thread_pool::thread_pool(unsigned thread_count) {
  thread_count = std::max(1u, thread_count);
  workers_.reserve(thread_count);
  for (unsigned i = 0; i < thread_count; ++i) workers_.emplace_back([this] { work_loop(); });
  timer_thread_ = std::thread([this] { timer_loop(); });
}

thread_pool::~thread_pool() {
  {
    std::lock_guard lock(timer_mutex_);
    timers_stopping_ = true;
  }
  timer_changed_.notify_all();
  timer_thread_.join();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_available_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void thread_pool::post(continuation_fn fn, void* state) {
  detail::note_crossing(detail::crossing::thread_pool_queue);
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({fn, state});
    unfinished_.fetch_add(1, std::memory_order_relaxed);
  }
  work_available_.notify_one();
}

void thread_pool::post_after(std::chrono::nanoseconds delay, continuation_fn fn, void* state) {
  if (delay <= std::chrono::nanoseconds::zero()) {
    post(fn, state);
    return;
  }
  detail::note_crossing(detail::crossing::thread_pool_timers);
  {
    std::lock_guard lock(timer_mutex_);
    timers_.push_back({std::chrono::steady_clock::now() + delay, {fn, state}});
  }
  timer_changed_.notify_all();
}

void thread_pool::work_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (queue_.empty() && !stopping_) {
      lock.unlock();
      spin_until([this] { return unfinished_.load(std::memory_order_relaxed) != 0; });
      lock.lock();
    }
    work_available_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything queued has run
    const item next = queue_.front();
    queue_.pop_front();
    ++busy_;
    lock.unlock();
    struct settle {  // also when the item throws
      thread_pool& pool;
      std::unique_lock<std::mutex>& lock;
      ~settle() {
        lock.lock();
        pool.unfinished_.fetch_sub(1, std::memory_order_release);
        if (--pool.busy_ == 0 && pool.queue_.empty()) pool.idle_.notify_all();
      }
    } settled{*this, lock};
    detail::note_crossing(detail::crossing::thread_pool_queue);
    next.fn(next.state);
  }
}

void thread_pool::wait_idle() {
  spin_until([this] { return unfinished_.load(std::memory_order_acquire) == 0; });
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return busy_ == 0 && queue_.empty(); });
}

void thread_pool::timer_loop() {
  std::unique_lock lock(timer_mutex_);
  while (!timers_stopping_) {
    if (timers_.empty()) {
      timer_changed_.wait(lock);
      continue;
    }
    const auto earliest = std::min_element(timers_.begin(), timers_.end(),
                                           [](const timer& a, const timer& b) { return a.due < b.due; });
    if (earliest->due > std::chrono::steady_clock::now()) {
      timer_changed_.wait_until(lock, earliest->due);
      continue;
    }
    const item work = earliest->work;
    timers_.erase(earliest);
    lock.unlock();
    detail::note_crossing(detail::crossing::thread_pool_timers);
    post(work.fn, work.state);
    lock.lock();
  }
}

}  // namespace vt
