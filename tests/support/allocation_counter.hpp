#pragma once
// Counts global operator new calls on this thread, and can make one of them fail: the
// harness's operator new hook (vth::operator_new_hook), which the binary links.
#include <cstddef>

#include <vth/allocation_faults.hpp>

namespace vt_test {

inline std::size_t allocations_on_this_thread() noexcept { return vth::allocation_faults::allocations_on_this_thread(); }

// The allocation `n` allocations from now on this thread throws std::bad_alloc (once);
// negative disarms.
inline void fail_allocation_after(long n) noexcept { vth::allocation_faults::fail_after(n); }

// Allocations made on this thread during the scope's lifetime.
class allocation_scope {
public:
  allocation_scope() noexcept : start_(allocations_on_this_thread()) {}
  std::size_t count() const noexcept { return allocations_on_this_thread() - start_; }

private:
  std::size_t start_;
};

}  // namespace vt_test
