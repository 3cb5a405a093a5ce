#pragma once
// A deterministic single-thread run queue with virtual time. Other threads may post;
// only the owning thread runs items. Which ready item runs next is the chooser's call,
// so a schedule replays exactly from its list of choices.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include <vt/detail/sync.hpp>
#include <vt/executor.hpp>
#include <vt/schedule_chooser.hpp>

namespace vt {

class manual_scheduler final : public executor {
public:
  using duration = std::chrono::nanoseconds;

  manual_scheduler();
  explicit manual_scheduler(std::unique_ptr<schedule_chooser> chooser);
  manual_scheduler(const manual_scheduler&) = delete;
  manual_scheduler& operator=(const manual_scheduler&) = delete;
  ~manual_scheduler();  // items still queued are dropped, not run

  void post(continuation_fn fn, void* state) override;
  // Ready once the virtual clock reaches `due`.
  void post_at(duration due, continuation_fn fn, void* state);

  // Runs one ready item (advancing the clock to the earliest timer when none is ready).
  // False when nothing is queued.
  bool run_one();
  std::size_t run_until_idle();

  std::size_t pending() const;  // ready items plus timers
  std::size_t ready_count() const;
  duration now() const;

  void set_chooser(std::unique_ptr<schedule_chooser> chooser);
  schedule_chooser& chooser() noexcept { return *chooser_; }

  // Blocks until work is posted or `stop()` holds; `stop` is called with the lock held.
  template <class Predicate>
  void wait_for_work(Predicate stop) {
    std::unique_lock lock(mutex_);
    work_posted_.wait(lock, [&] { return !ready_.empty() || !timers_.empty() || stop(); });
  }
  // Wakes wait_for_work after another thread changed what its predicate reads.
  void notify();

private:
  struct item {
    continuation_fn fn;
    void* state;
  };
  struct timer {
    duration due;
    std::uint64_t sequence;
    item work;
  };

  mutable detail::mutex mutex_;
  detail::condition_variable work_posted_;
  std::vector<item> ready_;
  std::vector<timer> timers_;  // unordered; the earliest is searched (timers are few)
  std::uint64_t timer_sequence_ = 0;
  duration now_{0};
  std::unique_ptr<schedule_chooser> chooser_;
};

}  // namespace vt
