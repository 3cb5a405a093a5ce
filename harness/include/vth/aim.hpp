#pragma once
// Ops aimed at what they can act on, for the property generators. Drawn blindly, most ops
// on sources and registrations name a slot holding nothing live, and the runner skips them
// on both sides: they test nothing (measured over the exactly_once profile: wrap 87%,
// set_result 90%, register_raw 94% of draws). The model, stepped along the scenario, says
// where each op applies. (The fuzz targets do without: libFuzzer's coverage feedback
// already keeps their corpora to 27-29% skipped ops, and aiming each mutation cost a third
// of their executions for no more coverage.)
#include <vector>

#include <vth/scenario.hpp>

namespace vth {

// Each op the model would skip moves to the next argument value where it applies, or else
// gets the one or two ops that give it something to act on put before it (a rental, a
// value_task over it, a when_all, a cancellation registration, a completion posted to the
// scheduler for a scheduler step; those the scenario's alphabet holds). An op nothing
// makes apply stays as drawn.
//
// A task input naming a slot that still holds its initial task reads the task made most
// recently instead. Half the draws of an await of a value_task (and of as_task) read one
// over a pending source where a slot holds one; of those that resume where the completion
// runs, one is put in first where none exists. Half the draws of a completion on another
// thread complete a source someone awaits. Without these, what a worker's completion
// carries to its thread (resumed coroutines, their frames, combinators' counters) was
// reached from two threads in 1 to 4 scenarios in 1,000 (properties/thread_reach_test.cpp). With misuse::aimed_past, an op that would be a misuse (an outcome of
// invalid_operation: completing a completed source, registering on a consumed one) first
// moves to an argument where it is lawful, if there is one: for the properties whose bug
// lives in lawful traffic, not in misuse.
enum class misuse { as_drawn, aimed_past };
std::vector<op> aimed_at_live_slots(const std::vector<op>& drawn, const scenario_settings& settings,
                                    misuse drawn_misuse = misuse::as_drawn);

}  // namespace vth
