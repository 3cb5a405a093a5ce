// Linked into the fuzz targets only: answers "where is this thread's alternate signal
// stack?" without a system call.
//
// Why: on every throw, AddressSanitizer unpoisons the stacks (__asan_handle_no_return, run
// before __cxa_throw, inside it and inside _Unwind_RaiseException), and each time it asks
// the kernel for the alternate signal stack with sigaltstack(nullptr, &old). The runtime
// reports every misuse by throwing and the targets provoke misuse on purpose, so on this
// paravirtualized machine those system calls took a third of each target's time.
//
// This definition takes the place of the sanitizer's weak sigaltstack interceptor. A query
// is answered from a per-thread copy of the kernel's last answer; any change goes to the
// kernel and drops the copy. Whether the thread is running on the alternate stack is not
// copied but decided from the stack pointer, as the kernel decides it. ASan sees exactly
// what the kernel would have told it.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VTLAB_CACHED_SIGALTSTACK 1
#endif
#endif

#ifdef VTLAB_CACHED_SIGALTSTACK
#include <csignal>
#include <cstdint>

#include <sys/syscall.h>
#include <unistd.h>

namespace {

struct known_alternate_stack {
  bool known = false;
  stack_t stack{};
};

thread_local known_alternate_stack known;

// Linux's SS_AUTODISARM (<linux/signal.h>, which clashes with glibc's <signal.h>).
constexpr unsigned ss_autodisarm = 1U << 31;

__attribute__((no_sanitize("address", "undefined", "coverage"))) int ask_kernel(const stack_t* change,
                                                                               stack_t* old) {
  return static_cast<int>(::syscall(SYS_sigaltstack, change, old));
}

}  // namespace

extern "C" __attribute__((no_sanitize("address", "undefined", "coverage"))) int sigaltstack(
    const stack_t* change, stack_t* old) noexcept {
  if (change == nullptr && old != nullptr && known.known) {
    *old = known.stack;
    if ((old->ss_flags & SS_DISABLE) == 0) {
      const char here = 0;
      const auto sp = reinterpret_cast<std::uintptr_t>(&here);
      const auto bottom = reinterpret_cast<std::uintptr_t>(old->ss_sp);
      if (sp > bottom && sp - bottom <= old->ss_size) old->ss_flags |= SS_ONSTACK;
    }
    return 0;
  }
  const int result = ask_kernel(change, old);
  known.known = false;
  // Keep only plain answers: SS_AUTODISARM makes the kernel's answer depend on more than
  // the stack pointer, so those are always asked again.
  if (result == 0 && change == nullptr && old != nullptr && (static_cast<unsigned>(old->ss_flags) & ss_autodisarm) == 0) {
    known.stack = *old;
    known.stack.ss_flags &= ~SS_ONSTACK;
    known.known = true;
  }
  return result;
}

#endif  // VTLAB_CACHED_SIGALTSTACK: without ASan, nothing asks on every throw
