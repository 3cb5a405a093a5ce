#pragma once
// The model checks of a source under test (vth/source_under_test.hpp), the protocol vt's own
// pooled source passes (tests/model_check/source_protocol_checks.cpp), instantiated on an
// adapter: every interleaving up to the search's bound of
//
//   completion_vs_registration       the continuation runs exactly once
//   completion_publishes_the_outcome a registered consumer reads the value the completer wrote
//   completion_vs_polling_consumer   a consumer that saw `succeeded` reads that value
//   two_consumers                    exactly one of two consumers of one generation reads it
//   stale_calls_vs_recycle           a stale status() or on_completed() racing the consumer's
//                                    consume-and-re-rent is refused or answers the old
//                                    generation, and never reaches the next one
//   consumption_vs_rent              a source given back while another thread rents: no
//                                    source is handed to two renters
//
// Relacy sees what goes through vt/sync.hpp (and vt's core, if the source is built on it):
// a data race on a vt::sync::access_marker is a publication missing its order; an assertion
// a wrong count or value. Continuations capture the driver's immediate executor, so a
// posted one runs on the logical thread that posted it, inside the simulation.
#include "check.hpp"

#include <deque>
#include <string>

#include <vt/errors.hpp>
#include <vth/source_under_test.hpp>

namespace vt_model_check::sources {

// One source rented from a pool of the adapter's, at version 0.
template <class Sources>
struct rented_source {
  using pool_type = typename Sources::template pool<int>;
  using source_type = typename Sources::template source<int>;
  pool_type* pool = nullptr;
  source_type* source = nullptr;
  void rent() {
    pool = new pool_type(2, 0);
    source = &pool->rent();
  }
  void release() { delete pool; }
  void register_on(continuation_record* record, vt::token_t token) {
    source->on_completed(&continuation_record::run, record, token, vt::on_completed_flags::use_scheduling_context);
  }
};

template <class Sources>
struct completion_vs_registration : rl::test_suite<completion_vs_registration<Sources>, 2>, rented_source<Sources> {
  continuation_record* record;
  void before() {
    this->rent();
    record = new continuation_record();
  }
  void thread(unsigned index) {
    if (index == 0) {
      this->source->set_result(1);
    } else {
      this->register_on(record, 0);
    }
  }
  void after() {
    RL_ASSERT(record->runs.load(std::memory_order_relaxed) == 1);
    delete record;
    this->release();
  }
};

template <class Sources>
struct consuming_continuation {
  typename Sources::template source<int>* source = nullptr;
  vt::detail::shared_field<int> seen;
  static void run(void* self) {
    auto* c = static_cast<consuming_continuation*>(self);
    c->seen = c->source->get_result(0);
  }
};

template <class Sources>
struct completion_publishes_the_outcome : rl::test_suite<completion_publishes_the_outcome<Sources>, 2>,
                                          rented_source<Sources> {
  consuming_continuation<Sources>* consumer;
  void before() {
    this->rent();
    consumer = new consuming_continuation<Sources>();
    consumer->source = this->source;
  }
  void thread(unsigned index) {
    if (index == 0) {
      this->source->set_result(7);
    } else {
      this->source->on_completed(&consuming_continuation<Sources>::run, consumer, 0,
                                 vt::on_completed_flags::use_scheduling_context);
    }
  }
  void after() {
    RL_ASSERT(static_cast<int>(consumer->seen) == 7);
    delete consumer;
    this->release();
  }
};

template <class Sources>
struct completion_vs_polling_consumer : rl::test_suite<completion_vs_polling_consumer<Sources>, 2>,
                                        rented_source<Sources> {
  void before() { this->rent(); }
  void thread(unsigned index) {
    if (index == 0) {
      this->source->set_result(3);
    } else if (this->source->status(0) == vt::source_status::succeeded) {
      RL_ASSERT(this->source->get_result(0) == 3);
    }
  }
  void after() { this->release(); }
};

template <class Sources>
struct two_consumers : rl::test_suite<two_consumers<Sources>, 2>, rented_source<Sources> {
  vt::detail::atomic<int> winners{0};
  void before() {
    winners.store(0, std::memory_order_relaxed);
    this->rent();
    this->source->set_result(5);
  }
  void thread(unsigned) {
    try {
      RL_ASSERT(this->source->get_result(0) == 5);
      winners.fetch_add(1, std::memory_order_relaxed);
    } catch (const vt::invalid_operation&) {
    }
  }
  void after() {
    RL_ASSERT(winners.load(std::memory_order_relaxed) == 1);
    RL_ASSERT(this->pool->statistics().returned == 1);
    this->release();
  }
};

// Thread 0 is the legitimate owner of a completed generation: it consumes it (the source
// goes back to its pool) and rents the same source again. Thread 1 holds a stale copy of the token.
template <class Sources>
struct stale_calls_vs_recycle : rl::test_suite<stale_calls_vs_recycle<Sources>, 2>, rented_source<Sources> {
  continuation_record* stale;
  continuation_record* next;
  void before() {
    this->rent();
    this->source->set_result(1);
    stale = new continuation_record();
    next = new continuation_record();
  }
  void thread(unsigned index) {
    if (index == 0) {
      RL_ASSERT(this->source->get_result(0) == 1);
      RL_ASSERT(&this->pool->rent() == this->source);  // the one idle source, generation 1
    } else {
      try {
        RL_ASSERT(this->source->status(0) != vt::source_status::pending);
      } catch (const vt::invalid_operation&) {
      }
      try {
        this->register_on(stale, 0);
      } catch (const vt::invalid_operation&) {
      }
    }
  }
  void after() {
    // The stale registration ran at once (the old generation had completed) or was
    // refused; the next renter's own registration is accepted, and runs once.
    RL_ASSERT(stale->runs.load(std::memory_order_relaxed) <= 1);
    const int stale_runs = stale->runs.load(std::memory_order_relaxed);
    try {
      this->register_on(next, 1);
    } catch (const vt::invalid_operation&) {
      RL_ASSERT(!"the next renter's registration was refused: the stale one took its slot");
    }
    this->source->set_result(2);
    RL_ASSERT(next->runs.load(std::memory_order_relaxed) == 1);
    RL_ASSERT(stale->runs.load(std::memory_order_relaxed) == stale_runs);
    RL_ASSERT(this->source->get_result(1) == 2);
    delete stale;
    delete next;
    this->release();
  }
};

// Thread 0 consumes its generation, giving its source back to the pool, while thread 1
// rents from the same pool, which holds one idle source already: every rental is a source
// nobody else holds (a free list relinked out of order hands one out twice).
template <class Sources>
struct consumption_vs_rent : rl::test_suite<consumption_vs_rent<Sources>, 2> {
  using pool_type = typename Sources::template pool<int>;
  using source_type = typename Sources::template source<int>;
  pool_type* pool;
  source_type* consumed;
  source_type* rented_there;
  void before() {
    pool = new pool_type(3, 0);
    consumed = &pool->rent();
    source_type& idle = pool->rent();
    idle.set_result(0);
    (void)idle.get_result(0);
    consumed->set_result(1);
    rented_there = nullptr;
  }
  void thread(unsigned index) {
    if (index == 0) {
      RL_ASSERT(consumed->get_result(0) == 1);
    } else {
      rented_there = &pool->rent();
    }
  }
  void after() {
    // Three sources in all, one rented by thread 1: the next two rentals are the other two.
    source_type* second = &pool->rent();
    source_type* third = &pool->rent();
    RL_ASSERT(second != rented_there && third != rented_there && second != third);
    delete pool;
  }
};

template <class Sources>
std::vector<check> source_checks(const std::string& prefix) {
  static_assert(vth::check_source_under_test<Sources>());
  // The names live as long as the process: the driver holds them as C strings.
  static std::deque<std::string> names;
  auto named = [&](const char* name) { return names.emplace_back(prefix + name).c_str(); };
  return {
      make_check<completion_vs_registration<Sources>>(named("completion_vs_registration")),
      make_check<completion_publishes_the_outcome<Sources>>(named("completion_publishes_the_outcome")),
      make_check<completion_vs_polling_consumer<Sources>>(named("completion_vs_polling_consumer")),
      make_check<two_consumers<Sources>>(named("two_consumers")),
      make_check<stale_calls_vs_recycle<Sources>>(named("stale_calls_vs_recycle")),
      make_check<consumption_vs_rent<Sources>>(named("consumption_vs_rent")),
  };
}

}  // namespace vt_model_check::sources
