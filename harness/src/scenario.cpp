#include <vth/scenario.hpp>

#include <algorithm>
#include <ostream>

namespace vth {

namespace {
constexpr int S = source_slots, V = value_task_slots, T = task_slots, K = cancellation_slots, W = when_all_slots,
              C = core_slots;

// Indexed by op code. Each entry names its code, so a reordering cannot go unnoticed: the
// static_assert below holds only while every row sits at its code's index.
struct op_row {
  op_code code;
  op_info info;
};
constexpr std::array<op_row, op_code_count> rows{{
    {op_code::rent, {"rent", 1, {S, 1, 1}}},
    {op_code::wrap, {"wrap", 2, {V, S, 1}}},
    {op_code::wrap_wrong_token, {"wrap_wrong_token", 3, {V, S, 256}}},
    {op_code::copy, {"copy", 2, {V, V, 1}}},
    {op_code::set_result, {"set_result", 2, {S, 256, 1}}},
    {op_code::set_exception, {"set_exception", 2, {S, 256, 1}}},
    {op_code::set_canceled, {"set_canceled", 2, {S, K, 1}}},
    {op_code::post_completion, {"post_completion", 3, {S, 3, 256}}},
    {op_code::result, {"result", 1, {V, 1, 1}}},
    {op_code::status, {"status", 1, {V, 1, 1}}},
    {op_code::as_task, {"as_task", 2, {T, V, 1}}},
    {op_code::preserve, {"preserve", 2, {V, V, 1}}},
    {op_code::await_in_task, {"await_in_task", 2, {T, V, 1}}},
    {op_code::await_in_value_task, {"await_in_value_task", 2, {V, V, 1}}},
    {op_code::await_task, {"await_task", 2, {T, T, 1}}},
    {op_code::task_result, {"task_result", 1, {T, 1, 1}}},
    {op_code::register_raw, {"register_raw", 1, {V, 1, 1}}},
    {op_code::recycle, {"recycle", 3, {S, 256, 256}}},
    {op_code::when_all, {"when_all", 3, {T, T, T}}},
    {op_code::when_any, {"when_any", 3, {T, T, T}}},
    {op_code::cancel_on, {"cancel_on", 2, {S, K, 1}}},
    {op_code::cancel, {"cancel", 1, {K, 1, 1}}},
    {op_code::run_one, {"run_one", 1, {256, 1, 1}}},
    {op_code::run_until_idle, {"run_until_idle", 0, {1, 1, 1}}},
    {op_code::register_raw_with, {"register_raw_with", 2, {V, 4, 1}}},
    {op_code::run_asynchronously, {"run_asynchronously", 2, {S, 2, 1}}},
    {op_code::equals, {"equals", 2, {V, V, 1}}},
    {op_code::task_exception, {"task_exception", 1, {T, 1, 1}}},
    {op_code::when_all_into, {"when_all_into", 3, {W, T, T}}},
    {op_code::inspect_when_all, {"inspect_when_all", 1, {W, 1, 1}}},
    {op_code::core_wrap, {"core_wrap", 2, {V, C, 1}}},
    {op_code::core_complete, {"core_complete", 3, {C, 3, 256}}},
    {op_code::core_reset, {"core_reset", 1, {C, 1, 1}}},
    {op_code::core_get_result, {"core_get_result", 2, {C, 4, 1}}},
    {op_code::await_unbound, {"await_unbound", 2, {T, V, 1}}},
    {op_code::make_faulted, {"make_faulted", 2, {V, 256, 1}}},
    {op_code::make_canceled, {"make_canceled", 2, {V, K, 1}}},
    {op_code::task_status, {"task_status", 1, {T, 1, 1}}},
    {op_code::task_equals, {"task_equals", 2, {T, T, 1}}},
    {op_code::task_faulted, {"task_faulted", 2, {T, 256, 1}}},
    {op_code::task_canceled, {"task_canceled", 2, {T, K, 1}}},
    {op_code::run_on, {"run_on", 2, {T, 256, 1}}},
    {op_code::cancel_check, {"cancel_check", 1, {K, 1, 1}}},
    {op_code::run_default, {"run_default", 2, {T, 256, 1}}},
    {op_code::complete_on_worker, {"complete_on_worker", 3, {S, 3, 256}}},
    {op_code::complete_on_own_pool, {"complete_on_own_pool", 3, {S, 3, 256}}},
    {op_code::unregister, {"unregister", 2, {8, 2, 1}}},
    {op_code::complete_after_delay, {"complete_after_delay", 3, {S, 3, 256}}},
    {op_code::await_task_unbound, {"await_task_unbound", 2, {T, T, 1}}},
    {op_code::set_poisoned, {"set_poisoned", 3, {S + C, 4, 256}}},
    {op_code::make_poisoned, {"make_poisoned", 3, {V, 2, 256}}},
    {op_code::register_throwing, {"register_throwing", 2, {V, 4, 1}}},
    {op_code::register_post_fails, {"register_post_fails", 1, {V, 1, 1}}},
    {op_code::cancel_on_acting, {"cancel_on_acting", 3, {S, K, 2}}},
    {op_code::await_task_chain, {"await_task_chain", 3, {T, T, 32}}},
    {op_code::allocation_fails, {"allocation_fails", 1, {4, 1, 1}}},
    {op_code::result_on_worker, {"result_on_worker", 1, {V, 1, 1}}},
    {op_code::when_all_nested, {"when_all_nested", 3, {T, W, T}}},
    {op_code::bad_argument, {"bad_argument", 2, {bad_argument_call_count, V, 1}}},
    {op_code::when_all_of_none, {"when_all_of_none", 1, {W, 1, 1}}},
    {op_code::run_throws, {"run_throws", 3, {T, 256, 2}}},
    {op_code::make_faulted_by_cancellation, {"make_faulted_by_cancellation", 2, {V, K, 1}}},
    {op_code::set_exception_canceled, {"set_exception_canceled", 2, {S, K, 1}}},
    {op_code::suspend_without_executor, {"suspend_without_executor", 3, {T, 256, 2}}},
    {op_code::task_faulted_aggregate, {"task_faulted_aggregate", 3, {T, T, 256}}},
    {op_code::run_poisoned, {"run_poisoned", 3, {T, 4, 256}}},
    {op_code::result_race, {"result_race", 1, {V, 1, 1}}},
    {op_code::await_in_value_task_unbound, {"await_in_value_task_unbound", 2, {V, V, 1}}},
    {op_code::cancel_on_worker, {"cancel_on_worker", 1, {K, 1, 1}}},
}};
constexpr bool rows_follow_codes() {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (static_cast<std::size_t>(rows[i].code) != i) return false;
  }
  return true;
}
static_assert(rows_follow_codes(), "op rows must sit at their code's index");

// The byte -> op tables of the input format. Append only.
constexpr std::array full_alphabet{
    op_code::rent,          op_code::wrap,        op_code::wrap_wrong_token,    op_code::copy,
    op_code::set_result,    op_code::set_exception, op_code::set_canceled,      op_code::post_completion,
    op_code::result,        op_code::status,      op_code::as_task,             op_code::preserve,
    op_code::await_in_task, op_code::await_in_value_task, op_code::await_task, op_code::task_result,
    op_code::register_raw,  op_code::recycle,     op_code::when_all,            op_code::when_any,
    op_code::cancel_on,     op_code::cancel,      op_code::run_one,             op_code::run_until_idle,
    op_code::register_raw_with, op_code::run_asynchronously, op_code::equals,           op_code::task_exception,
    op_code::when_all_into, op_code::inspect_when_all,    op_code::core_wrap,        op_code::core_complete,
    op_code::core_reset,    op_code::core_get_result,     op_code::await_unbound,    op_code::make_faulted,
    op_code::make_canceled, op_code::task_status,         op_code::task_equals,      op_code::task_faulted,
    op_code::task_canceled, op_code::run_on,              op_code::cancel_check,     op_code::run_default,
    op_code::complete_on_worker, op_code::complete_on_own_pool, op_code::unregister, op_code::complete_after_delay,
    op_code::await_task_unbound, op_code::set_poisoned, op_code::make_poisoned, op_code::register_throwing,
    op_code::register_post_fails, op_code::cancel_on_acting, op_code::await_task_chain, op_code::allocation_fails,
    op_code::result_on_worker, op_code::when_all_nested, op_code::bad_argument, op_code::when_all_of_none,
    op_code::run_throws, op_code::make_faulted_by_cancellation, op_code::set_exception_canceled,
    op_code::suspend_without_executor, op_code::task_faulted_aggregate, op_code::run_poisoned,
    op_code::result_race, op_code::await_in_value_task_unbound, op_code::cancel_on_worker,
};
static_assert(full_alphabet.size() == op_code_count, "the full alphabet holds every op");
constexpr bool full_alphabet_is_identity() {
  for (std::size_t i = 0; i < full_alphabet.size(); ++i) {
    if (static_cast<std::size_t>(full_alphabet[i]) != i) return false;
  }
  return true;
}
static_assert(full_alphabet_is_identity(), "in the full alphabet an op's byte is its code");

constexpr std::array recycling_alphabet{
    op_code::rent,   op_code::wrap,          op_code::copy,    op_code::recycle,  op_code::result,
    op_code::status, op_code::set_result,    op_code::as_task, op_code::preserve, op_code::await_in_value_task,
    op_code::register_raw, op_code::wrap_wrong_token, op_code::run_until_idle,
};

std::string slot(char kind, int index) { return std::string(1, kind) + std::to_string(index); }
}  // namespace

