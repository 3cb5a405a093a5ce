#include <vt/detail/thread_reach.hpp>

#include <atomic>
#include <cstdint>

namespace vt::detail {

namespace {
constexpr std::array<const char*, crossing_count> names{
    "source continuation", "source outcome",  "source pool free list", "frame hand-over",
    "frame cache",         "task waiters",    "task references",       "when_all counter",
    "when_any decision",   "cancellation callbacks", "thread_pool queue", "thread_pool timers",
    "sync_wait signal",    "scheduler queue", "inline resumer",
};

std::atomic<bool> recording{false};
// Per place: the first thread that noted it (numbered from 1), and whether another did.
struct place {
  std::atomic<std::uint64_t> first{0};
  std::atomic<bool> another{false};
};
std::array<place, crossing_count> places;
std::atomic<std::uint64_t> threads_numbered{0};
thread_local std::uint64_t this_thread = 0;
}  // namespace

const char* name(crossing where) noexcept { return names[static_cast<std::size_t>(where)]; }

#if defined(VT_THREAD_REACH)
void note_crossing(crossing where) noexcept {
  if (!recording.load(std::memory_order_relaxed)) return;
  if (this_thread == 0) this_thread = threads_numbered.fetch_add(1, std::memory_order_relaxed) + 1;
  place& p = places[static_cast<std::size_t>(where)];
  if (p.another.load(std::memory_order_relaxed)) return;
  std::uint64_t seen = 0;
  if (!p.first.compare_exchange_strong(seen, this_thread, std::memory_order_relaxed) && seen != this_thread) {
    p.another.store(true, std::memory_order_relaxed);
  }
}
#endif

void open_thread_reach() noexcept {
  for (place& p : places) {
    p.first.store(0, std::memory_order_relaxed);
    p.another.store(false, std::memory_order_relaxed);
  }
  recording.store(true, std::memory_order_seq_cst);
}

thread_reach close_thread_reach() noexcept {
  recording.store(false, std::memory_order_seq_cst);
  thread_reach seen;
  for (std::size_t i = 0; i < crossing_count; ++i) {
    seen.reached[i] = places[i].first.load(std::memory_order_relaxed) != 0;
    seen.on_two_threads[i] = places[i].another.load(std::memory_order_relaxed);
  }
  return seen;
}

}  // namespace vt::detail
