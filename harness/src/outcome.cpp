#include <vth/outcome.hpp>

#include <algorithm>

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
std::string describe_inner(const inner_error& e) {
  switch (e.what) {
    case inner_error::kind::none: break;
    case inner_error::kind::harness_error: return "error" + std::to_string(e.code);
    case inner_error::kind::invalid_operation: return "invalid_operation";
    case inner_error::kind::out_of_memory: return "bad_alloc";
    case inner_error::kind::operation_canceled: return "operation_canceled";
    case inner_error::kind::aggregate_error: return "aggregate_error";
  }
  return "?";
}

// How each alternative prints, as the traces and reports show it.
struct describer {
  std::string operator()(const outcomes::skipped&) const { return "skipped"; }
  std::string operator()(const outcomes::done& d) const {
    return d.detail == 0 ? "done" : "done (" + describe_event(d.detail) + ")";
  }
  std::string operator()(const outcomes::value& v) const { return "value " + std::to_string(v.number); }
  std::string operator()(const outcomes::status& s) const {
    return std::string("status ") + vt::to_string(static_cast<vt::source_status>(s.state));
  }
  std::string operator()(const outcomes::error& e) const { return "error" + std::to_string(e.code); }
  std::string operator()(const outcomes::canceled& c) const {
    return c.by < 0 ? "canceled" : "canceled by K" + std::to_string(c.by);
  }
  std::string operator()(const outcomes::invalid_operation& r) const {
    const std::string named = describe(r.misuse);
    return named.empty() ? "invalid_operation" : "invalid_operation (" + named + ")";
  }
  std::string operator()(const outcomes::invalid_argument&) const { return "invalid_argument"; }
  std::string operator()(const outcomes::pool_exhausted&) const { return "pool_exhausted"; }
  std::string operator()(const outcomes::out_of_memory&) const { return "bad_alloc"; }
  std::string operator()(const outcomes::aggregate& a) const {
    std::string out = "aggregate_error of " + std::to_string(a.count) + ":";
    for (long k = 0; k < std::min<long>(a.count, 3); ++k) out += " " + describe_inner(a.first[static_cast<std::size_t>(k)]);
    return out;
  }
  std::string operator()(const outcomes::callbacks& c) const {
    std::string out = std::to_string(c.count) + (c.count == 1 ? " callback ran" : " callbacks ran");
    if (c.first[0] >= 0) out += ": registration #" + std::to_string(c.first[0]);
    if (c.first[1] >= 0) out += ", then #" + std::to_string(c.first[1]);
    return out;
  }
};
}  // namespace

outcomes::aggregate aggregate_of(const std::vector<inner_error>& errors) {
  outcomes::aggregate a{static_cast<long>(errors.size()), {}};
  for (std::size_t k = 0; k < std::min<std::size_t>(errors.size(), a.first.size()); ++k) a.first[k] = errors[k];
  return a;
}

outcomes::callbacks callbacks_of(const std::vector<long>& ran) {
  outcomes::callbacks c{static_cast<long>(ran.size()), {-1, -1}};
  for (std::size_t k = 0; k < std::min<std::size_t>(ran.size(), c.first.size()); ++k) c.first[k] = ran[k];
  return c;
}

std::string describe_events(const std::vector<long>& events) {
  if (events.empty()) return "nothing";
  std::string out;
  for (const long event : events) out += (out.empty() ? "" : ", ") + describe_event(event);
  return out;
}

std::string describe(const outcome& o) { return std::visit(describer{}, o); }

}  // namespace vth
