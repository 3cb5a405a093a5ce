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

// How an op prints in a trace: its name, then its declaration's `shape` with {a}, {b}, {c}
// standing for its arguments ("V{a} <- V{b}" prints "copy V2 <- V0"), or, for an op whose
// line is more than that, its declaration's own `describe`.
std::string printed(const char* name, const char* shape, const op& o);
template <op_code Code>
std::string describe(const op& o) {
  if constexpr (requires { declaration<Code>::describe(o); }) {
    return declaration<Code>::describe(o);
  } else {
    return printed(declaration<Code>::info.name, declaration<Code>::shape, o);
  }
}

// register_raw_with's and register_throwing's flag bits, as a trace names them.
inline const char* flags_named(int bits) {
  static const char* names[] = {"none", "use_scheduling_context", "flow_execution_context", "both"};
  return names[bits & 3];
}

}  // namespace vth::ops
