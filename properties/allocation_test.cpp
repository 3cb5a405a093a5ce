// Property 7: a value_task program whose awaits all complete synchronously performs zero
// heap allocations in steady state; the same program with task allocates at least once
// per coroutine call.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <vector>

#include <vt/vt.hpp>

#include "support/allocation_counter.hpp"

namespace {

struct sync_node {
  int value = 0;
  std::vector<sync_node> children;
};

rc::Gen<sync_node> gen_sync_node(int depth) {
  auto leaf = rc::gen::map(rc::gen::inRange(0, 100), [](int v) { return sync_node{v, {}}; });
  if (depth >= 4) return leaf;
  auto child = gen_sync_node(depth + 1);
  auto branch = rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 4), [child](std::size_t n) {
    return rc::gen::map(rc::gen::container<std::vector<sync_node>>(n, child),
                        [](std::vector<sync_node> c) { return sync_node{0, std::move(c)}; });
  });
  return rc::gen::weightedOneOf<sync_node>({{1, leaf}, {2, branch}});
}

std::size_t count_calls(const sync_node& n) {
  std::size_t calls = 1;
  for (const auto& c : n.children) calls += count_calls(c);
  return calls;
}

long expected_sum(const sync_node& n) {
  long sum = n.value;
  for (const auto& c : n.children) sum += expected_sum(c);
  return sum;
}

template <class Task>
Task evaluate(const sync_node& n) {
  int sum = n.value;
  for (const auto& child : n.children) sum += co_await evaluate<Task>(child);
  co_return sum;
}

RC_GTEST_PROP(allocations, synchronous_value_task_programs_allocate_nothing, ()) {
  if (!VT_FRAME_POOL) RC_SUCCEED("built with VT_FRAME_POOL=OFF");
  const sync_node root = *gen_sync_node(0);
  RC_ASSERT(evaluate<vt::value_task<int>>(root).result() == expected_sum(root));  // warm the frame pool
  vt_test::allocation_scope scope;
  const int result = evaluate<vt::value_task<int>>(root).result();
  const std::size_t allocations = scope.count();
  RC_ASSERT(result == expected_sum(root));
  RC_ASSERT(allocations == 0u);
}

RC_GTEST_PROP(allocations, the_same_program_with_task_allocates_per_call, ()) {
  const sync_node root = *gen_sync_node(0);
  (void)evaluate<vt::task<int>>(root).result();
  vt_test::allocation_scope scope;
  const int result = evaluate<vt::task<int>>(root).result();
  const std::size_t allocations = scope.count();
  RC_ASSERT(result == expected_sum(root));
  RC_ASSERT(allocations >= count_calls(root));
}

}  // namespace
