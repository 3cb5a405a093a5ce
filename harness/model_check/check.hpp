#pragma once
// What every model check shares, vtlab's own and a checked source's: Relacy first
// (vt/detail/sync.hpp), the runtime on top of it, a registry entry per check, and the
// little types the checks are made of.
#include <vt/detail/sync.hpp>  // first: Relacy, then the runtime on top of it

#include <vector>

#include <vt/executor.hpp>

#include "pct_scheduler.hpp"

namespace vt_model_check {

// One check: a Relacy test suite, run with one of Relacy's schedulers (the driver's
// parameters say which) or with PCT.
struct check {
  const char* name;
  bool (*run)(rl::test_params&);
  bool (*run_pct)(rl::test_params&);
};

template <class Suite>
bool simulate(rl::test_params& params) {
  return rl::simulate<Suite>(params);
}

template <class Suite>
constexpr check make_check(const char* name) {
  return {name, &simulate<Suite>, &simulate_pct<Suite>};
}

// The checks a binary runs: vtlab's own (tests/model_check/checks.cpp), or a checked
// source's (vtlab_add_source_checks(... MODEL_CHECK) writes that one).
std::vector<check> registered_checks();

// A result type of the checks' own: no template instantiation here is shared with the
// runtime library, which is built with std::atomic.
struct checked_value {
  int value = 0;
};

// Posts run at once: a continuation runs on whichever logical thread dispatched it, so
// Relacy sees every step (no real thread pool inside a simulation).
class immediate_executor final : public vt::executor {
public:
  void post(vt::continuation_fn fn, void* state) override { fn(state); }
};

struct continuation_record {
  vt::detail::atomic<int> runs{0};
  static void run(void* self) { static_cast<continuation_record*>(self)->runs.fetch_add(1, std::memory_order_relaxed); }
};

}  // namespace vt_model_check
