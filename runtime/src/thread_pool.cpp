#include <algorithm>
#include <optional>

#include <vt/thread_pool.hpp>
#include <vt/detail/thread_reach.hpp>

namespace vt {

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
  queue_.stop();
  for (auto& worker : workers_) worker.join();
}

void thread_pool::post(continuation_fn fn, void* state) { queue_.push({fn, state}); }

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
  while (const std::optional<detail::work_queue::item> next = queue_.take()) {
    struct settle {  // also when the item throws
      detail::work_queue& queue;
      ~settle() { queue.finish(); }
    } settled{queue_};
    next->fn(next->state);
  }
}

void thread_pool::wait_idle() { queue_.wait_idle(); }

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
    const detail::work_queue::item work = earliest->work;
    timers_.erase(earliest);
    lock.unlock();
    detail::note_crossing(detail::crossing::thread_pool_timers);
    post(work.fn, work.state);
    lock.lock();
  }
}

}  // namespace vt
