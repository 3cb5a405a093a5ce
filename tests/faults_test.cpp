// Faults in user code: every row of docs/semantics.md section 9, the unregister() rule under
// it, and completed_task()'s identity (section 4). Values fail through
// support/fragile_value.hpp, allocations through support/allocation_counter.hpp.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include <vt/vt.hpp>

#include "support/allocation_counter.hpp"
#include "support/counting_continuation.hpp"
#include "support/fragile_value.hpp"

namespace {

using vt_test::fragile_error;
using vt_test::fragile_reset;
using vt_test::fragile_value;

using vt_test::counter;
void throwing_continuation(void* self) {
  ++static_cast<counter*>(self)->runs;
  throw std::runtime_error("continuation failed");
}

class failing_executor final : public vt::executor {
public:
  void post(vt::continuation_fn, void*) override { throw std::runtime_error("post failed"); }
};

TEST(faults, this_binary_can_fail_allocations) {
  ASSERT_TRUE(vth::allocation_faults::installed()) << "operator new is not the hook: every bad_alloc test below is vacuous";
  vt_test::fail_allocation_after(0);
  EXPECT_THROW((void)std::make_unique<int>(1), std::bad_alloc);
  vt_test::fail_allocation_after(-1);
}

// Row 1: set_result's copy or move of the value throws.
TEST(faults, a_failed_store_propagates_and_leaves_the_source_pending) {
  fragile_reset reset;
  vt::source_pool<fragile_value> pool;
  auto& source = pool.rent();
  fragile_value value(7);
  fragile_value::fail_after(0);
  EXPECT_THROW(source.set_result(std::move(value)), fragile_error);
  EXPECT_EQ(source.status(source.version()), vt::source_status::pending);
  source.set_result(fragile_value(8));  // a later set_* works
  EXPECT_EQ(vt::value_task<fragile_value>(source, source.version()).result().value(), 8);
}

// Row 2: moving the result out during consumption throws.
TEST(faults, a_consumption_whose_move_throws_still_returns_the_source_once) {
  fragile_reset reset;
  vt::source_pool<fragile_value> pool;
  auto& source = pool.rent();
  source.set_result(fragile_value(1));
  vt::value_task<fragile_value> consumer(source, source.version());
  fragile_value::fail_after(0);
  EXPECT_THROW((void)consumer.result(), fragile_error);
  const auto stats = pool.statistics();
  EXPECT_EQ(stats.returned, 1u);
  EXPECT_EQ(stats.idle, stats.created);
  EXPECT_THROW((void)consumer.result(), vt::invalid_operation);  // consumed: once only
}

// Row 3: value_task copy or move assignment throws (strong guarantee).
TEST(faults, value_task_assignment_that_throws_keeps_the_old_value) {
  fragile_reset reset;
  vt::value_task<fragile_value> target(fragile_value(1));
  const vt::value_task<fragile_value> other(fragile_value(2));
  fragile_value::fail_after(0);
  EXPECT_THROW(target = other, fragile_error);
  EXPECT_EQ(target.result().value(), 1);

  auto task_backed = vt::value_task<fragile_value>::from_exception(std::make_exception_ptr(std::logic_error("x")));
  vt::value_task<fragile_value> result_backed(fragile_value(3));
  fragile_value::fail_after(0);
  EXPECT_THROW(task_backed = std::move(result_backed), fragile_error);
  EXPECT_EQ(task_backed.kind(), vt::value_task<fragile_value>::representation::task);
  EXPECT_TRUE(task_backed.is_faulted());
}

// Building a result that cannot be copied: the factory throws and nothing leaks or is
// destroyed unbuilt.
TEST(faults, factories_whose_value_cannot_be_copied_throw_and_leave_nothing) {
  fragile_reset reset;
  const fragile_value value(4);
  fragile_value::fail_after(0);
  EXPECT_THROW((void)vt::task<fragile_value>::from_result(value), fragile_error);
  // Built straight into storage full of garbage (guaranteed copy elision): a destructor
  // run over the unbuilt value would free a garbage pointer.
  alignas(vt::value_task<fragile_value>) unsigned char storage[sizeof(vt::value_task<fragile_value>)];
  std::memset(storage, 0xA5, sizeof storage);
  fragile_value::fail_after(0);
  EXPECT_THROW(::new (static_cast<void*>(storage)) vt::value_task<fragile_value>(vt::value_task<fragile_value>::from_result(value)),
               fragile_error);
  fragile_value::fail_after(0);
  EXPECT_THROW((void)vt::value_task<fragile_value>(value).as_task(), fragile_error);
}

vt::value_task<fragile_value> returns_after_suspending(vt::pooled_source<int>& gate) {
  co_await vt::value_task<int>(gate, gate.version());
  const fragile_value value(5);
  co_return value;  // stored by copy; moved on into the coroutine's source
}

vt::value_task<fragile_value> returns_at_once() {
  const fragile_value value(6);
  co_return value;
}

// Row 4: a coroutine's co_return value throws while being stored.
TEST(faults, a_coroutine_value_that_cannot_be_stored_completes_it_faulted) {
  fragile_reset reset;
  vt::source_pool<int> gates;
  auto& gate = gates.rent();
  auto suspended = returns_after_suspending(gate);
  fragile_value::fail_after(1);  // the copy into the frame works; the move into the source throws
  gate.set_result(0);
  EXPECT_TRUE(suspended.is_faulted());
  EXPECT_THROW((void)suspended.result(), fragile_error);

  fragile_value::fail_after(1);  // never suspended: the move into the result-backed value_task throws
  auto at_once = returns_at_once();
  EXPECT_TRUE(at_once.is_faulted());
  EXPECT_THROW((void)at_once.result(), fragile_error);
}

// Row 5: when_all cannot copy an input's result.
TEST(faults, when_all_that_cannot_copy_a_result_completes_faulted) {
  fragile_reset reset;
  auto done = vt::task<fragile_value>::from_result(fragile_value(1));
  fragile_value::fail_after(0);
  auto all = vt::when_all(std::vector<vt::task<fragile_value>>{done, done});
  ASSERT_TRUE(all.is_faulted());
  try {
    std::rethrow_exception(all.exception());
  } catch (const vt::aggregate_error& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_THROW(std::rethrow_exception(e.errors().front()), fragile_error);
  }
}

TEST(faults, when_all_with_a_pending_input_that_cannot_copy_completes_faulted_without_terminating) {
  fragile_reset reset;
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  auto first = vt::task<fragile_value>::from_result(fragile_value(1));
  auto late = [](vt::pooled_source<int>& s) -> vt::task<fragile_value> {
    co_await vt::value_task<int>(s, s.version());
    co_return fragile_value(2);
  }(source);
  auto all = vt::when_all(std::vector<vt::task<fragile_value>>{first, late});
  fragile_value::fail_after(1);  // the late result's store works; when_all's first copy throws
  source.set_result(0);
  ASSERT_TRUE(all.is_faulted());
  EXPECT_THROW((void)all.result(), fragile_error);
}

// Row 6: a continuation run by the runtime throws.
TEST(faults, a_throwing_inline_continuation_propagates_and_restores_the_thread) {
  // Far more throws than the inline depth limit: each must give its depth back.
  for (int i = 0; i < 3 * vt::detail::max_inline_depth; ++i) {
    vt::manual_reset_value_task_source_core<int> core;
    counter c;
    core.on_completed(&throwing_continuation, &c, core.version(), vt::on_completed_flags::none);
    EXPECT_THROW(core.set_result(i), std::runtime_error);
    EXPECT_EQ(c.runs, 1);
    EXPECT_EQ(core.status(core.version()), vt::source_status::succeeded);  // the outcome stays published
  }
  vt::manual_reset_value_task_source_core<int> core;
  counter c;
  core.on_completed(&counter::bump, &c, core.version(), vt::on_completed_flags::none);
  core.set_result(1);
  EXPECT_EQ(c.runs, 1);  // inline, not queued forever
}

vt::task<int> plus_one(vt::task<int> t) { co_return co_await t.configure_await(false) + 1; }

TEST(faults, a_throw_during_a_deep_inline_chain_still_runs_the_deferred_continuations) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  vt::task<int> chain = vt::value_task<int>(source, source.version()).as_task();
  for (int i = 0; i < 3 * vt::detail::max_inline_depth; ++i) chain = plus_one(chain);
  vt::manual_reset_value_task_source_core<int> core;
  counter c;
  core.on_completed(&throwing_continuation, &c, core.version(), vt::on_completed_flags::none);
  EXPECT_THROW(core.set_result(0), std::runtime_error);
  source.set_result(1);  // the chain runs past the limit: deferred, then drained
  ASSERT_TRUE(chain.is_completed());
  EXPECT_EQ(chain.result(), 1 + 3 * vt::detail::max_inline_depth);
}

