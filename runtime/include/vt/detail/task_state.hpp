#pragma once
// The shared state behind vt::task<T>: a reference count, a lock-free list of waiters
// resumed in registration order, and the outcome. A task coroutine's promise is one;
// so is a manual_task_state made by factories, as_task, when_all, when_any, run, delay.
#include <atomic>
#include <cstdint>
#include <exception>

#include <vt/exception_cast.hpp>
#include <vt/detail/inline_resumer.hpp>
#include <vt/detail/outcome.hpp>
#include <vt/detail/sync.hpp>
#include <vt/detail/thread_reach.hpp>
#include <vt/errors.hpp>

namespace vt::detail {

// One registration on a task: lives in the awaiter (or the combinator) that made it.
struct waiter {
  waiter* next = nullptr;
  continuation_fn fn = nullptr;
  void* state = nullptr;
  executor* context = nullptr;  // captured scheduling context: post there, else run inline
};

class task_state_base {
public:
  task_state_base(const task_state_base&) = delete;
  task_state_base& operator=(const task_state_base&) = delete;

  void add_ref() noexcept {
    if (!immortal_) refs_.fetch_add(1, std::memory_order_relaxed);
  }
  // The sole owner (count 1, read with acquire: every other owner's release happened
  // before) frees without a locked decrement: nobody else can add a reference.
  void release() noexcept {
    if (immortal_) return;
    note_crossing(crossing::task_references);
    if (refs_.load(std::memory_order_acquire) == 1 || refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      reclaim(this);
    }
  }

  bool is_completed() const noexcept {
    return waiters_.load(std::memory_order_acquire) == completed_marker();
  }

  // Registers `w`; false when the task already completed (the caller continues at once).
  bool try_add_waiter(waiter& w) noexcept {
    note_crossing(crossing::task_waiters);
    void* head = waiters_.load(std::memory_order_acquire);
    do {
      if (head == completed_marker()) return false;
      w.next = static_cast<waiter*>(head);
    } while (!waiters_.compare_exchange_weak(head, &w, std::memory_order_acq_rel,
                                             std::memory_order_acquire));
    return true;
  }

protected:
  explicit task_state_base(std::uint32_t initial_refs) noexcept : refs_(initial_refs) {}
  ~task_state_base() = default;

  // Frees this state (and the coroutine frame holding it, if any).
  virtual void destroy() noexcept = 0;

  // For a state that lives as long as the program (completed_task()): copies of its
  // handle touch no reference count. Set before the state is shared.
  void make_immortal() noexcept { immortal_ = true; }

  // Completes a task coroutine's state whose body never suspended, and drops the body's
  // reference. No other thread can reach the state yet (no waiter registered, and the
  // caller's task is returned only after this), so plain stores publish it: the hand-over
  // of the task to another thread orders them.
  void complete_unshared() noexcept {
    outcome_access_.write();
    waiters_.store(completed_marker(), std::memory_order_release);
    refs_.store(1, std::memory_order_relaxed);
  }

  // Publishes the outcome (written before this call) and resumes every waiter, first
  // registered first. The caller must hold a reference for the duration.
  void publish_completion() noexcept {
    note_crossing(crossing::task_waiters);
    outcome_access_.write();  // the outcome was just written: published by the exchange below
    auto* list = static_cast<waiter*>(waiters_.exchange(completed_marker(), std::memory_order_acq_rel));
    waiter* ordered = nullptr;  // the list is last-registered first: reverse it
    while (list != nullptr) {
      waiter* next = list->next;
      list->next = ordered;
      ordered = list;
      list = next;
    }
    while (ordered != nullptr) {
      waiter* next = ordered->next;  // read first: resuming may free the node
      dispatch(ordered->fn, ordered->state, ordered->context);
      ordered = next;
    }
  }

private:
  // Destroys states one at a time per thread: a frame that owns the last handle to
  // another task (a chain of 100,000) must not recurse through every destructor.
  friend void reclaim(task_state_base* state) noexcept;
  friend void queue_reclaim(task_state_base* state) noexcept;
  friend void drain_reclaim_queue() noexcept;

  // Any address that is never a waiter's marks "completed".
  static inline char completed_marker_storage = 0;
  static void* completed_marker() noexcept { return &completed_marker_storage; }

  // Once the last reference is gone nobody reads the waiter list: it then links the
  // per-thread reclaim queue (one word less per frame).
  task_state_base* next_reclaim() const noexcept {
    return static_cast<task_state_base*>(waiters_.load(std::memory_order_relaxed));
  }
  void set_next_reclaim(task_state_base* next) noexcept { waiters_.store(next, std::memory_order_relaxed); }

  // Small fields together, so that a derived state's fields fill this class's tail padding.
  detail::atomic<void*> waiters_{nullptr};
  detail::atomic<std::uint32_t> refs_;
  bool immortal_ = false;

protected:
  bool aggregate_ = false;       // exception() is an aggregate_error; awaiting rethrows its first
  bool body_suspended_ = false;  // task coroutines: the body has suspended, so others may hold the state

  // The outcome's writes (before publication) and reads (after completion), for the model
  // checker's race detection; nothing in a normal build.
  [[no_unique_address]] access_marker outcome_access_;
};

// The states whose destruction waits for the one being destroyed on this thread.
// Trivially constructible, so the hot path pays no TLS initialization guard.
struct reclaim_queue {
  bool active;
  task_state_base* head;
  task_state_base* tail;
};
inline thread_local reclaim_queue t_reclaim_queue{};

// The rare paths, out of line: a state released inside another's destruction waits in the
// queue, and the outermost reclaim destroys the queued ones, first queued first.
void queue_reclaim(task_state_base* state) noexcept;
void drain_reclaim_queue() noexcept;

inline void reclaim(task_state_base* state) noexcept {
  reclaim_queue& queue = t_reclaim_queue;
  if (queue.active) {
    queue_reclaim(state);
    return;
  }
  queue.active = true;
  state->destroy();  // may release further states: they queue up behind this one
  if (queue.head != nullptr) drain_reclaim_queue();
  queue.active = false;
}

template <class T>
class task_state : public task_state_base {
public:
  source_status status() const noexcept {
    return is_completed() ? outcome_.status() : source_status::pending;
  }

  // Requires completion. Faulted: the first exception (an aggregate's first inner one).
  T result() const {
    outcome_access_.read();
    if (outcome_.status() != source_status::succeeded) rethrow_error();
    if constexpr (!std::is_void_v<T>) return outcome_.value();
  }

  std::exception_ptr exception() const noexcept {
    return is_completed() && outcome_.status() == source_status::faulted ? outcome_.error() : nullptr;
  }

  // The exception that awaiting rethrows (null unless faulted or canceled).
  std::exception_ptr first_error() const noexcept {
    if (outcome_.status() == source_status::succeeded) return nullptr;
    if (aggregate_) {
      if (const auto* aggregate = exception_cast<aggregate_error>(outcome_.error())) return aggregate->errors().front();
    }
    return outcome_.error();
  }

  [[noreturn]] [[gnu::noinline]] void rethrow_error() const { std::rethrow_exception(first_error()); }

  // For combinators that inspect a completed input.
  const outcome<T>& completed_outcome() const noexcept {
    outcome_access_.read();
    return outcome_;
  }

protected:
  using task_state_base::task_state_base;
  ~task_state() = default;

  outcome<T> outcome_;
};

}  // namespace vt::detail
