#pragma once
// A scenario for people: a numbered trace with the model's expectation and the runtime's
// outcome per step (the broken step marked), and a ready-to-paste GoogleTest regression.
#include <string>

#include <vth/program.hpp>
#include <vth/runner.hpp>
#include <vth/scenario.hpp>

namespace vth {

std::string print_trace(const scenario& s, const report& r);
// The trace of a run that ended the process (crash_watch.hpp): the steps it finished, then
// the one it was in.
std::string print_trace_ending_in(const scenario& s, const report& so_far, const op& ending);
std::string print_regression_test(const scenario& s, const std::string& test_name);

// A program for people: its nodes numbered, its schedule, then its side effects step by
// step under task and under value_task (the first divergence marked), and each result
// beside the model's; and a ready-to-paste GoogleTest regression.
std::string print_trace(const program& p);
std::string print_regression_test(const program& p, const std::string& test_name);

}  // namespace vth
