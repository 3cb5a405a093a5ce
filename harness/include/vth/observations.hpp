#pragma once
// A scenario's run as another oracle reads it (oracle/dotnet): the settings, then one line
// per step with the op's frozen code, its argument bytes, its name, the outcome the model
// predicts and the one the runtime showed, in the words describe(outcome) uses. The steps
// end where the run did (a broken contract ends it). Machine-read: the format is fixed.
//
//   input <name>
//   settings values <int|void|tracked> start_version <n> token_bits <n> recycle_budget <n>
//   <step> <code> <a> <b> <c> <op name> => <model's outcome> | <runtime's outcome>
//   drain                  (the steps after it are the harness's, bringing the scenario to rest)
//   end
#include <string>

#include <vth/runner.hpp>
#include <vth/scenario.hpp>

namespace vth {

std::string print_observations(const std::string& name, const scenario& s, const report& r);

}  // namespace vth
