#pragma once
// Pooled sources: rented at their current version, recycled when their value_task is
// consumed. A pool's memory is type-stable until the pool dies (sources are never freed
// or moved, only reused), so validating a stale token never reads freed memory; idle
// sources have their outcome storage poisoned for AddressSanitizer.
#include <atomic>
#include <cstddef>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <vt/detail/asan.hpp>
#include <vt/detail/sync.hpp>
#include <vt/detail/thread_reach.hpp>
#include <vt/errors.hpp>
#include <vt/manual_reset_value_task_source_core.hpp>
#include <vt/value_task_source.hpp>

namespace vt {

template <class T>
class source_pool;

namespace detail {
[[noreturn]] void throw_idle_source(unsigned long token);
}  // namespace detail

struct pool_statistics {
  std::size_t created = 0;   // sources ever constructed (the high-water mark)
  std::size_t rented = 0;    // rent() calls that succeeded
  std::size_t returned = 0;  // sources recycled by consumption
  std::size_t reused = 0;    // rents served by a recycled source
  std::size_t idle = 0;      // sources in the pool now
};

template <class T>
class pooled_source final : public value_task_source<T> {
public:
  pooled_source(const pooled_source&) = delete;
  pooled_source& operator=(const pooled_source&) = delete;
  ~pooled_source() = default;

  token_t version() const noexcept { return core_.version(); }
  // Between rent() and the consumption that returns it to the pool.
  bool is_rented() const noexcept { return rented_.load(std::memory_order_acquire); }

  // An idle source rejects everything, completion included: its version is the one the
  // next renter will get, so a token equal to it was never handed out (a forged or
  // future token), and accepting it would hand that renter a stranger's continuation or
  // outcome (stricter than .NET, whose idle pooled boxes accept it).
  template <class... Args>
  void set_result(Args&&... args) {
    require_rented(version());
    core_.set_result(std::forward<Args>(args)...);
  }
  template <class U>
  void set_result_or_exception(U&& value) {
    require_rented(version());
    core_.set_result_or_exception(std::forward<U>(value));
  }
  void set_exception(std::exception_ptr error) {
    require_rented(version());
    core_.set_exception(std::move(error));
  }
  void set_canceled(cancellation_token token = {}) {
    require_rented(version());
    core_.set_canceled(std::move(token));
  }

  bool run_continuations_asynchronously() const noexcept { return core_.run_continuations_asynchronously(); }
  void run_continuations_asynchronously(bool value) noexcept { core_.run_continuations_asynchronously(value); }

  source_status status(token_t token) const override {
    require_rented(token);
    return core_.status(token);
  }

  void on_completed(continuation_fn fn, void* state, token_t token, on_completed_flags flags) override {
    require_rented(token);
    core_.on_completed(fn, state, token, flags);
  }

  // Consumes: moves the outcome out, recycles this source, then returns or rethrows.
  // A rejected call (stale token, still pending) changes nothing.
  T get_result(token_t token) override {
    detail::outcome<T> taken;
    consume_into(token, taken);
    return taken.take();
  }

  source_pool<T>& pool() const noexcept { return *pool_; }

protected:
  // get_result without the rethrow: the outcome moves into `into`, and the source recycles.
  // The consumption counts even when moving the value out throws (.NET's finally): the
  // source recycles either way.
  bool consume_into(token_t token, detail::outcome<T>& into) override {
    require_rented(token);
    // One consumer per generation, even when copies race on other threads: the losers
    // see it as already consumed (the next version's token is about to be current).
    if (!core_.claim_consumption(token)) detail::throw_stale_token(token, static_cast<token_t>(token + 1));
    struct recycle_on_exit {
      pooled_source& source;
      ~recycle_on_exit() {
        source.core_.reset();  // completed: it cannot throw
        source.pool_->give_back(source);
      }
    } recycle{*this};
    core_.outcome_access_.write();
    core_.outcome_.move_into(into);
    return true;
  }

private:
  friend class source_pool<T>;
  pooled_source(source_pool<T>& pool, token_t first_version) noexcept : core_(first_version), pool_(&pool) {}

  void require_rented(token_t token) const {
    if (is_rented()) return;
    if (token != version()) detail::throw_stale_token(token, version());  // the usual report
    detail::throw_idle_source(token);
  }
  void poison_idle() noexcept { detail::asan_poison(&core_.outcome_, sizeof(core_.outcome_)); }
  void unpoison_idle() noexcept { detail::asan_unpoison(&core_.outcome_, sizeof(core_.outcome_)); }

  manual_reset_value_task_source_core<T> core_;
  source_pool<T>* pool_;
  pooled_source* next_idle_ = nullptr;
  detail::atomic<bool> rented_{false};
};

template <class T>
class source_pool {
public:
  static constexpr std::size_t unbounded = std::numeric_limits<std::size_t>::max();

  explicit source_pool(std::size_t capacity = unbounded) noexcept : capacity_(capacity) {}
  // Every source this pool creates starts at version `first_version` (0 by default).
  source_pool(std::size_t capacity, token_t first_version) noexcept : capacity_(capacity), first_version_(first_version) {}
  source_pool(const source_pool&) = delete;
  source_pool& operator=(const source_pool&) = delete;
  // Every value_task on this pool's sources must be gone by now.
  ~source_pool() {
    for (auto& source : sources_) source->unpoison_idle();
  }

  // A source at its current version; pool_exhausted past the capacity with none idle.
  pooled_source<T>& rent() {
    detail::note_crossing(detail::crossing::source_pool_free_list);
    std::lock_guard lock(mutex_);
    pooled_source<T>* source = idle_;
    if (source != nullptr) {
      idle_ = source->next_idle_;
      --idle_count_;
      ++statistics_.reused;
    } else {
      if (sources_.size() >= capacity_) {
        throw pool_exhausted("source_pool: all " + std::to_string(capacity_) + " sources are rented");
      }
      // Owned before the vector grows: a growth that throws frees it.
      auto fresh = std::unique_ptr<pooled_source<T>>(new pooled_source<T>(*this, first_version_));
      sources_.push_back(std::move(fresh));
      source = sources_.back().get();
      ++statistics_.created;
    }
    ++statistics_.rented;
    source->unpoison_idle();
    source->rented_.store(true, std::memory_order_release);
    return *source;
  }

  std::size_t capacity() const noexcept { return capacity_; }

  pool_statistics statistics() const {
    std::lock_guard lock(mutex_);
    pool_statistics result = statistics_;
    result.idle = idle_count_;
    return result;
  }

private:
  friend class pooled_source<T>;
  void give_back(pooled_source<T>& source) noexcept {
    detail::note_crossing(detail::crossing::source_pool_free_list);
    source.rented_.store(false, std::memory_order_release);
    source.poison_idle();
    std::lock_guard lock(mutex_);
    source.next_idle_ = idle_;
    idle_ = &source;
    ++idle_count_;
    ++statistics_.returned;
  }

  const std::size_t capacity_;
  const token_t first_version_ = 0;
  mutable detail::short_mutex mutex_;  // held for a few instructions at a time
  std::vector<std::unique_ptr<pooled_source<T>>> sources_;
  pooled_source<T>* idle_ = nullptr;
  std::size_t idle_count_ = 0;
  pool_statistics statistics_;
};

}  // namespace vt