bool allocation_failure_applies(op_code code) noexcept {
  switch (code) {
    case op_code::rent:
    case op_code::as_task:
    case op_code::preserve:
    case op_code::await_in_task:
    case op_code::await_unbound:
    case op_code::await_task:
    case op_code::await_task_unbound:
    case op_code::when_all:
    case op_code::when_any:
    case op_code::when_all_into:
    case op_code::task_faulted:
    case op_code::task_faulted_aggregate:
    case op_code::task_canceled:
    case op_code::make_faulted_by_cancellation:
    case op_code::run_on:
    case op_code::run_default:
    case op_code::run_throws:
    case op_code::run_poisoned: return true;
    default: return false;
  }
}

const op_info& info(op_code code) noexcept {
  static constexpr op_info drain_rows[] = {
      {"drain_settle", 0, {1, 1, 1}},
      {"drain_complete", 1, {pool_capacity, 1, 1}},
      {"drain_consume", 1, {pool_capacity, 1, 1}},
      {"drain_consume_coroutine", 2, {256, 256, 1}},
  };
  if (is_drain(code)) return drain_rows[static_cast<std::size_t>(code) - static_cast<std::size_t>(op_code::drain_settle)];
  return rows[static_cast<std::size_t>(code)].info;
}

int recycle_limit(recycle_budget budget) noexcept {
  switch (budget) {
    case recycle_budget::small: return 512;
    case recycle_budget::medium: return 4'096;
    case recycle_budget::wraps_16_bit_twice: return 140'000;
  }
  return 0;
}

