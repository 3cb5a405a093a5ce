#pragma once
// How an op is declared: one `declaration<code>` per op, in its family's file under
// harness/ops/ (installed as vth/ops/). A declaration holds what the codec, the printer, the
// generators and the checks read of the op; the same file holds, apart, the op's step on
// the model (model::step_<name>) and on the system under test
// (system_under_test::step_<name>), compiled where VTH_MODEL_STEPS or VTH_RUNTIME_STEPS is
// defined, so that the model's code never sees the runtime's.
#include <cstdint>
#include <string>

#include <vth/scenario.hpp>

namespace vth::ops {

// Argument limits by slot kind (scenario.hpp).
inline constexpr int S = source_slots, V = value_task_slots, T = task_slots, K = cancellation_slots,
                     W = when_all_slots, C = core_slots;

// "V2", "S0": a slot as a trace prints it.
inline std::string slot(char kind, int index) { return std::string(1, kind) + std::to_string(index); }

template <op_code Code>
struct declaration;

}  // namespace vth::ops
