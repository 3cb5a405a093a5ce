#pragma once
// Runs a scenario on the runtime and checks every step against the model: each op's
// outcome, then the observable state (snapshot.hpp) of both. After the last op, the drain:
// ops chosen by the model (run to rest, complete what is pending, consume what is left)
// that both sides perform and the trace shows, each checked like the input's; then the
// end-of-scenario checks: nothing stuck, every continuation and awaiter resumed
// exactly once, every source back in its pool. Everything the run depends on is in the
// scenario (its ops and its settings).
#include <cstdint>
#include <string>
#include <vector>

#include <vth/outcome.hpp>
#include <vth/property.hpp>
#include <vth/scenario.hpp>

namespace vth {

struct step_record {
  op operation;
  outcome expected;
  outcome actual;
};

struct report {
  std::vector<step_record> steps;
  int failed_step = -1;  // index into steps; steps.size() for the end-of-scenario checks
  property violated = property::none;
  std::string failure;  // what broke, for people; empty when the contract held
  // stale_token_rejection: how many generations the accepted token lagged the source's
  // version (negative: a future token; 0: a token equal to an idle source's version).
  std::int64_t token_lag = 0;
  bool ok() const noexcept { return violated == property::none; }
};

struct program;

// Sees each step of a run before it runs (the input's ops, then the drain's), with the
// steps run so far: for a tool that must show a run that ends the process mid-step
// (std::terminate or a sanitizer report from inside the source under test; crash_watch.hpp).
// A program is watched per run: once before it runs under task, once under value_task.
class step_watcher {
public:
  virtual void before_step(const scenario& s, const report& so_far, const op& next) noexcept = 0;
  virtual void before_program_run(const program&, const char* /*under: "task" or "value_task"*/) noexcept {}

protected:
  ~step_watcher() = default;
};

// Checks the source under test: vtlab's own pools, unless the binary installed others
// (scenario_runner.hpp: checked_sources).
report run_scenario(const scenario& s, step_watcher* watcher = nullptr);

using scenario_runner = report (*)(const scenario&, step_watcher*);
void use_scenario_runner(scenario_runner runner) noexcept;

// The ABA hazard of a token `token_bits` wide: a stale token accepted exactly when it lags
// by a whole number of token cycles. In a 16-bit build this is the expected failure; any
// other failure there is a real bug.
bool is_token_wraparound(const report& r, int token_bits) noexcept;

}  // namespace vth
