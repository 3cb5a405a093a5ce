// The global allocation functions for the bench: malloc and free, counting each allocation
// on its thread and remembering the size it asked for (how the bench learns a task frame's
// size). Nothing else: no fault injection, no out-of-line hook.
#include <cstdlib>
#include <new>

#include "allocation_count.hpp"

namespace {
thread_local std::size_t allocations = 0;
thread_local std::size_t last_size = 0;

void* allocate(std::size_t size) {
  ++allocations;
  last_size = size;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
}  // namespace

namespace vt_bench {
std::size_t allocations_on_this_thread() noexcept { return allocations; }
std::size_t last_allocation_size_on_this_thread() noexcept { return last_size; }
}  // namespace vt_bench

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
