#pragma once
// vt::delay(d): a task that completes after d: virtual time on a current
// manual_scheduler, real time (a timer on the default executor) otherwise.
#include <chrono>

#include <vt/task.hpp>

namespace vt {

task<void> delay(std::chrono::nanoseconds duration);

}  // namespace vt
