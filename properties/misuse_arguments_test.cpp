// Property 6, the rows a scenario cannot reach: bad arguments are std::invalid_argument
// and change nothing; reset over a registered, unrun continuation is refused.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <stdexcept>

#include <vt/vt.hpp>

namespace {

RC_GTEST_PROP(misuse, bad_arguments_are_invalid_argument_and_change_nothing, ()) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  const vt::token_t version = source.version();
  vt::cancellation_source uncanceled;
  switch (*rc::gen::inRange(0, 6)) {
    case 0: RC_ASSERT_THROWS_AS((void)vt::value_task<int>(static_cast<vt::value_task_source<int>*>(nullptr), 0), std::invalid_argument); break;
    case 1: RC_ASSERT_THROWS_AS(source.set_exception(nullptr), std::invalid_argument); break;
    case 2: RC_ASSERT_THROWS_AS((void)vt::task<int>::from_exception(nullptr), std::invalid_argument); break;
    case 3: RC_ASSERT_THROWS_AS((void)vt::value_task<int>::from_canceled(uncanceled.token()), std::invalid_argument); break;
    case 4: RC_ASSERT_THROWS_AS((void)vt::task<int>::from_canceled({}), std::invalid_argument); break;
    case 5: RC_ASSERT_THROWS_AS(source.on_completed(nullptr, nullptr, version, vt::on_completed_flags::none), std::invalid_argument); break;
  }
  RC_ASSERT(source.version() == version);
  RC_ASSERT(source.status(version) == vt::source_status::pending);
  source.set_result(1);
  RC_ASSERT(vt::value_task<int>(source, version).result() == 1);
}

// Reset over a registered, unrun continuation: refused, nothing changes, nothing is lost.
RC_GTEST_PROP(misuse, reset_with_an_unrun_continuation_is_refused, (int value)) {
  vt::manual_reset_value_task_source_core<int> core;
  const int resets = *rc::gen::inRange(0, 5);
  for (int i = 0; i < resets; ++i) core.reset();
  int runs = 0;
  core.on_completed([](void* r) { ++*static_cast<int*>(r); }, &runs, core.version(), vt::on_completed_flags::none);
  RC_ASSERT_THROWS_AS(core.reset(), vt::invalid_operation);
  RC_ASSERT(core.version() == static_cast<vt::token_t>(resets));
  core.set_result(value);
  RC_ASSERT(runs == 1);
  RC_ASSERT(core.get_result(core.version()) == value);
}

}  // namespace
