#include <vth/allocation_faults.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>

// A sanitizer runtime's stack printer, when the binary has one (weak: null otherwise).
extern "C" void __sanitizer_print_stack_trace() __attribute__((weak));

namespace vth::allocation_faults {

namespace {
std::atomic<bool> g_installed{false};
thread_local std::size_t t_allocations = 0;
thread_local long t_countdown = -1;  // allocations to let through before the failing one
thread_local bool t_fired = false;
thread_local int t_paused = 0;

// VTH_SHOW_FAILED_ALLOCATION=1: print the stack of each allocation made to fail (a
// sanitizer build's symbolizer), to see which runtime allocation an input reaches.
void show_where() {
  static const bool wanted = std::getenv("VTH_SHOW_FAILED_ALLOCATION") != nullptr;
  if (!wanted) return;
  std::fprintf(stderr, "vth: failing this allocation with std::bad_alloc:\n");
  if (__sanitizer_print_stack_trace != nullptr) __sanitizer_print_stack_trace();
}
}  // namespace

bool installed() noexcept { return g_installed.load(std::memory_order_relaxed); }
void mark_installed() noexcept { g_installed.store(true, std::memory_order_relaxed); }

void fail_after(long n) noexcept {
  t_countdown = n;
  t_fired = false;
}

bool disarm() noexcept {
  t_countdown = -1;
  return t_fired;
}

void close_window() noexcept { t_countdown = -1; }

std::size_t allocations_on_this_thread() noexcept { return t_allocations; }

pause::pause() noexcept { ++t_paused; }
pause::~pause() { --t_paused; }

void before_allocation() {
  ++t_allocations;
  if (t_paused != 0 || t_countdown < 0) return;
  if (t_countdown-- == 0) {
    t_fired = true;
    show_where();
    throw std::bad_alloc();
  }
}

}  // namespace vth::allocation_faults
