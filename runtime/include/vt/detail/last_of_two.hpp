#pragma once
// Two parties done with one shared object, on any threads, in either order: the second to
// arrive releases it, and must see everything the first did before arriving. A suspended
// value_task coroutine's frame is one: the caller converting its return object and the
// body reaching its end each arrive once (tests/model_check/task_checks.cpp checks it).
#include <atomic>

#include <vt/detail/sync.hpp>

namespace vt::detail {

class last_of_two {
public:
  // True for the second to arrive, which then owns the object: acquire for what the first
  // wrote, release for what this one wrote (when it is the first).
  bool arrive() noexcept { return arrived_.exchange(true, std::memory_order_acq_rel); }

private:
  atomic<bool> arrived_{false};
};

}  // namespace vt::detail
