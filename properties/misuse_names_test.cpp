// vt's own rejections, read back (vtlab's pools, cores and tasks, not a source under test:
// the checks kit leaves this file out): each carries its misuse as values, and its message
// says what those values say.
#include <gtest/gtest.h>

#include <functional>

#include <vt/vt.hpp>
#include <vth/misuse.hpp>
#include <vth/model.hpp>
#include <vth/source_under_test.hpp>

namespace {

// Each misuse of section 8 committed directly, and what the harness reads of its rejection
// (misuse.hpp). Property 6 compares these with the model's predictions; this pins what each
// rejection reports, and that its message names it with the same numbers.
vth::misuse_report named(const std::function<void()>& misuse) {
  try {
    misuse();
  } catch (const vt::invalid_operation& e) {
    const std::string message = e.what();
    if (e.misuse() == vt::misuse::stale_token) {
      EXPECT_EQ(message, "stale token " + std::to_string(e.token()) + ", source is at version " + std::to_string(e.version()));
    }
    return vth::misuse_reported(e, static_cast<int>(vt::token_bits));
  }
  ADD_FAILURE() << "no invalid_operation";
  return {};
}

TEST(misuse_names, every_rejection_names_its_misuse) {
  constexpr int bits = static_cast<int>(vt::token_bits);
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  const vt::token_t first = source.version();
  EXPECT_EQ(named([&] { (void)source.status(first + 3); }), vth::at_width(vth::stale_token(-3), bits));
  EXPECT_EQ(named([&] { (void)vt::value_task<int>(source, first).result(); }), (vth::misuse_report{vth::named_misuse::before_completion}));
  source.on_completed([](void*) {}, nullptr, first, vt::on_completed_flags::none);
  EXPECT_EQ(named([&] { source.on_completed([](void*) {}, nullptr, first, vt::on_completed_flags::none); }),
            (vth::misuse_report{vth::named_misuse::second_continuation}));
  source.set_result(1);
  EXPECT_EQ(named([&] { source.set_result(2); }), (vth::misuse_report{vth::named_misuse::double_completion}));
  (void)vt::value_task<int>(source, first).result();  // consumed: idle at first + 1
  EXPECT_EQ(named([&] { (void)source.status(first); }), vth::at_width(vth::stale_token(1), bits));
  EXPECT_EQ(named([&] { (void)source.status(first + 1); }), (vth::misuse_report{vth::named_misuse::idle_source}));

  vt::manual_reset_value_task_source_core<int> core;
  core.on_completed([](void*) {}, nullptr, 0, vt::on_completed_flags::none);
  EXPECT_EQ(named([&] { core.reset(); }), (vth::misuse_report{vth::named_misuse::reset_with_continuation}));

  vt::task<int> empty;
  EXPECT_EQ(named([&] { (void)empty.result(); }), (vth::misuse_report{vth::named_misuse::empty_task}));
  // A rejection built from a message alone (a user's source's own) reports no misuse of vt's.
  EXPECT_EQ(named([] { throw vt::invalid_operation("a refusal of a user's own"); }), vth::misuse_report{});
  EXPECT_EQ(vth::vtlab_pools::misuse_named("stale token 1, source is at version 2"), vth::misuse_report{});
}

// Two copies of one generation read at once: the loser may meet the generation claimed and
// not yet recycled (a source's own "consumed twice") or recycled (a stale token 1 behind).
// The contract names both; a source that claims first and recycles after must pass.
TEST(misuse_names, a_consumption_race_loser_may_be_named_consumed_twice_or_stale_by_one) {
  vth::model m{vth::scenario_settings{}};
  for (const vth::op& o : {vth::op{vth::op_code::rent, {0, 0, 0}}, vth::op{vth::op_code::wrap, {0, 0, 0}},
                           vth::op{vth::op_code::set_result, {0, 6, 0}}}) {
    ASSERT_EQ(m.apply(o), vth::outcome{vth::outcomes::done{}});
  }
  const vth::outcome loser = m.apply({vth::op_code::result_race, {0, 0, 0}});
  ASSERT_TRUE(vth::is<vth::outcomes::invalid_operation>(loser)) << vth::describe(loser);
  const vth::misuse_report predicted = std::get<vth::outcomes::invalid_operation>(loser).misuse;
  EXPECT_EQ(predicted, vth::lost_consumption_race());

  constexpr int bits = static_cast<int>(vt::token_bits);
  EXPECT_TRUE(vth::allows(predicted, {vth::named_misuse::consumed_twice}, bits));
  EXPECT_TRUE(vth::allows(predicted, vth::at_width(vth::stale_token(1), bits), bits));
  EXPECT_TRUE(vth::allows(predicted, vth::stale_token(1), bits));  // as an adapter's namer words it
  EXPECT_FALSE(vth::allows(predicted, vth::at_width(vth::stale_token(2), bits), bits));
  EXPECT_FALSE(vth::allows(predicted, vth::at_width(vth::stale_token(0), bits), bits));
  EXPECT_FALSE(vth::allows(predicted, {vth::named_misuse::idle_source}, bits));
  EXPECT_FALSE(vth::allows(predicted, {}, bits));
  // A copy already stale, read twice in a race, is refused twice as the same stale token.
  const vth::outcome stale = m.apply({vth::op_code::result_race, {0, 0, 0}});
  EXPECT_EQ(stale, vth::outcome{vth::outcomes::invalid_operation{vth::stale_token(1)}});
}

}  // namespace
