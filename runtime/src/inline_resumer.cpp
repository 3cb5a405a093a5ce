#include <deque>
#include <exception>
#include <utility>

#include <vt/detail/inline_resumer.hpp>
#include <vt/detail/thread_reach.hpp>

namespace vt::detail {

namespace {
struct inline_resumer {
  int depth = 0;
  std::deque<std::pair<continuation_fn, void*>> deferred;
};
thread_local inline_resumer t_resumer;
}  // namespace

// A continuation may throw (section 9): the exception reaches whoever ran it, and this
// thread's bookkeeping is restored on the way out, so later continuations run normally.
int inline_depth() noexcept { return t_resumer.depth; }

void run_inline(continuation_fn fn, void* state) {
  note_crossing(crossing::inline_resumer);
  inline_resumer& resumer = t_resumer;
  if (resumer.depth >= max_inline_depth) {
    resumer.deferred.emplace_back(fn, state);
    return;
  }
  struct depth_guard {
    int& depth;
    explicit depth_guard(int& d) : depth(d) { ++depth; }
    ~depth_guard() { --depth; }
  } guard(resumer.depth);
  if (resumer.depth > 1) {
    fn(state);
    return;
  }
  // The outermost resumer runs what deeper ones deferred, in the order deferred, even
  // after a throw; the first exception then propagates.
  std::exception_ptr first_error;
  try {
    fn(state);
  } catch (...) {
    first_error = std::current_exception();
  }
  while (!resumer.deferred.empty()) {
    auto [next_fn, next_state] = resumer.deferred.front();
    resumer.deferred.pop_front();
    try {
      next_fn(next_state);
    } catch (...) {
      if (!first_error) first_error = std::current_exception();
    }
  }
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace vt::detail