TEST(faults, a_continuation_throwing_from_the_scheduler_propagates_from_run_one) {
  vt::manual_scheduler scheduler;
  vt::scheduling_scope scope(scheduler);
  vt::manual_reset_value_task_source_core<int> core;
  counter c;
  core.on_completed(&throwing_continuation, &c, core.version(), vt::on_completed_flags::use_scheduling_context);
  core.set_result(1);
  EXPECT_THROW(scheduler.run_one(), std::runtime_error);
  EXPECT_EQ(c.runs, 1);
  EXPECT_EQ(scheduler.pending(), 0u);
}

// Row 7: an executor's post throws.
TEST(faults, a_failing_post_propagates_and_leaves_the_generation_consistent) {
  failing_executor failing;
  vt::manual_reset_value_task_source_core<int> core;
  counter c;
  {
    vt::scheduling_scope scope(failing);
    core.on_completed(&counter::bump, &c, core.version(), vt::on_completed_flags::use_scheduling_context);
  }
  EXPECT_THROW(core.set_result(3), std::runtime_error);  // from the set_* that posted
  EXPECT_EQ(core.get_result(core.version()), 3);         // published
  EXPECT_NO_THROW(core.reset());                         // reset allowed
  core.set_result(4);
  vt::scheduling_scope scope(failing);
  EXPECT_THROW(core.on_completed(&counter::bump, &c, core.version(), vt::on_completed_flags::use_scheduling_context),
               std::runtime_error);  // from the on_completed that posted
  EXPECT_NO_THROW(core.reset());
  EXPECT_EQ(c.runs, 0);
}

