#include <vth/misuse.hpp>

namespace vth {

namespace {
std::int64_t modulo_width(std::uint64_t value, int token_bits) noexcept {
  return static_cast<std::int64_t>(value & ((std::uint64_t{1} << token_bits) - 1));
}

const char* name(named_misuse kind) noexcept {
  switch (kind) {
    case named_misuse::unnamed: return "";
    case named_misuse::stale_token: return "stale token";
    case named_misuse::idle_source: return "idle source";
    case named_misuse::before_completion: return "result before completion";
    case named_misuse::double_completion: return "completed twice";
    case named_misuse::second_continuation: return "second continuation";
    case named_misuse::reset_with_continuation: return "reset over a continuation";
    case named_misuse::empty_task: return "empty task";
    case named_misuse::consumed_twice: return "consumed twice";
    case named_misuse::lost_consumption_race: return "consumed twice, or stale token, 1 generation behind";
  }
  return "?";
}
}  // namespace

misuse_report stale_token(std::int64_t version_minus_token) noexcept {
  return {named_misuse::stale_token, 0, version_minus_token};
}

misuse_report stale_token_of_unknown_distance() noexcept { return {named_misuse::stale_token, unknown_distance, 0}; }

misuse_report lost_consumption_race() noexcept { return {named_misuse::lost_consumption_race, 0, 0}; }

bool allows(const misuse_report& predicted, const misuse_report& named, int token_bits) noexcept {
  if (predicted.kind == named_misuse::lost_consumption_race) {
    return named.kind == named_misuse::consumed_twice || at_width(named, token_bits) == at_width(stale_token(1), token_bits);
  }
  if (predicted.width == unknown_distance) return predicted.kind == named.kind;
  return at_width(predicted, token_bits) == at_width(named, token_bits);
}

misuse_report at_width(misuse_report report, int token_bits) noexcept {
  if (report.kind != named_misuse::stale_token || report.width == unknown_distance) return {report.kind, 0, 0};
  return {named_misuse::stale_token, token_bits, modulo_width(static_cast<std::uint64_t>(report.distance), token_bits)};
}

std::string describe(const misuse_report& report) {
  if (report.kind != named_misuse::stale_token || report.width == unknown_distance) return name(report.kind);
  std::int64_t behind = report.distance;
  // Modulo 2^width, the upper half reads as a newer token.
  if (report.width > 0 && behind >= (std::int64_t{1} << (report.width - 1))) behind -= std::int64_t{1} << report.width;
  const std::int64_t count = behind < 0 ? -behind : behind;
  return "stale token, " + generations(count) + (behind < 0 ? " ahead" : " behind");
}

std::string generations(std::int64_t count) {
  return std::to_string(count) + (count == 1 || count == -1 ? " generation" : " generations");
}

std::string token_at_lag(std::int64_t lag) {
  if (lag == 0) return "a token for a source that is back in its pool (idle)";
  if (lag < 0) return "a token " + generations(-lag) + " ahead of its source";
  return "a token " + generations(lag) + " behind its source";
}

misuse_report misuse_reported(const vt::invalid_operation& rejection, int token_bits) noexcept {
  switch (rejection.misuse()) {
    case vt::misuse::unspecified: return {};
    case vt::misuse::stale_token:
      return {named_misuse::stale_token, token_bits, modulo_width(rejection.version() - rejection.token(), token_bits)};
    case vt::misuse::idle_source: return {named_misuse::idle_source, 0, 0};
    case vt::misuse::result_before_completion: return {named_misuse::before_completion, 0, 0};
    case vt::misuse::double_completion: return {named_misuse::double_completion, 0, 0};
    case vt::misuse::second_continuation: return {named_misuse::second_continuation, 0, 0};
    case vt::misuse::reset_with_continuation: return {named_misuse::reset_with_continuation, 0, 0};
    case vt::misuse::empty_task: return {named_misuse::empty_task, 0, 0};
  }
  return {};
}

}  // namespace vth
