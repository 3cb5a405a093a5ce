// Property 8: model-based tests (rc::state) of manual_reset_value_task_source_core and of
// source_pool: random command sequences with right and wrong tokens against a simple model.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

#include <vt/vt.hpp>
#include <vth/misuse.hpp>
#include <vth/source_under_test.hpp>

namespace {

// ---- the core -----------------------------------------------------------------

struct core_model {
  std::int64_t version = 0;
  bool completed = false;
  int kind = 0;  // 0 value, 1 error, 2 canceled
  int value = 0;
  bool registered = false;
  int posted = 0;  // continuations waiting in the scheduler
  int runs = 0;
};

struct core_sut {
  vt::manual_scheduler scheduler;
  vt::scheduling_scope scope{scheduler};
  vt::manual_reset_value_task_source_core<int> core;
  int runs = 0;
  static void run(void* self) { ++static_cast<core_sut*>(self)->runs; }
};

using core_command = rc::state::Command<core_model, core_sut>;

vt::token_t token_for(const core_model& m, int offset) { return static_cast<vt::token_t>(m.version + offset); }

void check_state(const core_model& m, core_sut& sut) {
  RC_ASSERT(sut.core.version() == static_cast<vt::token_t>(m.version));
  RC_ASSERT(sut.runs == m.runs);
}

// A refusal: invalid_operation naming the misuse (docs/semantics.md section 1), a wrong
// token with its distance from the core's version.
using refusal = std::optional<vth::misuse_report>;
refusal refused_as(vth::named_misuse kind) { return vth::misuse_report{kind}; }
refusal wrong_token(int offset) { return vth::at_width(vth::stale_token(-offset), static_cast<int>(vt::token_bits)); }

template <class Act>
void assert_refused(const vth::misuse_report& expected, Act act) {
  try {
    act();
  } catch (const vt::invalid_operation& e) {
    RC_ASSERT(vth::misuse_reported(e, static_cast<int>(vt::token_bits)) == expected);
    return;
  }
  RC_FAIL("accepted where invalid_operation (" + vth::describe(expected) + ") is due");
}

// Runs `act`, which must be refused exactly when the model says so, naming the misuse, then
// checks the core against the model after `command`.
template <class Act>
void run_and_check(const core_command& command, const core_model& m, core_sut& sut, const refusal& refused, Act act) {
  if (refused) {
    assert_refused(*refused, act);
  } else {
    act();
  }
  core_model next = m;
  command.apply(next);
  check_state(next, sut);
}

struct complete : core_command {
  int kind = *rc::gen::inRange(0, 3);
  int value = *rc::gen::inRange(0, 100);
  void apply(core_model& m) const override {
    if (m.completed) return;  // refused: the first outcome is kept
    m.completed = true;
    m.kind = kind;
    m.value = value;
    if (m.registered) ++m.posted;
  }
  void run(const core_model& m, core_sut& sut) const override {
    run_and_check(*this, m, sut, m.completed ? refused_as(vth::named_misuse::double_completion) : refusal{}, [&] {
      if (kind == 0) sut.core.set_result(value);
      if (kind == 1) sut.core.set_exception(std::make_exception_ptr(std::runtime_error(std::to_string(value))));
      if (kind == 2) sut.core.set_canceled();
    });
  }
  void show(std::ostream& os) const override { os << "complete kind " << kind << " value " << value; }
};

struct get_result : core_command {
  int offset = *rc::gen::weightedElement<int>({{4, 0}, {1, -1}, {1, 1}, {1, -7}});
  void run(const core_model& m, core_sut& sut) const override {
    const vt::token_t token = token_for(m, offset);
    if (offset != 0 || !m.completed) {
      assert_refused(*(offset != 0 ? wrong_token(offset) : refused_as(vth::named_misuse::before_completion)),
                     [&] { (void)sut.core.get_result(token); });
    } else if (m.kind == 0) {
      RC_ASSERT(sut.core.get_result(token) == m.value);
    } else if (m.kind == 1) {
      RC_ASSERT_THROWS_AS(sut.core.get_result(token), std::runtime_error);
    } else {
      RC_ASSERT_THROWS_AS(sut.core.get_result(token), vt::operation_canceled);
    }
    check_state(m, sut);
  }
  void show(std::ostream& os) const override { os << "get_result token version" << std::showpos << offset << std::noshowpos; }
};

struct status : core_command {
  int offset = *rc::gen::weightedElement<int>({{4, 0}, {1, -1}, {1, 2}});
  void run(const core_model& m, core_sut& sut) const override {
    const vt::token_t token = token_for(m, offset);
    if (offset != 0) {
      assert_refused(*wrong_token(offset), [&] { (void)sut.core.status(token); });
    } else {
      const auto expected = !m.completed   ? vt::source_status::pending
                            : m.kind == 0 ? vt::source_status::succeeded
                            : m.kind == 1 ? vt::source_status::faulted
                                          : vt::source_status::canceled;
      RC_ASSERT(sut.core.status(token) == expected);
    }
    check_state(m, sut);
  }
  void show(std::ostream& os) const override { os << "status token version" << std::showpos << offset << std::noshowpos; }
};

struct on_completed : core_command {
  int offset = *rc::gen::weightedElement<int>({{4, 0}, {1, -1}, {1, 1}});
  void apply(core_model& m) const override {
    if (offset != 0 || m.registered) return;
    m.registered = true;
    if (m.completed) ++m.posted;
  }
  void run(const core_model& m, core_sut& sut) const override {
    const refusal refused = offset != 0 ? wrong_token(offset)
                            : m.registered ? refused_as(vth::named_misuse::second_continuation)
                                           : refusal{};
    run_and_check(*this, m, sut, refused, [&] {
      sut.core.on_completed(&core_sut::run, &sut, token_for(m, offset), vt::on_completed_flags::use_scheduling_context);
    });
  }
  void show(std::ostream& os) const override { os << "on_completed token version" << std::showpos << offset << std::noshowpos; }
};

struct reset : core_command {
  void apply(core_model& m) const override {
    if (m.registered && !m.completed) return;  // refused: the continuation would be lost
    ++m.version;
    m.completed = false;
    m.registered = false;
  }
  void run(const core_model& m, core_sut& sut) const override {
    const bool loses_it = m.registered && !m.completed;
    run_and_check(*this, m, sut, loses_it ? refused_as(vth::named_misuse::reset_with_continuation) : refusal{},
                  [&] { sut.core.reset(); });
  }
  void show(std::ostream& os) const override { os << "reset"; }
};

struct run_posted : core_command {
  void apply(core_model& m) const override {
    m.runs += m.posted;
    m.posted = 0;
  }
  void run(const core_model& m, core_sut& sut) const override {
    RC_ASSERT(sut.scheduler.run_until_idle() == static_cast<std::size_t>(m.posted));
    core_model next = m;
    apply(next);
    check_state(next, sut);
  }
  void show(std::ostream& os) const override { os << "run posted continuations"; }
};

RC_GTEST_PROP(source_core_model, commands_with_right_and_wrong_tokens_match_the_model, ()) {
  core_model initial;
  core_sut sut;
  rc::state::check(initial, sut,
                   rc::state::gen::execOneOfWithArgs<complete, get_result, status, on_completed, reset, run_posted>());
  sut.scheduler.run_until_idle();
}

// ---- the pool -----------------------------------------------------------------

constexpr std::size_t capacity = 3;

struct pool_model {
  std::vector<std::int64_t> versions;  // by creation order
  std::vector<int> idle;               // LIFO
  struct rental {
    int source;
    bool completed;
    int value;
  };
  std::vector<rental> rented;
  std::size_t rents = 0, returns = 0;
};

struct pool_sut {
  vt::source_pool<int> pool{capacity};
  std::vector<vt::pooled_source<int>*> created;
  std::vector<vt::pooled_source<int>*> rented;
};

using pool_command = rc::state::Command<pool_model, pool_sut>;

void check_pool(const pool_model& m, pool_sut& sut) {
  const auto stats = sut.pool.statistics();
  RC_ASSERT(stats.created == m.versions.size());
  RC_ASSERT(stats.rented == m.rents);
  RC_ASSERT(stats.returned == m.returns);
  RC_ASSERT(stats.idle == m.idle.size());
  for (std::size_t i = 0; i < sut.created.size(); ++i) {
    RC_ASSERT(sut.created[i]->version() == static_cast<vt::token_t>(m.versions[i]));
  }
}

struct rent : pool_command {
  void apply(pool_model& m) const override {
    if (!m.idle.empty()) {
      m.rented.push_back({m.idle.back(), false, 0});
      m.idle.pop_back();
    } else if (m.versions.size() < capacity) {
      m.versions.push_back(0);
      m.rented.push_back({static_cast<int>(m.versions.size()) - 1, false, 0});
    } else {
      return;
    }
    ++m.rents;
  }
  void run(const pool_model& m, pool_sut& sut) const override {
    if (m.idle.empty() && m.versions.size() >= capacity) {
      RC_ASSERT_THROWS_AS(sut.pool.rent(), vt::pool_exhausted);
    } else {
      vt::pooled_source<int>& source = sut.pool.rent();
      if (m.idle.empty()) {
        sut.created.push_back(&source);
      } else {
        RC_ASSERT(&source == sut.created[static_cast<std::size_t>(m.idle.back())]);  // type-stable, reused
      }
      sut.rented.push_back(&source);
    }
    pool_model next = m;
    apply(next);
    check_pool(next, sut);
  }
  void show(std::ostream& os) const override { os << "rent"; }
};

struct complete_rental : pool_command {
  std::size_t pick = *rc::gen::inRange<std::size_t>(0, 8);
  int value = *rc::gen::inRange(0, 100);
  void checkPreconditions(const pool_model& m) const override { RC_PRE(!m.rented.empty()); }
  void apply(pool_model& m) const override {
    auto& r = m.rented[pick % m.rented.size()];
    if (r.completed) return;
    r.completed = true;
    r.value = value;
  }
  void run(const pool_model& m, pool_sut& sut) const override {
    const auto& r = m.rented[pick % m.rented.size()];
    vt::pooled_source<int>* source = sut.rented[pick % m.rented.size()];
    if (r.completed) {
      assert_refused(*refused_as(vth::named_misuse::double_completion), [&] { source->set_result(value); });
    } else {
      source->set_result(value);
    }
    check_pool(m, sut);
  }
  void show(std::ostream& os) const override { os << "complete rental " << pick << " with " << value; }
};

struct consume_rental : pool_command {
  std::size_t pick = *rc::gen::inRange<std::size_t>(0, 8);
  int offset = *rc::gen::weightedElement<int>({{4, 0}, {1, -1}, {1, 1}});
  void checkPreconditions(const pool_model& m) const override { RC_PRE(!m.rented.empty()); }
  void apply(pool_model& m) const override {
    const std::size_t index = pick % m.rented.size();
    const auto r = m.rented[index];
    if (offset != 0 || !r.completed) return;  // rejected: recycles nothing
    ++m.versions[static_cast<std::size_t>(r.source)];
    m.idle.push_back(r.source);
    m.rented.erase(m.rented.begin() + static_cast<std::ptrdiff_t>(index));
    ++m.returns;
  }
  void run(const pool_model& m, pool_sut& sut) const override {
    const std::size_t index = pick % m.rented.size();
    const auto& r = m.rented[index];
    vt::pooled_source<int>* source = sut.rented[index];
    const auto token = static_cast<vt::token_t>(m.versions[static_cast<std::size_t>(r.source)] + offset);
    if (offset != 0 || !r.completed) {
      assert_refused(*(offset != 0 ? wrong_token(offset) : refused_as(vth::named_misuse::before_completion)),
                     [&] { (void)vt::value_task<int>(source, token).result(); });
    } else {
      RC_ASSERT(vt::value_task<int>(source, token).result() == r.value);
      sut.rented.erase(sut.rented.begin() + static_cast<std::ptrdiff_t>(index));
    }
    pool_model next = m;
    apply(next);
    check_pool(next, sut);
  }
  void show(std::ostream& os) const override {
    os << "consume rental " << pick << " token version" << std::showpos << offset << std::noshowpos;
  }
};

RC_GTEST_PROP(source_pool_model, rent_complete_consume_match_the_model, ()) {
  pool_model initial;
  pool_sut sut;
  rc::state::check(initial, sut, rc::state::gen::execOneOfWithArgs<rent, complete_rental, consume_rental>());
}

}  // namespace
