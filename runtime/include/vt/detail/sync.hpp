#pragma once
// The synchronization the source protocol is built from, through one indirection:
// - atomic<T>: std::atomic<T>, exactly, in every normal build;
// - shared_field<T>: a plain field that several threads touch, ordered by the atomics
//   around it (a registered continuation, its state, its context);
// - access_marker: marks reads and writes of plain data too big to wrap (an outcome);
// - mutex, condition_variable: std::mutex, std::condition_variable;
// - short_mutex: the spin_mutex, for critical sections of a few instructions.
// In a model-checking build (VT_MODEL_CHECK, tests/model_check) the same names are
// Relacy's: every atomic operation is a scheduling point of its deterministic scheduler,
// its memory model lets a relaxed or acquire load see any store it may see, and a
// shared_field or access_marker touched by two threads without ordering is a data race.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <source_location>
#include <thread>
#include <type_traits>

#include <vt/detail/spin_mutex.hpp>

#if defined(VT_MODEL_CHECK)
// relacy.hpp's macros rename POSIX threading calls (sem_init, pthread_*) and errno: every
// header that uses them comes first, so that the runtime's own sources, which include
// this file after or before them, compile either way.
#include <pthread.h>
#include <semaphore.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <semaphore>
#include <thread>
#include <vector>
#pragma push_macro("errno")
#include <relacy/relacy.hpp>
#pragma pop_macro("errno")
// relacy.hpp redefines allocation, assert and the memory orders for code written against
// it; the runtime is not, so only its types stay.
#undef new
#undef delete
#undef malloc
#undef calloc
#undef realloc
#undef free
#undef assert
#undef memory_order_relaxed
#undef memory_order_consume
#undef memory_order_acquire
#undef memory_order_release
#undef memory_order_acq_rel
#undef memory_order_seq_cst
#endif

namespace vt::detail {

#if !defined(VT_MODEL_CHECK)

template <class T>
using atomic = std::atomic<T>;

template <class T>
class shared_field {
public:
  shared_field() = default;
  shared_field& operator=(T value) noexcept {
    value_ = value;
    return *this;
  }
  operator T() const noexcept { return value_; }  // NOLINT: reads like the field it is

private:
  T value_{};
};

struct access_marker {
  void write() noexcept {}
  void read() const noexcept {}
};

using mutex = std::mutex;
using condition_variable = std::condition_variable;
using short_mutex = spin_mutex;

// A wait for another thread's next step, in a loop that rereads an atomic.
inline void spin_pause() noexcept { std::this_thread::yield(); }

#else

// Histories name the runtime's line that made the call, not this file's.
inline rl::debug_info at(const std::source_location& w) noexcept {
  return rl::debug_info(w.function_name(), w.file_name(), w.line());
}

inline rl::memory_order to_relacy(std::memory_order order) noexcept {
  switch (order) {
    case std::memory_order_relaxed: return rl::mo_relaxed;
    case std::memory_order_consume: return rl::mo_consume;
    case std::memory_order_acquire: return rl::mo_acquire;
    case std::memory_order_release: return rl::mo_release;
    case std::memory_order_acq_rel: return rl::mo_acq_rel;
    case std::memory_order_seq_cst: break;
  }
  return rl::mo_seq_cst;
}

// The subset of std::atomic the checked code uses, each call a Relacy scheduling point. Byte-
// sized values are kept as unsigned, so Relacy's histories print them as numbers.
template <class T>
class atomic {
  using stored = std::conditional_t<sizeof(T) == 1 && std::is_integral_v<T>, unsigned, T>;
  static stored in(T value) noexcept { return static_cast<stored>(value); }
  static T out(stored value) noexcept { return static_cast<T>(value); }
  using where = std::source_location;

public:
  atomic() noexcept { value_(RL_INFO).store(stored{}, rl::mo_relaxed); }
  atomic(T initial) noexcept { value_(RL_INFO).store(in(initial), rl::mo_relaxed); }  // NOLINT
  atomic(const atomic&) = delete;
  atomic& operator=(const atomic&) = delete;

