#pragma once
// operator new failing on demand (docs/semantics.md section 9: std::bad_alloc from a runtime
// allocation must reach the caller with nothing leaked and pools unchanged). A binary opts
// in by linking vth::operator_new_hook, which replaces the global allocation functions and
// asks this component before every allocation; without it nothing ever fails, and
// installed() says so (ThreadSanitizer's runtime owns operator new: no hook there).
#include <cstddef>

namespace vth::allocation_faults {

bool installed() noexcept;

// The allocation `n` allocations from now on this thread throws std::bad_alloc, once;
// a negative `n` disarms.
void fail_after(long n) noexcept;
// Disarms, and says whether the armed failure fired since fail_after.
bool disarm() noexcept;
// Disarms without forgetting whether it fired: a harness coroutine's body starts, and
// what it allocates from there on is past the op's own allocations.
void close_window() noexcept;

// Every allocation this thread made through operator new (counted while installed).
std::size_t allocations_on_this_thread() noexcept;

// While one lives, this thread's allocations neither count toward an armed failure nor
// trigger it: the harness's own bookkeeping inside a window armed for the runtime.
class pause {
public:
  pause() noexcept;
  ~pause();
  pause(const pause&) = delete;
  pause& operator=(const pause&) = delete;
};

// For the replaced operator new: counts, and throws std::bad_alloc when the armed failure
// falls due.
void before_allocation();
void mark_installed() noexcept;

}  // namespace vth::allocation_faults
