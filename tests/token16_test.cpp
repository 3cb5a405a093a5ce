// The 16-bit token build reproduces .NET's width: the version wraps after 65,536 resets
// and a stale token matches again (the ABA hazard the harness must find).
#include <gtest/gtest.h>

#include <vt/vt.hpp>

namespace {

static_assert(vt::token_bits == 16);

TEST(token16, version_wraps_after_65536_resets) {
  vt::manual_reset_value_task_source_core<int> core;
  for (int i = 0; i < 65535; ++i) core.reset();
  EXPECT_EQ(core.version(), 65535u);
  core.reset();
  EXPECT_EQ(core.version(), 0u);
}

TEST(token16, a_stale_pooled_token_matches_again_after_wraparound) {
  vt::source_pool<int> pool(1);
  auto& source = pool.rent();
  vt::value_task<int> stale(source, source.version());
  source.set_result(1);
  EXPECT_EQ(stale.result(), 1);  // consumed: source recycled
  for (int i = 0; i < 65535; ++i) {
    auto& again = pool.rent();
    again.set_result(i);
    vt::value_task<int>(again, again.version()).result();
  }
  auto& current = pool.rent();
  current.set_result(777);
  // The hazard, reproduced: the stale copy reads another operation's result.
  EXPECT_EQ(stale.result(), 777);
}

}  // namespace
