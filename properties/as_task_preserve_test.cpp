// Property 3: consuming through as_task() or preserve() gives the outcome a single direct
// await gives, whatever the outcome and whether the source completes before or after.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <stdexcept>
#include <string>

#include <vt/vt.hpp>

namespace {

enum class path { direct_await, as_task, preserve_twice };

struct observed {
  int kind = 0;  // 0 value, 1 error, 2 canceled, 3 invalid_operation, 4 still pending
  int value = 0;
  friend bool operator==(const observed&, const observed&) = default;
};

observed read(const vt::task<int>& t) {
  if (!t.is_completed()) return {4, 0};
  try {
    return {0, t.result()};
  } catch (const vt::invalid_operation&) {
    return {3, 0};
  } catch (const vt::operation_canceled&) {
    return {2, 0};
  } catch (const std::runtime_error& e) {
    return {1, std::stoi(e.what())};
  }
}

vt::task<int> await_directly(vt::value_task<int> vt) { co_return co_await vt; }

// One source-backed value_task, consumed along `how`; the source completes with
// (kind, value) before or after the consumer starts.
observed consume(path how, int kind, int value, bool complete_first) {
  vt::source_pool<int> pool;
  auto& source = pool.rent();
  vt::value_task<int> vt(source, source.version());
  auto complete = [&] {
    if (kind == 0) source.set_result(value);
    if (kind == 1) source.set_exception(std::make_exception_ptr(std::runtime_error(std::to_string(value))));
    if (kind == 2) source.set_canceled();
  };
  if (complete_first) complete();
  vt::task<int> consumer;
  vt::value_task<int> preserved;
  switch (how) {
    case path::direct_await: consumer = await_directly(vt); break;
    case path::as_task: consumer = vt.as_task(); break;
    case path::preserve_twice:
      preserved = vt.preserve();
      consumer = await_directly(preserved);
      break;
  }
  if (!complete_first) complete();
  observed first = read(consumer);
  if (how == path::preserve_twice) {
    // A preserved value_task is safe to consume again, with the same outcome.
    const observed again = read(await_directly(preserved));
    RC_ASSERT(again == first);
  }
  // Whatever the path, the original value_task is now consumed.
  RC_ASSERT_THROWS_AS(vt.result(), vt::invalid_operation);
  RC_ASSERT(pool.statistics().returned == 1u);
  return first;
}

RC_GTEST_PROP(as_task_preserve, same_outcome_as_a_direct_await, ()) {
  const int kind = *rc::gen::inRange(0, 3);
  const int value = *rc::gen::inRange(0, 1000);
  const bool complete_first = *rc::gen::arbitrary<bool>();
  const observed direct = consume(path::direct_await, kind, value, complete_first);
  RC_ASSERT(direct.kind == kind);
  RC_ASSERT(consume(path::as_task, kind, value, complete_first) == direct);
  RC_ASSERT(consume(path::preserve_twice, kind, value, complete_first) == direct);
}

}  // namespace
