#pragma once
// Cooperative cancellation: a source that cancels, tokens that observe, registrations
// that run a callback on cancel and unregister on destruction.
#include <cstdint>
#include <functional>
#include <memory>

namespace vt {

namespace detail {
class cancellation_state;
}

class cancellation_registration;

class cancellation_token {
public:
  cancellation_token() noexcept = default;  // never canceled

  bool is_cancellation_requested() const noexcept;
  bool can_be_canceled() const noexcept { return state_ != nullptr; }
  void throw_if_cancellation_requested() const;

  // Runs `callback` on cancel (at once, on this thread, when already canceled).
  [[nodiscard]] cancellation_registration register_callback(std::function<void()> callback) const;

  friend bool operator==(const cancellation_token&, const cancellation_token&) noexcept = default;

private:
  friend class cancellation_source;
  explicit cancellation_token(std::shared_ptr<detail::cancellation_state> state) noexcept
      : state_(std::move(state)) {}
  std::shared_ptr<detail::cancellation_state> state_;
};

class cancellation_source {
public:
  cancellation_source();

  cancellation_token token() const noexcept { return cancellation_token(state_); }
  // Idempotent; runs every registered callback once, latest registration first (as .NET).
  void cancel();
  bool is_cancellation_requested() const noexcept;

private:
  std::shared_ptr<detail::cancellation_state> state_;
};

class cancellation_registration {
public:
  cancellation_registration() noexcept = default;
  cancellation_registration(cancellation_registration&& other) noexcept;
  cancellation_registration& operator=(cancellation_registration&& other) noexcept;
  cancellation_registration(const cancellation_registration&) = delete;
  cancellation_registration& operator=(const cancellation_registration&) = delete;
  ~cancellation_registration();

  // Removes the callback if it has not started; false when it already ran (or is running).
  bool unregister() noexcept;

private:
  friend class cancellation_token;
  cancellation_registration(std::weak_ptr<detail::cancellation_state> state, std::uint64_t id) noexcept
      : state_(std::move(state)), id_(id) {}
  std::weak_ptr<detail::cancellation_state> state_;
  std::uint64_t id_ = 0;
};

}  // namespace vt
