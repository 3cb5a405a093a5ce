// Default sanitizer options for vtlab's executables: every report is fatal (the test
// that produced it fails), leaks are checked, stack use after return is detected.
// Environment variables still override these.
// The symbolizer of the compiler's own LLVM release, so reports name functions and lines.
#define VTLAB_SYMBOLIZER "external_symbolizer_path=/usr/lib/llvm-19/bin/llvm-symbolizer"

// Fuzz targets trade two expensive checks for throughput: fake stacks (stack use after
// return) and a 256 MiB quarantine. The test and replay builds keep both, so every input a
// campaign finds is replayed with them.
#ifdef VTLAB_FUZZING_BUILD
#define VTLAB_ASAN_DEPTH "detect_stack_use_after_return=0:quarantine_size_mb=16:malloc_context_size=5:"
#else
#define VTLAB_ASAN_DEPTH "detect_stack_use_after_return=1:"
#endif

extern "C" {
const char* __asan_default_options() {
  return "halt_on_error=1:abort_on_error=1:detect_leaks=1:" VTLAB_ASAN_DEPTH VTLAB_SYMBOLIZER;
}
const char* __ubsan_default_options() { return "halt_on_error=1:print_stacktrace=1:" VTLAB_SYMBOLIZER; }
const char* __tsan_default_options() { return "halt_on_error=1:second_deadlock_stack=1:" VTLAB_SYMBOLIZER; }
// libstdc++ is not built with ThreadSanitizer: exception_ptr's reference count lives in
// code TSan does not see, so when the last release (say, a coroutine frame destroyed on a
// worker) frees an exception another thread read while holding its own reference, TSan
// reports a race that the count rules out. Only reports through that release are muted.
const char* __tsan_default_suppressions() { return "race:std::__exception_ptr::exception_ptr::_M_release\n"; }
}
