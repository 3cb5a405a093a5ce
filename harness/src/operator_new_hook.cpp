// Replaces the global allocation functions so that vth::allocation_faults can count them
// and fail one on demand. Sanitizer builds keep their malloc/free interceptors underneath.
#include <cstdlib>
#include <new>

#include <vth/allocation_faults.hpp>

namespace {
void* allocate(std::size_t size) {
  vth::allocation_faults::before_allocation();
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* allocate_nothrow(std::size_t size) noexcept {
  try {
    return allocate(size);
  } catch (...) {
    return nullptr;
  }
}
const bool installed = (vth::allocation_faults::mark_installed(), true);
}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate_nothrow(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate_nothrow(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
