#include <new>

#include <vt/detail/frame_allocator.hpp>

namespace vt::detail {

namespace {
// Frees this thread's idle frames at thread exit and stops further caching.
struct frame_cache_cleaner {
  frame_cache_cleaner() noexcept {
    for (std::uint32_t& room : t_frame_cache.room) room = frame_cache_limit;
  }
  ~frame_cache_cleaner() {
    frame_cache& cache = t_frame_cache;
    for (std::size_t cls = 0; cls < frame_classes; ++cls) {
      void* frame = cache.heads[cls];
      while (frame != nullptr) {
        asan_unpoison(frame, (cls + 1) * frame_granule);
        void* next = *static_cast<void**>(frame);
        ::operator delete(frame);
        frame = next;
      }
      cache.heads[cls] = nullptr;
      cache.room[cls] = 0;  // caches nothing more
    }
  }
};
thread_local frame_cache_cleaner t_cleaner;
}  // namespace

void* allocate_frame_slow(std::size_t size) {
#if VT_FRAME_POOL
  const std::size_t cls = frame_class(size);
  if (cls < frame_classes) {
    (void)&t_cleaner;  // registers the thread-exit cleanup once per thread
    return ::operator new((cls + 1) * frame_granule);
  }
#endif
  return ::operator new(size);
}

void deallocate_frame_slow(void* frame, std::size_t) noexcept { ::operator delete(frame); }

}  // namespace vt::detail
