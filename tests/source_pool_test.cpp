// source_pool / pooled_source: docs/semantics.md section 7.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include <vt/vt.hpp>

namespace {

using vt::invalid_operation;

TEST(source_pool, rent_gives_a_source_at_its_current_version) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  EXPECT_EQ(source.version(), 0u);
  EXPECT_EQ(source.status(0), vt::source_status::pending);
  EXPECT_EQ(&source.pool(), &pool);
}

// A chosen first version puts the token's wraparound a few generations away.
TEST(source_pool, sources_start_at_the_pools_first_version_and_wrap) {
  vt::source_pool<int> pool(2, static_cast<vt::token_t>(-1));
  auto& source = pool.rent();
  EXPECT_EQ(source.version(), static_cast<vt::token_t>(-1));
  vt::value_task<int> stale(source, source.version());
  source.set_result(4);
  EXPECT_EQ(stale.result(), 4);
  EXPECT_EQ(source.version(), 0u);  // wrapped
  EXPECT_THROW((void)stale.status(), invalid_operation);
  EXPECT_EQ(&pool.rent(), &source);
  EXPECT_EQ(pool.rent().version(), static_cast<vt::token_t>(-1));  // a new source starts there too
}

TEST(source_pool, consuming_recycles_the_source_and_stales_every_copy) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  vt::value_task<int> original(source, source.version());
  vt::value_task<int> copy = original;
  source.set_result(5);
  EXPECT_EQ(original.result(), 5);
  EXPECT_EQ(source.version(), 1u);
  EXPECT_THROW((void)copy.result(), invalid_operation);
  EXPECT_THROW((void)copy.is_completed(), invalid_operation);
  auto stats = pool.statistics();
  EXPECT_EQ(stats.created, 1u);
  EXPECT_EQ(stats.rented, 1u);
  EXPECT_EQ(stats.returned, 1u);
  EXPECT_EQ(stats.idle, 1u);
  // Type-stable: the same memory comes back, at the next version.
  auto& again = pool.rent();
  EXPECT_EQ(&again, &source);
  EXPECT_EQ(again.version(), 1u);
  EXPECT_EQ(pool.statistics().reused, 1u);
}

TEST(source_pool, consuming_a_fault_recycles_then_rethrows) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  vt::value_task<int> vt(source, 0);
  source.set_exception(std::make_exception_ptr(std::runtime_error("boom")));
  EXPECT_THROW((void)vt.result(), std::runtime_error);
  EXPECT_EQ(pool.statistics().returned, 1u);
  EXPECT_THROW((void)vt.result(), invalid_operation);
}

TEST(source_pool, consuming_a_cancellation_recycles_then_throws_operation_canceled) {
  vt::source_pool<void> pool;
  auto& source = pool.rent();
  vt::value_task<void> vt(source, 0);
  source.set_canceled();
  EXPECT_TRUE(vt.is_canceled());
  EXPECT_THROW((void)vt.result(), vt::operation_canceled);
  EXPECT_EQ(pool.statistics().returned, 1u);
}

// Found by fuzz_pool_recycling: a token one ahead of a rented source's version matches
// once that generation is consumed and the source is idle; as_task then registered a
// continuation on the idle source, which leaked (and the next renter's completion would
// have run it).
TEST(source_pool, an_idle_source_rejects_its_next_generations_token) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  vt::value_task<int> rented(source, source.version());
  const vt::value_task<int> future(source, source.version() + 1);
  EXPECT_TRUE(source.is_rented());
  source.set_result(1);
  EXPECT_EQ(rented.result(), 1);
  ASSERT_FALSE(source.is_rented());
  ASSERT_EQ(source.version(), 1u);  // the future token now equals the version

  EXPECT_THROW((void)future.is_completed(), invalid_operation);
  EXPECT_THROW((void)future.as_task(), invalid_operation);
  EXPECT_THROW((void)future.result(), invalid_operation);
  int runs = 0;
  EXPECT_THROW(source.on_completed([](void* state) { ++*static_cast<int*>(state); }, &runs, 1,
                                   vt::on_completed_flags::none),
               invalid_operation);
  EXPECT_THROW(source.set_result(2), invalid_operation);
  EXPECT_THROW(source.set_exception(std::make_exception_ptr(std::runtime_error("x"))), invalid_operation);
  EXPECT_THROW(source.set_canceled(), invalid_operation);
  try {
    (void)future.result();
  } catch (const invalid_operation& e) {
    EXPECT_NE(std::string(e.what()).find("idle"), std::string::npos) << e.what();
  }

  // Nothing changed: the next renter gets a clean generation 1.
  auto& again = pool.rent();
  ASSERT_EQ(&again, &source);
  EXPECT_EQ(again.status(1), vt::source_status::pending);
  again.set_result(3);
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(vt::value_task<int>(again, 1).result(), 3);
}

TEST(source_pool, rejected_calls_recycle_nothing) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  EXPECT_THROW((void)source.get_result(0), invalid_operation);  // still pending
  EXPECT_THROW((void)source.get_result(1), invalid_operation);  // wrong token
  EXPECT_EQ(source.version(), 0u);
  EXPECT_EQ(pool.statistics().returned, 0u);
  source.set_result(2);
  EXPECT_THROW((void)source.get_result(3), invalid_operation);
  EXPECT_EQ(source.version(), 0u);
  EXPECT_EQ(pool.statistics().returned, 0u);
  EXPECT_EQ(source.get_result(0), 2);
  EXPECT_EQ(pool.statistics().returned, 1u);
}

TEST(source_pool, capacity_bounds_creation) {
  vt::source_pool<int> pool(2);
  EXPECT_EQ(pool.capacity(), 2u);
  auto& a = pool.rent();
  pool.rent();
  EXPECT_THROW((void)pool.rent(), vt::pool_exhausted);
  a.set_result(1);
  vt::value_task<int>(a, 0).result();
  EXPECT_NO_THROW(pool.rent());
  EXPECT_EQ(pool.statistics().created, 2u);
}

TEST(source_pool, double_completion_throws_and_keeps_the_first) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  source.set_result(1);
  EXPECT_THROW((void)source.set_result(2), invalid_operation);
  EXPECT_EQ(vt::value_task<int>(source, 0).result(), 1);
}

}  // namespace
