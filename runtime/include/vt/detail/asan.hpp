#pragma once
// AddressSanitizer's manual poisoning, or nothing in builds without ASan.
#include <cstddef>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VT_ASAN 1
#endif
#endif
#if !defined(VT_ASAN) && defined(__SANITIZE_ADDRESS__)
#define VT_ASAN 1
#endif

#ifdef VT_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace vt::detail {

inline void asan_poison(const volatile void* address, std::size_t size) noexcept {
#ifdef VT_ASAN
  __asan_poison_memory_region(address, size);
#else
  (void)address;
  (void)size;
#endif
}

inline void asan_unpoison(const volatile void* address, std::size_t size) noexcept {
#ifdef VT_ASAN
  __asan_unpoison_memory_region(address, size);
#else
  (void)address;
  (void)size;
#endif
}

}  // namespace vt::detail
