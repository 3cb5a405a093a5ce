#pragma once
// The pool behind suspended value_task coroutines (docs/semantics.md section 7): one per
// result type, process-wide, never destroyed. Its statistics say how many sources it made
// and how many are out: a test can check that every coroutine's result was consumed.
#include <vt/detail/value_task_promise.hpp>
#include <vt/source_pool.hpp>

namespace vt {

template <class T>
pool_statistics coroutine_source_statistics() {
  return detail::coroutine_source_pool<T>().statistics();
}

}  // namespace vt
