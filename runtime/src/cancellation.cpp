#include <atomic>
#include <mutex>
#include <utility>
#include <vector>

#include <vt/cancellation.hpp>
#include <vt/detail/sync.hpp>
#include <vt/errors.hpp>
#include <vt/detail/thread_reach.hpp>

namespace vt {
namespace detail {

class cancellation_state {
public:
  bool is_canceled() const noexcept { return canceled_.load(std::memory_order_acquire); }

  // 0 when already canceled (the caller runs the callback itself).
  std::uint64_t add(std::function<void()>& callback) {
    note_crossing(crossing::cancellation_callbacks);
    std::lock_guard lock(mutex_);
    if (is_canceled()) return 0;
    const std::uint64_t id = ++last_id_;
    callbacks_.emplace_back(id, std::move(callback));
    return id;
  }

  bool remove(std::uint64_t id) noexcept {
    note_crossing(crossing::cancellation_callbacks);
    std::lock_guard lock(mutex_);
    for (auto it = callbacks_.begin(); it != callbacks_.end(); ++it) {
      if (it->first == id) {
        callbacks_.erase(it);
        return true;
      }
    }
    return false;
  }

  // Runs every callback once, latest registration first. Each is taken off the list just
  // before it runs, so unregister() prevents any callback not yet started. A callback
  // that throws does not stop the others: their exceptions come out together at the end.
  void cancel() {
    note_crossing(crossing::cancellation_callbacks);
    {
      std::lock_guard lock(mutex_);
      if (is_canceled()) return;
      canceled_.store(true, std::memory_order_release);
    }
    std::vector<std::exception_ptr> errors;
    for (;;) {
      std::function<void()> callback;
      {
        std::lock_guard lock(mutex_);
        if (callbacks_.empty()) break;
        callback = std::move(callbacks_.back().second);
        callbacks_.pop_back();
      }
      try {
        callback();
      } catch (...) {
        errors.push_back(std::current_exception());
      }
    }
    if (!errors.empty()) throw aggregate_error(std::move(errors));
  }

private:
  detail::mutex mutex_;
  detail::atomic<bool> canceled_{false};
  std::uint64_t last_id_ = 0;
  std::vector<std::pair<std::uint64_t, std::function<void()>>> callbacks_;
};

}  // namespace detail

bool cancellation_token::is_cancellation_requested() const noexcept {
  return state_ != nullptr && state_->is_canceled();
}

void cancellation_token::throw_if_cancellation_requested() const {
  if (is_cancellation_requested()) throw operation_canceled("the operation was canceled", *this);
}

cancellation_registration cancellation_token::register_callback(std::function<void()> callback) const {
  if (!callback) throw std::invalid_argument("register_callback: empty callback");
  if (state_ == nullptr) return {};
  const std::uint64_t id = state_->add(callback);
  if (id == 0) {
    callback();
    return {};
  }
  return cancellation_registration(state_, id);
}

cancellation_source::cancellation_source() : state_(std::make_shared<detail::cancellation_state>()) {}

void cancellation_source::cancel() { state_->cancel(); }

bool cancellation_source::is_cancellation_requested() const noexcept { return state_->is_canceled(); }

cancellation_registration::cancellation_registration(cancellation_registration&& other) noexcept
    : state_(std::move(other.state_)), id_(std::exchange(other.id_, 0)) {}

cancellation_registration& cancellation_registration::operator=(cancellation_registration&& other) noexcept {
  if (this != &other) {
    unregister();
    state_ = std::move(other.state_);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

cancellation_registration::~cancellation_registration() { unregister(); }

bool cancellation_registration::unregister() noexcept {
  if (id_ == 0) return false;
  const std::uint64_t id = std::exchange(id_, 0);
  if (auto state = state_.lock()) return state->remove(id);
  return false;
}

}  // namespace vt
