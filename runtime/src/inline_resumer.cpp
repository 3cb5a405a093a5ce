#include <deque>
#include <utility>

#include <vt/detail/inline_resumer.hpp>

namespace vt::detail {

namespace {
struct inline_resumer {
  int depth = 0;
  std::deque<std::pair<continuation_fn, void*>> deferred;
};
thread_local inline_resumer t_resumer;
}  // namespace

void run_inline(continuation_fn fn, void* state) {
  inline_resumer& resumer = t_resumer;
  if (resumer.depth >= max_inline_depth) {
    resumer.deferred.emplace_back(fn, state);
    return;
  }
  ++resumer.depth;
  fn(state);
  if (resumer.depth == 1) {
    // The outermost resumer runs what deeper ones deferred, in the order deferred.
    while (!resumer.deferred.empty()) {
      auto [next_fn, next_state] = resumer.deferred.front();
      resumer.deferred.pop_front();
      next_fn(next_state);
    }
  }
  --resumer.depth;
}

}  // namespace vt::detail
