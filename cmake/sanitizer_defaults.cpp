// Default sanitizer options for vtlab's executables: every report is fatal (the test
// that produced it fails), leaks are checked, stack use after return is detected.
// Environment variables still override these.
// The symbolizer of the compiler's own LLVM release, so reports name functions and lines.
#define VTLAB_SYMBOLIZER "external_symbolizer_path=/usr/lib/llvm-19/bin/llvm-symbolizer"

extern "C" {
const char* __asan_default_options() {
  return "halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:" VTLAB_SYMBOLIZER;
}
const char* __ubsan_default_options() { return "halt_on_error=1:print_stacktrace=1:" VTLAB_SYMBOLIZER; }
const char* __tsan_default_options() { return "halt_on_error=1:second_deadlock_stack=1:" VTLAB_SYMBOLIZER; }
}
