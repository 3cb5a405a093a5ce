#pragma once
// One long-lived thread with no executor current, for ops that must start work outside any
// scheduler (op 63). Reused because a thread per use cost the fuzz targets a clone and an
// unmap on every such op.
#include <functional>

namespace vth::detail {

// Runs `job` on the bare thread and waits for it to finish; jobs never overlap. `job` must
// not throw.
void run_on_bare_thread(const std::function<void()>& job);

}  // namespace vth::detail
