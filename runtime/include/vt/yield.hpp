#pragma once
// co_await vt::yield(): always suspends and reposts to the current executor (the default
// executor when none is current).
#include <coroutine>

#include <vt/detail/coroutine_resume.hpp>
#include <vt/executor.hpp>

namespace vt {

class yield_awaitable {
public:
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> awaiting) const {
    executor* current = current_executor();
    (current != nullptr ? *current : default_executor()).post(&detail::resume_coroutine, awaiting.address());
  }
  void await_resume() const noexcept {}
};

inline yield_awaitable yield() noexcept { return {}; }

}  // namespace vt
