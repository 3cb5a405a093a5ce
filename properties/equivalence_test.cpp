// Property 2: a random async program (coroutines awaiting sources, each other, when_all
// and yield; errors; cancellation) gives the same result or error, and the same order of
// side effects, as task<T> and as value_task<T> under the same schedule, and the result
// the model evaluates.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "support/scenario_generators.hpp"

namespace {

RC_GTEST_PROP(task_value_task_equivalence, same_results_errors_and_side_effects, ()) {
  const vth::program p = *vth_properties::gen_program();
  RC_CLASSIFY(p.root.children.size() > 1, "branching root");
  vth_properties::check_program(p, "task_value_task_equivalence");
}

}  // namespace