// Row 8: a cancellation callback throws.
TEST(faults, every_cancellation_callback_runs_and_their_throws_come_out_together) {
  vt::cancellation_source cts;
  std::vector<int> log;
  auto a = cts.token().register_callback([&] { log.push_back(1); throw std::runtime_error("first"); });
  auto b = cts.token().register_callback([&] { log.push_back(2); });
  auto c = cts.token().register_callback([&] { log.push_back(3); throw std::logic_error("third"); });
  try {
    cts.cancel();
    FAIL() << "cancel() swallowed its callbacks' exceptions";
  } catch (const vt::aggregate_error& e) {
    ASSERT_EQ(e.errors().size(), 2u);
    EXPECT_THROW(std::rethrow_exception(e.errors()[0]), std::logic_error);  // in the order they ran
    EXPECT_THROW(std::rethrow_exception(e.errors()[1]), std::runtime_error);
  }
  EXPECT_EQ(log, (std::vector<int>{3, 2, 1}));
  EXPECT_TRUE(cts.is_cancellation_requested());
  EXPECT_NO_THROW(cts.cancel());  // once
}

// Row 9: std::bad_alloc from a runtime allocation.
TEST(faults, rent_that_cannot_grow_its_pool_leaks_nothing_and_changes_nothing) {
  vt::source_pool<int> pool;
  for (long n = 0; n < 4; ++n) {
    const auto before = pool.statistics();
    vt_test::fail_allocation_after(n);  // the source itself, or the pool's vector growing
    try {
      auto& source = pool.rent();
      vt_test::fail_allocation_after(-1);
      source.set_result(0);
      (void)source.get_result(source.version());
    } catch (const std::bad_alloc&) {
      vt_test::fail_allocation_after(-1);
      const auto after = pool.statistics();
      EXPECT_EQ(after.created, before.created);
      EXPECT_EQ(after.rented, before.rented);
    }
  }
}

TEST(faults, when_all_that_cannot_allocate_its_results_leaks_nothing) {
  auto one = vt::task<int>::from_result(1);
  for (long n = 0; n < 6; ++n) {
    vt_test::fail_allocation_after(n);
    try {
      auto all = vt::when_all(std::vector<vt::task<int>>{one, one});
      vt_test::fail_allocation_after(-1);
      if (all.is_faulted()) EXPECT_THROW((void)all.result(), std::bad_alloc);
    } catch (const std::bad_alloc&) {
      vt_test::fail_allocation_after(-1);  // propagated to the caller: fine, as long as nothing leaked
    }
  }
}

