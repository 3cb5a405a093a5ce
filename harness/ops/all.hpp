// Every op family. Read for the declarations (scenario.cpp), and again for the model's steps
// (model.cpp, VTH_MODEL_STEPS) and the runtime's (the runner, VTH_RUNTIME_STEPS): each family
// guards each of its parts on its own, so this file has no include guard.
#include <vth/ops/sources.hpp>
#include <vth/ops/value_tasks.hpp>
#include <vth/ops/tasks.hpp>
#include <vth/ops/combinators.hpp>
#include <vth/ops/cores.hpp>
#include <vth/ops/cancellation.hpp>
#include <vth/ops/scheduling.hpp>
#include <vth/ops/threads.hpp>
#include <vth/ops/faults.hpp>
#include <vth/ops/drain.hpp>
