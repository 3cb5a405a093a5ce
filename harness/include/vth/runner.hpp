#pragma once
// Runs a scenario on the runtime and checks every step against the model: each op's
// outcome, then the observable state of every pooled source and the pool's counters.
// After the last op: drain (complete what is pending, run to idle, consume what is left),
// then the end-of-scenario checks: nothing stuck, every continuation and awaiter resumed
// exactly once, every source back in its pool.
#include <string>
#include <vector>

#include <vth/outcome.hpp>
#include <vth/scenario.hpp>

namespace vth {

struct step_record {
  op operation;
  outcome expected;
  outcome actual;
};

struct report {
  std::vector<step_record> steps;
  int failed_step = -1;   // index into steps; steps.size() for the end-of-scenario checks
  std::string failure;    // empty when the contract held
  bool ok() const noexcept { return failure.empty(); }
};

struct run_options {
  int recycle_budget = default_recycle_budget;
};

report run_scenario(const scenario& s, const run_options& options = {});

// The property a failed report violates, for messages and crash deduplication.
std::string violated_property(const report& r);

}  // namespace vth