std::span<const op_code> alphabet_table(op_alphabet alphabet) noexcept {
  if (alphabet == op_alphabet::recycling) return recycling_alphabet;
  return full_alphabet;
}

bool in_alphabet(op_alphabet alphabet, op_code code) noexcept {
  const auto table = alphabet_table(alphabet);
  return std::find(table.begin(), table.end(), code) != table.end();
}

std::string describe(const scenario_settings& settings) {
  static const char* values[] = {", int values", ", tracked values", ", void values"};
  return std::string("alphabet ") + (settings.alphabet == op_alphabet::full ? "full" : "recycling") +
         values[static_cast<int>(settings.values)] + ", recycle budget " +
         std::to_string(recycle_limit(settings.budget)) + ", start version " + std::to_string(settings.start_version);
}

std::string describe(const op& o) {
  const int a = o.args[0], b = o.args[1], c = o.args[2];
  const std::string name = info(o.code).name;
  static const char* completion_kinds[] = {"result", "exception", "cancel"};  // by completion_of(b)
  switch (o.code) {
    case op_code::rent: return name + " " + slot('S', a);
    case op_code::wrap: return name + " " + slot('V', a) + " " + slot('S', b);
    case op_code::wrap_wrong_token: {
      const std::int64_t offset = token_offset(o);
      return name + " " + slot('V', a) + " " + slot('S', b) + (offset < 0 ? " version-" : " version+") +
             std::to_string(offset < 0 ? -offset : offset);
    }
    case op_code::copy: return name + " " + slot('V', a) + " <- " + slot('V', b);
    case op_code::set_result: return name + " " + slot('S', a) + " " + std::to_string(b);
    case op_code::set_exception: return name + " " + slot('S', a) + " error" + std::to_string(b);
    case op_code::set_canceled: return name + " " + slot('S', a) + " " + slot('K', b);
    case op_code::complete_on_worker:
    case op_code::complete_on_own_pool:
    case op_code::complete_after_delay:
    case op_code::post_completion: return name + " " + slot('S', a) + " " + completion_kinds[static_cast<int>(completion_of(o.args[1]))] + " " + std::to_string(c);
    case op_code::result:
    case op_code::status:
    case op_code::register_raw: return name + " " + slot('V', a);
    case op_code::as_task: return name + " " + slot('T', a) + " <- " + slot('V', b);
    case op_code::preserve: return name + " " + slot('V', a) + " <- " + slot('V', b);
    case op_code::await_in_task:
    case op_code::await_unbound: return name + " " + slot('T', a) + " <- " + slot('V', b);
    case op_code::await_in_value_task:
    case op_code::await_in_value_task_unbound: return name + " " + slot('V', a) + " <- " + slot('V', b);
    case op_code::result_race: return name + " " + slot('V', a) + " here and on a worker";
    case op_code::make_faulted: return name + " " + slot('V', a) + " error" + std::to_string(b);
    case op_code::make_faulted_by_cancellation: return name + " " + slot('V', a) + " " + slot('K', b);
    case op_code::set_exception_canceled: return name + " " + slot('S', a) + " " + slot('K', b);
    case op_code::suspend_without_executor:
      return name + " " + slot('T', a) + (c == 0 ? " yield" : " delay 200 us") + ", returns " + std::to_string(b);
    case op_code::make_canceled: return name + " " + slot('V', a) + " " + slot('K', b);
    case op_code::task_status: return name + " " + slot('T', a);
    case op_code::task_equals: return name + " " + slot('T', a) + " " + slot('T', b);
    case op_code::task_faulted: return name + " " + slot('T', a) + " error" + std::to_string(b);
    case op_code::task_faulted_aggregate:
      return name + " " + slot('T', a) + " <- aggregate of " + slot('T', b) + "'s error, error" + std::to_string(c);
    case op_code::task_canceled: return name + " " + slot('T', a) + " " + slot('K', b);
    case op_code::run_on:
    case op_code::run_default: return name + " " + slot('T', a) + " returns " + std::to_string(b);
    case op_code::cancel_check: return name + " " + slot('K', a);
    case op_code::await_task:
    case op_code::await_task_unbound: return name + " " + slot('T', a) + " <- " + slot('T', b);
    case op_code::set_poisoned: {
      static const char* modes[] = {"copy-throws, by move", "move-throws, by copy", "copy-throws, by copy",
                                    "move-throws, by move"};
      return name + " " + (a < S ? slot('S', a) : slot('C', a - S)) + " " + std::to_string(c) + " " + modes[b];
    }
    case op_code::make_poisoned:
      return name + " " + slot('V', a) + " " + std::to_string(c) + (b == 0 ? " copy-throws" : " move-throws");
    case op_code::register_throwing: {
      static const char* flags[] = {"none", "use_scheduling_context", "flow_execution_context", "both"};
      return name + " " + slot('V', a) + " " + flags[b];
    }
    case op_code::register_post_fails: return name + " " + slot('V', a);
    case op_code::cancel_on_acting:
      return name + " " + slot('S', a) + " " + slot('K', b) + (c == 0 ? " then throws" : " then unregisters the one before");
    case op_code::result_on_worker: return name + " " + slot('V', a);
    case op_code::allocation_fails: return name + " at the next op's allocation #" + std::to_string(a + 1);
    case op_code::await_task_chain:
      return name + " " + slot('T', a) + " <- " + slot('T', b) + " x" + std::to_string(c + 1);
    case op_code::unregister:
      return name + " registration -" + std::to_string(a + 1) + (b == 0 ? " unregister()" : " by move assignment");
    case op_code::task_result: return name + " " + slot('T', a);
    case op_code::recycle: return name + " " + slot('S', a) + " x" + std::to_string(recycle_count(o));
    case op_code::when_all:
    case op_code::when_any: return name + " " + slot('T', a) + " <- " + slot('T', b) + " " + slot('T', c);
    case op_code::cancel_on: return name + " " + slot('S', a) + " " + slot('K', b);
    case op_code::cancel:
    case op_code::cancel_on_worker: return name + " " + slot('K', a);
    case op_code::run_one: return name + " choice " + std::to_string(a);
    case op_code::register_raw_with: {
      static const char* flags[] = {"none", "use_scheduling_context", "flow_execution_context", "both"};
      return name + " " + slot('V', a) + " " + flags[b];
    }
    case op_code::run_asynchronously: return name + " " + slot('S', a) + (b ? " true" : " false");
    case op_code::equals: return name + " " + slot('V', a) + " " + slot('V', b);
    case op_code::task_exception: return name + " " + slot('T', a);
    case op_code::when_all_into: return name + " " + slot('W', a) + " <- " + slot('T', b) + " " + slot('T', c);
    case op_code::when_all_nested: return name + " " + slot('T', a) + " <- " + slot('W', b) + " " + slot('T', c);
    case op_code::bad_argument: {
      using call = bad_argument_call;
      const auto made = static_cast<call>(a);
      const std::string t = slot('T', b % task_slots);
      switch (made) {
        case call::core_set_null_exception:
        case call::core_on_completed_null_fn: return name + " " + slot('C', b % core_slots) + "." + describe(made);
        case call::register_empty_callback: return name + " " + slot('K', b % cancellation_slots) + "." + describe(made);
        case call::when_all_vector_empty_task: return name + " when_all({" + t + ", empty task})";
        case call::when_all_pair_empty_task: return name + " when_all(" + t + ", empty task)";
        case call::when_any_pair_empty_task: return name + " when_any(" + t + ", empty task)";
        default: return name + " " + describe(made);
      }
    }
    case op_code::when_all_of_none: return name + " " + slot('W', a);
    case op_code::run_throws:
      return name + " " + slot('T', a) + " error" + std::to_string(b) + (c == 0 ? " on the scheduler" : " on the default executor");
    case op_code::run_poisoned:
      return name + " " + slot('T', a) + " returns " + std::to_string(c) + (b % 2 == 0 ? " copy-throws" : " move-throws") +
             (b < 2 ? " on the scheduler" : " on the default executor");
    case op_code::inspect_when_all: return name + " " + slot('W', a);
    case op_code::core_wrap: return name + " " + slot('V', a) + " <- " + slot('C', b);
    case op_code::core_complete: return name + " " + slot('C', a) + " " + completion_kinds[static_cast<int>(completion_of(o.args[1]))] + " " + std::to_string(c);
    case op_code::core_reset: return name + " " + slot('C', a);
    case op_code::core_get_result: return name + " " + slot('C', a) + " version-" + std::to_string(b);
    case op_code::drain_complete:
    case op_code::drain_consume: return name + " source #" + std::to_string(a);
    case op_code::drain_consume_coroutine: return name + " #" + std::to_string(coroutine_result_index(o));
    case op_code::drain_settle:
    case op_code::run_until_idle:
    case op_code::count_: break;
  }
  return name;
}

const char* describe(bad_argument_call call) noexcept {
  static const char* names[] = {"set_exception(nullptr)",
                                "on_completed(nullptr)",
                                "value_task(null source)",
                                "value_task(empty task)",
                                "value_task::from_exception(nullptr)",
                                "task::from_exception(nullptr)",
                                "register_callback(empty function)",
                                "when_all({task, empty task})",
                                "when_all(task, empty task)",
                                "when_any(no tasks)",
                                "when_any(task, empty task)"};
  static_assert(std::size(names) == bad_argument_call_count);
  return names[static_cast<int>(call)];
}

void showValue(op_code code, std::ostream& os) { os << info(code).name; }
void showValue(const op& o, std::ostream& os) { os << describe(o); }
void showValue(const scenario& s, std::ostream& os) {
  os << "\n  settings: " << describe(s.settings);
  for (std::size_t i = 0; i < s.ops.size(); ++i) os << "\n  " << i + 1 << ". " << describe(s.ops[i]);
}

}  // namespace vth
