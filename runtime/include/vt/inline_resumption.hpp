#pragma once
// How deep vt runs continuations inline on one thread (docs/semantics.md sections 6 and
// 10): past the bound, a resumption is queued for the outermost inline run on that thread.
#include <vt/detail/inline_resumer.hpp>

namespace vt {

inline constexpr int max_inline_resumption_depth = detail::max_inline_depth;

// How many of vt's inline runs this thread is inside now (0: none): tells a continuation
// run inline inside a completion from one an executor ran.
inline int inline_resumption_depth() noexcept { return detail::inline_depth(); }

}  // namespace vt
