// Cancellation: registration, cancel() and unregister() on different threads. Every
// callback runs at most once, and unregister() answers true exactly when it prevented
// the callback from ever running (docs/semantics.md section 9).
#include "families.hpp"

#include <vt/cancellation.hpp>

namespace vt_model_check {

namespace {

struct counters {
  vt::detail::atomic<int> runs{0};
  vt::detail::atomic<int> prevented{0};
};

// One thread cancels; the other registers a callback and unregisters it at once.
struct register_vs_cancel_vs_unregister : rl::test_suite<register_vs_cancel_vs_unregister, 2> {
  vt::cancellation_source* source;
  counters* count;
  void before() {
    source = new vt::cancellation_source();
    count = new counters();
  }
  void thread(unsigned index) {
    if (index == 0) {
      source->cancel();
    } else {
      counters* c = count;
      vt::cancellation_registration registration =
          source->token().register_callback([c] { c->runs.fetch_add(1, std::memory_order_relaxed); });
      if (registration.unregister()) c->prevented.fetch_add(1, std::memory_order_relaxed);
    }
  }
  void after() {
    RL_ASSERT(count->runs.load(std::memory_order_relaxed) + count->prevented.load(std::memory_order_relaxed) == 1);
    delete count;
    delete source;
  }
};

// Two threads register while a third cancels: each callback runs exactly once.
struct registrations_vs_cancel : rl::test_suite<registrations_vs_cancel, 3> {
  vt::cancellation_source* source;
  counters* count;
  vt::cancellation_registration* registrations;
  void before() {
    source = new vt::cancellation_source();
    count = new counters();
    registrations = new vt::cancellation_registration[2];
  }
  void thread(unsigned index) {
    if (index == 0) {
      source->cancel();
    } else {
      counters* c = count;
      registrations[index - 1] = source->token().register_callback([c] { c->runs.fetch_add(1, std::memory_order_relaxed); });
    }
  }
  void after() {
    RL_ASSERT(count->runs.load(std::memory_order_relaxed) == 2);
    delete[] registrations;
    delete count;
    delete source;
  }
};

}  // namespace

std::span<const check> cancellation_checks() {
  static const check checks[] = {
      make_check<register_vs_cancel_vs_unregister>("register_vs_cancel_vs_unregister"),
      make_check<registrations_vs_cancel>("registrations_vs_cancel"),
  };
  return checks;
}

}  // namespace vt_model_check
