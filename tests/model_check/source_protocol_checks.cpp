// The source protocol: a manual_reset core and a pooled source, against completion,
// registration, polling, reset, stale tokens and recycling on another thread.
#include "families.hpp"

#include <vt/manual_reset_value_task_source_core.hpp>
#include <vt/source_pool.hpp>

namespace vt_model_check {

namespace {

using core_type = vt::manual_reset_value_task_source_core<checked_value>;
using pool_type = vt::source_pool<checked_value>;

// A continuation that consumes the result it was woken for.
struct consuming_continuation {
  core_type* core = nullptr;
  vt::token_t token = 0;
  vt::detail::shared_field<int> seen;
  static void run(void* self) {
    auto* c = static_cast<consuming_continuation*>(self);
    c->seen = c->core->get_result(c->token).value;
  }
};

// Completion vs registration: the continuation runs exactly once, whichever comes first.
struct completion_vs_registration : rl::test_suite<completion_vs_registration, 2> {
  core_type* core;
  continuation_record* record;
  void before() {
    core = new core_type();
    record = new continuation_record();
  }
  void thread(unsigned index) {
    if (index == 0) {
      core->set_result(checked_value{1});
    } else {
      core->on_completed(&continuation_record::run, record, 0, vt::on_completed_flags::use_scheduling_context);
    }
  }
  void after() {
    RL_ASSERT(record->runs.load(std::memory_order_relaxed) == 1);
    delete record;
    delete core;
  }
};

// Completion vs a registered consumer: the consumer reads the outcome only after its
// publication (a data race on the outcome otherwise).
struct completion_publishes_the_outcome : rl::test_suite<completion_publishes_the_outcome, 2> {
  core_type* core;
  consuming_continuation* consumer;
  void before() {
    core = new core_type();
    consumer = new consuming_continuation();
    consumer->core = core;
  }
  void thread(unsigned index) {
    if (index == 0) {
      core->set_result(checked_value{7});
    } else {
      core->on_completed(&consuming_continuation::run, consumer, 0, vt::on_completed_flags::use_scheduling_context);
    }
  }
  void after() {
    RL_ASSERT(static_cast<int>(consumer->seen) == 7);
    delete consumer;
    delete core;
  }
};

// A poller that reads the result once status() says it is there.
struct completion_vs_polling_consumer : rl::test_suite<completion_vs_polling_consumer, 2> {
  core_type* core;
  void before() { core = new core_type(); }
  void thread(unsigned index) {
    if (index == 0) {
      core->set_result(checked_value{3});
    } else if (core->status(0) == vt::source_status::succeeded) {
      RL_ASSERT(core->get_result(0).value == 3);
    }
  }
  void after() { delete core; }
};

// A stale token's status() racing the owner's reset(): the old generation answers
// succeeded or is rejected as stale, never pending, and never reads what reset clears.
// Found on the code before the fix in 9 interleavings: the stale reader saw version 0
// (not yet the new one) and the flags already cleared, and answered pending
// (`--replay 'bound:9 9 2 0 0 2 0 0 2 0 0 2 0 0 2 0 0 2 0 0 2 0 0 2 1 1 2 0 1 '` then).
struct stale_status_vs_reset : rl::test_suite<stale_status_vs_reset, 2> {
  core_type* core;
  void before() {
    core = new core_type();
    core->set_result(checked_value{1});
  }
  void thread(unsigned index) {
    if (index == 0) {
      (void)core->get_result(0);
      core->reset();
    } else {
      try {
        RL_ASSERT(core->status(0) != vt::source_status::pending);
      } catch (const vt::invalid_operation&) {
      }
    }
  }
  void after() { delete core; }
};

// Two copies of one pooled value_task consumed on two threads: exactly one gets the
// outcome, and the source goes back to its pool once. Found on the code before the fix
// in 97 interleavings (both consumed; a data race on the outcome).
struct two_consumers_of_one_pooled_source : rl::test_suite<two_consumers_of_one_pooled_source, 2> {
  pool_type* pool;
  vt::pooled_source<checked_value>* source;
  vt::detail::atomic<int> winners{0};
  void before() {
    winners.store(0, std::memory_order_relaxed);
    pool = new pool_type();
    source = &pool->rent();
    source->set_result(checked_value{5});
  }
  void thread(unsigned) {
    try {
      RL_ASSERT(source->get_result(0).value == 5);
      winners.fetch_add(1, std::memory_order_relaxed);
    } catch (const vt::invalid_operation&) {
    }
  }
  void after() {
    RL_ASSERT(winners.load(std::memory_order_relaxed) == 1);
    RL_ASSERT(pool->statistics().returned == 1);
    delete pool;
  }
};

// A stale copy's on_completed racing the legitimate consumer's consume-and-re-rent: the
// stale registration is rejected and never lands in the next generation. Found on the
// code before the fix in 1,025 interleavings (a data race on the continuation fields, and
// the registration's flag set in the next generation).
struct stale_registration_vs_recycle : rl::test_suite<stale_registration_vs_recycle, 2> {
  pool_type* pool;
  vt::pooled_source<checked_value>* source;
  continuation_record* stale;
  continuation_record* next;
  void before() {
    pool = new pool_type();
    source = &pool->rent();
    stale = new continuation_record();
    next = new continuation_record();
  }
  void thread(unsigned index) {
    if (index == 0) {
      source->set_result(checked_value{1});
      (void)source->get_result(0);
      (void)pool->rent();  // the same source, generation 1
    } else {
      try {
        source->on_completed(&continuation_record::run, stale, 0, vt::on_completed_flags::use_scheduling_context);
      } catch (const vt::invalid_operation&) {
      }
    }
  }
  void after() {
    // The next renter's own registration must be accepted, and run once.
    source->on_completed(&continuation_record::run, next, 1, vt::on_completed_flags::use_scheduling_context);
    source->set_result(checked_value{2});
    RL_ASSERT(next->runs.load(std::memory_order_relaxed) == 1);
    (void)source->get_result(1);
    delete stale;
    delete next;
    delete pool;
  }
};

}  // namespace

std::span<const check> source_protocol_checks() {
  static const check checks[] = {
      make_check<completion_vs_registration>("completion_vs_registration"),
      make_check<completion_publishes_the_outcome>("completion_publishes_the_outcome"),
      make_check<completion_vs_polling_consumer>("completion_vs_polling_consumer"),
      make_check<stale_status_vs_reset>("stale_status_vs_reset"),
      make_check<two_consumers_of_one_pooled_source>("two_consumers_of_one_pooled_source"),
      make_check<stale_registration_vs_recycle>("stale_registration_vs_recycle"),
  };
  return checks;
}

}  // namespace vt_model_check
