#include <vt/executor.hpp>
#include <vt/thread_pool.hpp>

namespace vt {

namespace {
thread_local executor* t_current_executor = nullptr;
}

executor* current_executor() noexcept { return t_current_executor; }

scheduling_scope::scheduling_scope(executor& ex) noexcept : previous_(t_current_executor) {
  t_current_executor = &ex;
}

scheduling_scope::~scheduling_scope() { t_current_executor = previous_; }

thread_pool& default_thread_pool() {
  // Never destroyed: work may still be posted during static destruction.
  static thread_pool* const pool = new thread_pool();
  return *pool;
}

executor& default_executor() { return default_thread_pool(); }

}  // namespace vt
