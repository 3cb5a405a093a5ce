#pragma once
// Counts global operator new calls on this thread, and can make one of them fail (the
// test binary replaces operator new).
#include <cstddef>

namespace vt_test {

std::size_t allocations_on_this_thread() noexcept;

// The allocation `n` allocations from now on this thread throws std::bad_alloc (once);
// negative disarms.
void fail_allocation_after(long n) noexcept;

// Allocations made on this thread during the scope's lifetime.
class allocation_scope {
public:
  allocation_scope() noexcept : start_(allocations_on_this_thread()) {}
  std::size_t count() const noexcept { return allocations_on_this_thread() - start_; }

private:
  std::size_t start_;
};

}  // namespace vt_test
