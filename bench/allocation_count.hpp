#pragma once
// The bench's own count of global operator new calls (counting_new.cpp): one thread-local
// increment per allocation, so a benchmark row is not charged for the harness's
// fault-injection hook, which the tests link instead.
#include <cstddef>

namespace vt_bench {

std::size_t allocations_on_this_thread() noexcept;
std::size_t last_allocation_size_on_this_thread() noexcept;  // the size the last one asked for

}  // namespace vt_bench
