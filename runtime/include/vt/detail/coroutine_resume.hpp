#pragma once
// A coroutine handle as a continuation_fn + state pair.
#include <coroutine>

namespace vt::detail {

inline void resume_coroutine(void* address) {
  std::coroutine_handle<>::from_address(address).resume();
}

}  // namespace vt::detail
