#pragma once
// Where the runtime's state crosses threads, for the harness's thread-reach measure
// (properties/thread_reach_test.cpp): which of these places a scenario exercised from two
// threads. In a build with VT_THREAD_REACH (the sanitizer presets), each place notes the
// thread it runs on while a record is open; elsewhere a note is nothing.
#include <array>
#include <cstddef>

namespace vt::detail {

// Each a piece of state two threads may touch, noted by every call that touches it.
enum class crossing : unsigned char {
  source_continuation,     // a core's continuation slot: on_completed, and the completion that reads it
  source_outcome,          // a core's outcome: the completion that publishes it, the reads and consumption claims
  source_pool_free_list,   // a source_pool's idle sources: rent, and the consumption that gives one back
  frame_hand_over,         // a suspended value_task coroutine's frame: the caller's conversion, the body's end
  frame_cache,             // coroutine frames taken from and given back to a thread's frame cache
  task_waiters,            // a task state's waiter list: a waiter added, the completion that tells them
  task_references,         // a task state's reference count, released
  when_all_counter,        // a when_all's count of inputs still to complete
  when_any_decision,       // a when_any's decision, taken or lost
  cancellation_callbacks,  // a cancellation source's callbacks: registered, unregistered, run by cancel()
  thread_pool_queue,       // a thread_pool's queue: items posted, and taken by workers
  thread_pool_timers,      // a thread_pool's timers: set, and fired by its timer thread
  sync_wait_signal,        // sync_wait's completion flag: signalled, and waited for
  scheduler_queue,         // a manual_scheduler's ready items: posted, and run
  inline_resumer,          // the inline resumer's depth and deferred queue (one per thread)
  count
};
inline constexpr std::size_t crossing_count = static_cast<std::size_t>(crossing::count);

const char* name(crossing where) noexcept;

#if defined(VT_THREAD_REACH)
void note_crossing(crossing where) noexcept;
inline constexpr bool thread_reach_built = true;
#else
inline void note_crossing(crossing) noexcept {}
inline constexpr bool thread_reach_built = false;
#endif

// What a record saw, per place: reached at all, and from two threads or more.
struct thread_reach {
  std::array<bool, crossing_count> reached{};
  std::array<bool, crossing_count> on_two_threads{};
};
// Opens a record (one at a time, for the whole process), and closes it with what it saw.
void open_thread_reach() noexcept;
thread_reach close_thread_reach() noexcept;

}  // namespace vt::detail
