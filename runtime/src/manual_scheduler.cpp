#include <algorithm>

#include <vt/manual_scheduler.hpp>
#include <vt/detail/thread_reach.hpp>

namespace vt {

manual_scheduler::manual_scheduler() : manual_scheduler(std::make_unique<fifo_chooser>()) {}

manual_scheduler::manual_scheduler(std::unique_ptr<schedule_chooser> chooser) : chooser_(std::move(chooser)) {
  if (!chooser_) chooser_ = std::make_unique<fifo_chooser>();
}

manual_scheduler::~manual_scheduler() = default;

// Notifies with the lock held: once the owner can see the item it may run it, finish and
// destroy this scheduler, so the poster must not touch it after unlocking.
void manual_scheduler::post(continuation_fn fn, void* state) {
  detail::note_crossing(detail::crossing::scheduler_queue);
  std::lock_guard lock(mutex_);
  ready_.push_back({fn, state});
  work_posted_.notify_all();
}

void manual_scheduler::post_at(duration due, continuation_fn fn, void* state) {
  detail::note_crossing(detail::crossing::scheduler_queue);
  std::lock_guard lock(mutex_);
  timers_.push_back({std::max(due, now_), timer_sequence_++, {fn, state}});
  work_posted_.notify_all();
}

bool manual_scheduler::run_one() {
  detail::note_crossing(detail::crossing::scheduler_queue);
  item next{};
  {
    std::lock_guard lock(mutex_);
    if (ready_.empty()) {
      if (timers_.empty()) return false;
      // Nothing ready: advance virtual time to the earliest timer, release all due then.
      const auto earliest = std::min_element(timers_.begin(), timers_.end(), [](const timer& a, const timer& b) {
        return a.due < b.due || (a.due == b.due && a.sequence < b.sequence);
      });
      now_ = earliest->due;
      std::vector<timer> due;
      std::erase_if(timers_, [&](const timer& t) {
        if (t.due > now_) return false;
        due.push_back(t);
        return true;
      });
      std::sort(due.begin(), due.end(), [](const timer& a, const timer& b) { return a.sequence < b.sequence; });
      for (const timer& t : due) ready_.push_back(t.work);
    }
    const std::size_t index = ready_.size() == 1 ? 0 : chooser_->choose(ready_.size()) % ready_.size();
    next = ready_[index];
    ready_.erase(ready_.begin() + static_cast<std::ptrdiff_t>(index));
  }
  next.fn(next.state);
  return true;
}

std::size_t manual_scheduler::run_until_idle() {
  std::size_t ran = 0;
  while (run_one()) ++ran;
  return ran;
}

std::size_t manual_scheduler::pending() const {
  std::lock_guard lock(mutex_);
  return ready_.size() + timers_.size();
}

std::size_t manual_scheduler::ready_count() const {
  std::lock_guard lock(mutex_);
  return ready_.size();
}

manual_scheduler::duration manual_scheduler::now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

void manual_scheduler::set_chooser(std::unique_ptr<schedule_chooser> chooser) {
  std::lock_guard lock(mutex_);
  chooser_ = chooser ? std::move(chooser) : std::make_unique<fifo_chooser>();
}

void manual_scheduler::notify() {
  std::lock_guard lock(mutex_);
  work_posted_.notify_all();
}

}  // namespace vt