  T load(std::memory_order order = std::memory_order_seq_cst, const where& w = where::current()) const {
    return out(value_(at(w)).load(to_relacy(order)));
  }
  void store(T value, std::memory_order order = std::memory_order_seq_cst, const where& w = where::current()) {
    value_(at(w)).store(in(value), to_relacy(order));
  }
  T fetch_add(T value, std::memory_order order = std::memory_order_seq_cst, const where& w = where::current()) {
    return out(value_(at(w)).fetch_add(in(value), to_relacy(order)));
  }
  T fetch_sub(T value, std::memory_order order = std::memory_order_seq_cst, const where& w = where::current()) {
    return out(value_(at(w)).fetch_sub(in(value), to_relacy(order)));
  }
  T exchange(T value, std::memory_order order = std::memory_order_seq_cst, const where& w = where::current()) {
    return out(value_(at(w)).exchange(in(value), to_relacy(order)));
  }
  T fetch_or(T value, std::memory_order order = std::memory_order_seq_cst, const where& w = where::current()) {
    return out(value_(at(w)).fetch_or(in(value), to_relacy(order)));
  }
  T fetch_and(T value, std::memory_order order = std::memory_order_seq_cst, const where& w = where::current()) {
    return out(value_(at(w)).fetch_and(in(value), to_relacy(order)));
  }
  bool compare_exchange_weak(T& expected, T desired, std::memory_order success, std::memory_order failure,
                  const where& w = where::current()) {
    stored seen = in(expected);
    const bool swapped = value_(at(w)).compare_exchange_weak(seen, in(desired), to_relacy(success), to_relacy(failure));
    expected = out(seen);
    return swapped;
  }
  bool compare_exchange_strong(T& expected, T desired, std::memory_order success, std::memory_order failure,
                               const where& w = where::current()) {
    stored seen = in(expected);
    const bool swapped = value_(at(w)).compare_exchange_strong(seen, in(desired), to_relacy(success), to_relacy(failure));
    expected = out(seen);
    return swapped;
  }
  bool compare_exchange_strong(T& expected, T desired, std::memory_order order = std::memory_order_seq_cst,
                               const where& w = where::current()) {
    return compare_exchange_strong(expected, desired, order, failure_order_of(order), w);
  }
  bool compare_exchange_weak(T& expected, T desired, std::memory_order order = std::memory_order_seq_cst,
                             const where& w = where::current()) {
    return compare_exchange_weak(expected, desired, order, failure_order_of(order), w);
  }

private:
  // As the standard's one-order compare-exchange: the failure order drops the release.
  static std::memory_order failure_order_of(std::memory_order order) noexcept {
    if (order == std::memory_order_acq_rel) return std::memory_order_acquire;
    if (order == std::memory_order_release) return std::memory_order_relaxed;
    return order;
  }
  mutable rl::atomic<stored> value_;
};

template <class T>
class shared_field {
public:
  shared_field() { value_(RL_INFO) = T{}; }
  shared_field& operator=(T value) {
    value_(RL_INFO) = value;
    return *this;
  }
  operator T() const { return value_(RL_INFO); }  // NOLINT

private:
  mutable rl::var<T> value_;
};

struct access_marker {
  access_marker() { mark_(RL_INFO) = 0; }
  void write(const std::source_location& w = std::source_location::current()) { mark_(at(w)) = 1; }
  void read(const std::source_location& w = std::source_location::current()) const { (void)static_cast<int>(mark_(at(w))); }
  mutable rl::var<int> mark_;
};

// Each lock and unlock a scheduling point; lock_guard and unique_lock work as usual.
class mutex {
public:
  void lock(const std::source_location& w = std::source_location::current()) { m_.lock(at(w)); }
  void unlock(const std::source_location& w = std::source_location::current()) { m_.unlock(at(w)); }
  // What Relacy's condition variable calls as it waits.
  void lock(rl::debug_info_param info) { m_.lock(info); }
  void unlock(rl::debug_info_param info) { m_.unlock(info); }

private:
  rl::mutex m_;
};

// A spin lock's acquire and release are a mutex's, to the model.
using short_mutex = mutex;

// Tells the model's scheduler that this thread waits for another's step (a spin loop that
// never yields is explored forever).
inline void spin_pause(const std::source_location& w = std::source_location::current()) { rl::yield(1, at(w)); }

// Waits with a unique_lock<mutex>, as std::condition_variable does.
class condition_variable {
public:
  template <class Predicate>
  void wait(std::unique_lock<mutex>& lock, Predicate ready, const std::source_location& w = std::source_location::current()) {
    while (!ready()) cv_.wait(*lock.mutex(), at(w));
  }
  void notify_one(const std::source_location& w = std::source_location::current()) { cv_.notify_one(at(w)); }
  void notify_all(const std::source_location& w = std::source_location::current()) { cv_.notify_all(at(w)); }

private:
  rl::condition_variable cv_;
};

#endif

}  // namespace vt::detail
