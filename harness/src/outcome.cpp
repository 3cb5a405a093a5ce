#include <vth/outcome.hpp>

#include <vt/value_task_source.hpp>
#include <vth/misuse.hpp>

namespace vth {

namespace {
std::string describe_event(long event) {
  if (event >= completion_event) return "completion of pooled source #" + std::to_string(event - completion_event);
  if (event >= raw_continuation_event) return "raw continuation #" + std::to_string(event - raw_continuation_event);
  if (event >= resumed_coroutine_event) return "resumed coroutine #" + std::to_string(event - resumed_coroutine_event);
  return std::to_string(event);
}
constexpr long callbacks_count_unit = 1'000'000'000'000;
constexpr long callbacks_index_unit = 1'000'000;
}  // namespace

long callbacks_code(const std::vector<long>& ran) noexcept {
  long code = static_cast<long>(ran.size()) * callbacks_count_unit;
  if (ran.size() >= 1) code += (ran[0] % (callbacks_index_unit - 1) + 1) * callbacks_index_unit;
  if (ran.size() >= 2) code += ran[1] % (callbacks_index_unit - 1) + 1;
  return code;
}

std::string describe_events(const std::vector<long>& events) {
  if (events.empty()) return "nothing";
  std::string out;
  for (const long event : events) out += (out.empty() ? "" : ", ") + describe_event(event);
  return out;
}

std::string describe(const outcome& o) {
  switch (o.kind) {
    case outcome_kind::skipped: return "skipped";
    case outcome_kind::done: return o.value == 0 ? "done" : "done (" + describe_event(o.value) + ")";
    case outcome_kind::value: return "value " + std::to_string(o.value);
    case outcome_kind::status: return std::string("status ") + vt::to_string(static_cast<vt::source_status>(o.value));
    case outcome_kind::error: return "error" + std::to_string(o.value);
    case outcome_kind::canceled: return o.value < 0 ? "canceled" : "canceled by K" + std::to_string(o.value);
    case outcome_kind::invalid_operation: {
      const std::string named = describe(decode_misuse(o.value));
      return named.empty() ? "invalid_operation" : "invalid_operation (" + named + ")";
    }
    case outcome_kind::invalid_argument: return "invalid_argument";
    case outcome_kind::pool_exhausted: return "pool_exhausted";
    case outcome_kind::out_of_memory: return "bad_alloc";
    case outcome_kind::aggregate: {
      auto inner = [](long code) {
        if (code == invalid_operation_code) return std::string("invalid_operation");
        if (code == out_of_memory_code) return std::string("bad_alloc");
        if (code == cancellation_code) return std::string("operation_canceled");
        if (code == aggregate_inner_code) return std::string("aggregate_error");
        return "error" + std::to_string(code);
      };
      const long count = o.value / 1'000'000'000;
      std::string out = "aggregate_error of " + std::to_string(count) + ":";
      if (count >= 1) out += " " + inner(o.value / 1'000'000 % 1'000);
      if (count >= 2) out += " " + inner(o.value / 1'000 % 1'000);
      if (count >= 3) out += " " + inner(o.value % 1'000);
      return out;
    }
    case outcome_kind::callbacks: {
      const long count = o.value / callbacks_count_unit;
      std::string out = std::to_string(count) + (count == 1 ? " callback ran" : " callbacks ran");
      const long first = o.value / callbacks_index_unit % callbacks_index_unit, second = o.value % callbacks_index_unit;
      if (first > 0) out += ": registration #" + std::to_string(first - 1);
      if (second > 0) out += ", then #" + std::to_string(second - 1);
      return out;
    }
  }
  return "?";
}

}  // namespace vth
