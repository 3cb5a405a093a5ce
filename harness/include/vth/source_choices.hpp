#pragma once
// What the contract leaves to a pooled source and its pool, and which answer a source under
// test gives. The model predicts with these; it never assumes vtlab's own answer for
// somebody else's source (vtlab_pools declares vtlab's, source_under_test.hpp).
namespace vth {

// Which idle source rent() hands out when several are idle (the contract: "the pool's
// choice"; vt's pool reuses the most recently returned one).
enum class idle_order {
  any,                      // the model takes whichever idle source the pool handed out
  most_recently_returned,   // LIFO: checked exactly
  least_recently_returned,  // FIFO: checked exactly
};

// How a source runs a continuation inline in its completing call (the contract: inline, or
// "may be queued" past a depth the runtime picks; vt's core bounds the nesting at 16 and
// lets the outermost inline run take the rest).
enum class inline_dispatch {
  through_vt_resumer,  // through vt's inline resumer, as a source built on vt's core does
  direct_call,         // the source calls the continuation itself, at any depth (as .NET's core does)
};

struct source_choices {
  // Whether the source's get_result moves the value out to the reader (vt's pooled sources)
  // or copies it (a source built on manual_reset_value_task_source_core, whose get_result
  // copies).
  bool consumption_moves_the_value = true;
  idle_order reuse = idle_order::any;
  inline_dispatch dispatch = inline_dispatch::through_vt_resumer;
};

}  // namespace vth
