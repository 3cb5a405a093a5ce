#pragma once
// The synchronization the source protocol is built from, through one indirection:
// - atomic<T>: std::atomic<T>, exactly, in every normal build;
// - shared_field<T>: a plain field that several threads touch, ordered by the atomics
//   around it (a registered continuation, its state, its context);
// - access_marker: marks reads and writes of plain data too big to wrap (an outcome).
// In a model-checking build (VT_MODEL_CHECK, tests/model_check) the same names are
// Relacy's: every atomic operation is a scheduling point of its deterministic scheduler,
// its memory model lets a relaxed or acquire load see any store it may see, and a
// shared_field or access_marker touched by two threads without ordering is a data race.
#include <atomic>
#include <source_location>
#include <type_traits>

#if defined(VT_MODEL_CHECK)
#include <relacy/relacy.hpp>
// relacy.hpp redefines allocation, assert and the memory orders for code written against
// it; the runtime is not, so only its types stay.
#undef new
#undef delete
#undef malloc
#undef calloc
#undef realloc
#undef free
#undef assert
#undef errno
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

#else

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
  // Histories name the runtime's line that made the call, not this wrapper's.
  using where = std::source_location;
  static rl::debug_info at(const where& w) noexcept { return rl::debug_info(w.function_name(), w.file_name(), w.line()); }

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

private:
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
  void write() { mark_(RL_INFO) = 1; }
  void read() const { (void)static_cast<int>(mark_(RL_INFO)); }
  mutable rl::var<int> mark_;
};

#endif

}  // namespace vt::detail
