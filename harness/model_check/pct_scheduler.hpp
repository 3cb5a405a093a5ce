#pragma once
// PCT (probabilistic concurrency testing, Burckhardt et al., ASPLOS 2010) as a Relacy
// scheduler: Relacy ships exhaustive, context-bounded and uniformly random schedulers,
// not this one. Each iteration gives the threads distinct random priorities and picks
// depth - 1 random change points among the first `steps` scheduling points; the runnable
// thread with the highest priority always runs, and at the i-th change point the running
// thread drops to priority i, below every initial one. A bug of depth d is found with
// probability at least 1 / (n * steps^(d-1)) per iteration.
//
// Everything an iteration does follows from its number, so Relacy's replay of a failing
// iteration (and its own re-run to print the history) is exact. Past 8 * steps
// scheduling points it picks uniformly at random: a spinning high-priority thread cannot
// starve the thread it waits for.
#include <vt/detail/sync.hpp>  // Relacy first

#include <sstream>
#include <typeinfo>

#include <algorithm>
#include <array>

namespace vt_model_check {

struct pct_options {
  unsigned depth = 3;    // d: the bug depth PCT targets (d - 1 change points)
  unsigned steps = 200;  // k: the scheduling points a run is expected to take
};
inline pct_options pct_settings;  // set by the driver before a PCT run

template <rl::thread_id_t thread_count>
class pct_scheduler : public rl::scheduler<pct_scheduler<thread_count>, rl::scheduler_thread_info, thread_count> {
  using base_t = rl::scheduler<pct_scheduler<thread_count>, rl::scheduler_thread_info, thread_count>;

public:
  using thread_info_t = typename base_t::thread_info_t;
  using shared_context_t = typename base_t::shared_context_t;
  struct task_t {};

  pct_scheduler(rl::test_params& params, shared_context_t& ctx, rl::thread_id_t dynamic_thread_count)
      : base_t(params, ctx, dynamic_thread_count) {}

  rl::thread_id_t iteration_begin_impl() {
    rand_.seed(this->iter_);
    const unsigned depth = std::max(1u, pct_settings.depth);
    // Initial priorities depth .. depth + n - 1, in random order (Fisher-Yates).
    for (rl::thread_id_t i = 0; i != thread_count; ++i) priority_[i] = depth + i;
    for (rl::thread_id_t i = thread_count; i > 1; --i) std::swap(priority_[i - 1], priority_[rand_.rand() % i]);
    change_points_.fill(0);
    for (unsigned i = 0; i + 1 < depth && i < change_points_.size(); ++i) {
      change_points_[i] = 1 + rand_.rand() % std::max(1u, pct_settings.steps);
    }
    step_ = 0;
    rl::unpark_reason reason;
    return schedule_impl(reason, 0);
  }

  bool iteration_end_impl() { return this->iter_ == this->params_.iteration_count; }

  rl::thread_id_t schedule_impl(rl::unpark_reason& reason, unsigned /*yield*/) {
    ++step_;
    if (this->thread_ != nullptr) {
      for (unsigned i = 0; i < change_points_.size(); ++i) {
        if (change_points_[i] == step_) priority_[this->thread_->index_] = i;  // below every initial priority
      }
    }
    reason = rl::unpark_reason_normal;
    if (this->running_threads_count == 0) {  // everyone waits: a timed wait times out
      RL_VERIFY(this->timed_thread_count_ != 0);
      thread_info_t* timed = this->timed_threads_[rand_.rand() % this->timed_thread_count_];
      this->unpark_thread(timed->index_);
      reason = rl::unpark_reason_timeout;
      return timed->index_;
    }
    if (step_ > 8 * std::max(1u, pct_settings.steps)) {
      return this->running_threads[rand_.rand() % this->running_threads_count];
    }
    rl::thread_id_t best = this->running_threads[0];
    for (rl::thread_id_t i = 1; i < this->running_threads_count; ++i) {
      const rl::thread_id_t candidate = this->running_threads[i];
      if (priority_[candidate] > priority_[best]) best = candidate;
    }
    return best;
  }

  unsigned rand_impl(unsigned limit, rl::sched_type) { return rand_.rand() % limit; }
  rl::iteration_t iteration_count_impl() { return this->params_.iteration_count; }
  void get_state_impl(std::ostream&) {}
  void set_state_impl(std::istream&) {}
  void on_thread_block(rl::thread_id_t, bool) {}

private:
  rl::random_generator rand_;
  std::array<unsigned, thread_count> priority_{};
  std::array<unsigned, 8> change_points_{};  // 0: unused
  unsigned step_ = 0;
};

// rl::simulate with the PCT scheduler: a failing iteration is run again with its history
// collected, as Relacy does for its own schedulers.
template <class Suite>
bool simulate_pct(rl::test_params& params) {
  params.test_name = typeid(Suite).name();
  std::ostringstream state;
  rl::test_result_e result = rl::run_test<Suite, pct_scheduler<Suite::params::thread_count>>(params, state, false);
  if (result != rl::test_result_success && !params.collect_history) {
    std::ostringstream history;
    params.initial_state = state.str();
    params.final_state = state.str();
    params.collect_history = true;
    result = rl::run_test<Suite, pct_scheduler<Suite::params::thread_count>>(params, history, true);
  }
  return Suite::params::expected_result == result;
}

}  // namespace vt_model_check
