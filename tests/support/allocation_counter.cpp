// Replaces the global allocation functions to count calls per thread. Sanitizer builds
// keep their interceptors for malloc/free underneath.
#include <cstdlib>
#include <new>

#include "support/allocation_counter.hpp"

namespace {
thread_local std::size_t t_allocations = 0;
thread_local long t_failure_countdown = -1;

void* counted_allocate(std::size_t size) {
  ++t_allocations;
  if (t_failure_countdown >= 0 && t_failure_countdown-- == 0) throw std::bad_alloc();
  if (size == 0) size = 1;
  if (void* p = std::malloc(size)) return p;
  throw std::bad_alloc();
}
}  // namespace

namespace vt_test {
std::size_t allocations_on_this_thread() noexcept { return t_allocations; }
void fail_allocation_after(long n) noexcept { t_failure_countdown = n; }
}  // namespace vt_test

void* operator new(std::size_t size) { return counted_allocate(size); }
void* operator new[](std::size_t size) { return counted_allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ++t_allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  ++t_allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
