// cancellation_source / cancellation_token / cancellation_registration: docs/semantics.md section 2.
#include <gtest/gtest.h>

#include <vector>

#include <vt/vt.hpp>

namespace {

TEST(cancellation, default_token_can_never_be_canceled) {
  vt::cancellation_token token;
  EXPECT_FALSE(token.can_be_canceled());
  EXPECT_FALSE(token.is_cancellation_requested());
  EXPECT_NO_THROW(token.throw_if_cancellation_requested());
  int runs = 0;
  auto registration = token.register_callback([&] { ++runs; });
  EXPECT_EQ(runs, 0);
}

TEST(cancellation, cancel_is_seen_by_tokens_and_idempotent) {
  vt::cancellation_source cts;
  auto token = cts.token();
  EXPECT_TRUE(token.can_be_canceled());
  EXPECT_FALSE(cts.is_cancellation_requested());
  cts.cancel();
  cts.cancel();
  EXPECT_TRUE(cts.is_cancellation_requested());
  EXPECT_TRUE(token.is_cancellation_requested());
  try {
    token.throw_if_cancellation_requested();
    FAIL();
  } catch (const vt::operation_canceled& e) {
    EXPECT_EQ(e.token(), token);
  }
}

TEST(cancellation, callbacks_run_once_latest_first) {
  vt::cancellation_source cts;
  std::vector<int> log;
  auto a = cts.token().register_callback([&] { log.push_back(1); });
  auto b = cts.token().register_callback([&] { log.push_back(2); });
  cts.cancel();
  cts.cancel();
  EXPECT_EQ(log, (std::vector<int>{2, 1}));
}

TEST(cancellation, registering_after_cancel_runs_at_once) {
  vt::cancellation_source cts;
  cts.cancel();
  int runs = 0;
  auto r = cts.token().register_callback([&] { ++runs; });
  EXPECT_EQ(runs, 1);
}

TEST(cancellation, destroyed_registration_unregisters) {
  vt::cancellation_source cts;
  int runs = 0;
  {
    auto r = cts.token().register_callback([&] { ++runs; });
  }
  auto kept = cts.token().register_callback([&] { runs += 10; });
  auto moved = std::move(kept);
  cts.cancel();
  EXPECT_EQ(runs, 10);
  EXPECT_FALSE(moved.unregister());
}

TEST(cancellation, empty_callback_is_invalid_argument) {
  vt::cancellation_source cts;
  EXPECT_THROW((void)cts.token().register_callback({}), std::invalid_argument);
}

vt::task<int> cancelable(vt::pooled_source<int>& s, vt::cancellation_token token) {
  auto registration = token.register_callback([&s, token] { s.set_canceled(token); });
  co_return co_await vt::value_task<int>(s, s.version());
}

TEST(cancellation, a_canceled_await_ends_the_task_canceled_with_the_token) {
  vt::source_pool<int> pool;
  auto& s = pool.rent();
  vt::cancellation_source cts;
  auto t = cancelable(s, cts.token());
  cts.cancel();
  EXPECT_TRUE(t.is_canceled());
  try {
    t.result();
    FAIL();
  } catch (const vt::operation_canceled& e) {
    EXPECT_EQ(e.token(), cts.token());
  }
}

}  // namespace
