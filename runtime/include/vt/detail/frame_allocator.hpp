#pragma once
// The one allocation hook for coroutine frames. Pooled frames come from a per-thread
// size-class free list (no locks, no atomics); idle frames are poisoned for ASan (all
// but their link word, which LeakSanitizer must be able to follow).
// VT_FRAME_POOL=0 sends every frame to the global allocator so ASan sees each one.
#include <cstddef>
#include <cstdint>
#include <new>

#include <vt/config.hpp>
#include <vt/detail/asan.hpp>
#include <vt/detail/thread_reach.hpp>

namespace vt::detail {

inline constexpr std::size_t frame_granule = 64;
inline constexpr std::size_t frame_classes = 32;  // frames up to 2 KiB are pooled
inline constexpr std::uint32_t frame_cache_limit = 4096;  // per class and thread

// Trivially destructible, so the hot path pays no TLS initialization guard;
// the thread-exit cleanup is a separate object registered on the slow path.
struct frame_cache {
  void* heads[frame_classes];
  // How many more idle frames each class may keep: 0 until the thread-exit cleaner is
  // registered and again once it has run, so freeing checks one word.
  std::uint32_t room[frame_classes];
};
inline thread_local frame_cache t_frame_cache{};

void* allocate_frame_slow(std::size_t size);
void deallocate_frame_slow(void* frame, std::size_t size) noexcept;

inline std::size_t frame_class(std::size_t size) noexcept { return (size - 1) / frame_granule; }

inline void* allocate_frame(std::size_t size) {
  note_crossing(crossing::frame_cache);
#if VT_FRAME_POOL
  const std::size_t cls = frame_class(size);
  if (cls < frame_classes) {
    frame_cache& cache = t_frame_cache;
    if (void* frame = cache.heads[cls]) {
      asan_unpoison(frame, (cls + 1) * frame_granule);
      cache.heads[cls] = *static_cast<void**>(frame);
      ++cache.room[cls];
      return frame;
    }
  }
#endif
  return allocate_frame_slow(size);
}

inline void deallocate_frame(void* frame, std::size_t size) noexcept {
  note_crossing(crossing::frame_cache);
#if VT_FRAME_POOL
  const std::size_t cls = frame_class(size);
  frame_cache& cache = t_frame_cache;
  if (cls < frame_classes && cache.room[cls] != 0) {
    *static_cast<void**>(frame) = cache.heads[cls];
    cache.heads[cls] = frame;
    --cache.room[cls];
    // Poisoned but for the link to the next idle frame: LeakSanitizer skips poisoned words,
    // and a chain it could not follow would read as leaked frames.
    asan_poison(static_cast<char*>(frame) + sizeof(void*), (cls + 1) * frame_granule - sizeof(void*));
    return;
  }
#endif
  deallocate_frame_slow(frame, size);
}

}  // namespace vt::detail
