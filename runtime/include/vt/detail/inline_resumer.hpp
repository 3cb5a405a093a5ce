#pragma once
// Runs continuations inline without unbounded stack growth: past a small nesting depth,
// a continuation is queued and run by the outermost inline resumer on this thread.
#include <vt/executor.hpp>

namespace vt::detail {

inline constexpr int max_inline_depth = 16;

void run_inline(continuation_fn fn, void* state);
// How many inline runs this thread is inside (0: none): a harness tells a continuation run
// inline in a completion from one an executor ran.
int inline_depth() noexcept;

// Posts to `context` when one was captured, else runs inline.
inline void dispatch(continuation_fn fn, void* state, executor* context) {
  if (context != nullptr) {
    context->post(fn, state);
  } else {
    run_inline(fn, state);
  }
}

}  // namespace vt::detail