// An input whose frame (the task's state) holds `alive` until the task state is freed.
vt::task<int> faulted_holding(std::shared_ptr<int> alive) {
  (void)alive;
  throw std::runtime_error("input failed");
  co_return 0;
}

TEST(faults, when_all_that_cannot_gather_its_inputs_errors_faults_with_bad_alloc_and_frees_its_state) {
  auto alive = std::make_shared<int>(0);
  for (long n = 0; n < 8; ++n) {
    {
      auto input = faulted_holding(alive);
      const long baseline = alive.use_count();
      vt_test::fail_allocation_after(n);
      try {
        auto all = vt::when_all(std::vector<vt::task<int>>{input, input});
        vt_test::fail_allocation_after(-1);
        ASSERT_TRUE(all.is_faulted());  // with the inputs' errors, or with what stopped it gathering them
      } catch (const std::bad_alloc&) {
        vt_test::fail_allocation_after(-1);  // before it started: propagated to the caller
      }
      EXPECT_EQ(alive.use_count(), baseline) << "allocation " << n;
    }
    EXPECT_EQ(alive.use_count(), 1) << "allocation " << n << ": the when_all kept its input alive (its state leaked)";
  }
}

TEST(faults, run_whose_post_throws_propagates_and_frees_its_state) {
  failing_executor executor;
  auto alive = std::make_shared<int>(0);
  EXPECT_THROW((void)vt::run(executor, [alive] { return 1; }), std::runtime_error);
  EXPECT_EQ(alive.use_count(), 1) << "the run's state (holding the callable) leaked";
}

// Row 3's job: a run whose result cannot move into its task completes the task faulted
// with why, whichever copy or move inside the runtime throws (it used to move the value
// twice, the second time outside any guard, and std::terminate ended the worker).
TEST(faults, run_whose_result_cannot_move_into_its_task_completes_it_faulted) {
  for (int succeeding = 0; succeeding < 4; ++succeeding) {
    fragile_reset reset;
    vt::manual_scheduler scheduler;
    vt::task<fragile_value> ran = vt::run(scheduler, [succeeding] {
      fragile_value made(5);
      fragile_value::fail_after(succeeding);  // counted from the function's return on
      return made;
    });
    scheduler.run_until_idle();
    fragile_value::fail_after(-1);
    ASSERT_TRUE(ran.is_completed()) << succeeding << " moves succeed";
    if (ran.is_faulted()) {
      EXPECT_THROW(std::rethrow_exception(ran.exception()), fragile_error) << succeeding << " moves succeed";
    } else {
      EXPECT_EQ(ran.result().value(), 5) << succeeding << " moves succeed";
    }
  }
}

// The unregister() rule.
TEST(faults, unregister_during_cancel_prevents_a_callback_not_yet_reached) {
  vt::cancellation_source cts;
  std::vector<int> log;
  vt::cancellation_registration first = cts.token().register_callback([&] { log.push_back(1); });
  bool prevented = false, started = true;
  vt::cancellation_registration second;
  second = cts.token().register_callback([&] {
    log.push_back(2);
    prevented = first.unregister();  // not reached yet: prevented
    started = second.unregister();   // itself: started, so false
  });
  cts.cancel();
  EXPECT_TRUE(prevented);
  EXPECT_FALSE(started);
  EXPECT_EQ(log, (std::vector<int>{2}));
  EXPECT_FALSE(first.unregister());
}

// Section 4: completed_task() is one shared task.
TEST(faults, completed_task_is_one_shared_task) {
  EXPECT_TRUE(vt::completed_task() == vt::completed_task());
  EXPECT_TRUE(vt::value_task<void>().as_task() == vt::completed_task());
  vt::source_pool<void> pool;
  auto& source = pool.rent();
  source.set_result();
  EXPECT_TRUE(vt::value_task<void>(source, source.version()).as_task() == vt::completed_task());
  EXPECT_EQ(pool.statistics().returned, 1u);  // consumed
  vt_test::allocation_scope scope;
  for (int i = 0; i < 100; ++i) (void)vt::completed_task();
  EXPECT_EQ(scope.count(), 0u);
}

}  // namespace
