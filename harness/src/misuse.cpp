#include <vth/misuse.hpp>

#include <charconv>

namespace vth {

namespace {
constexpr int kind_bits = 4;   // below 16 misuses
constexpr int width_bits = 6;  // a token width up to 63 bits

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// The unsigned number at the start of `text`, and what follows it.
bool read_number(std::string_view& text, std::uint64_t& number) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc{}) return false;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return true;
}

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
  }
  return "?";
}
}  // namespace

long encode(const misuse_report& report) noexcept {
  // Shifted as unsigned: a newer token's distance is negative.
  const auto distance = static_cast<std::uint64_t>(report.distance) << (kind_bits + width_bits);
  return static_cast<long>(distance | (static_cast<std::uint64_t>(report.width) << kind_bits) |
                           static_cast<std::uint64_t>(report.kind));
}

misuse_report decode_misuse(long value) noexcept {
  return {static_cast<named_misuse>(value & ((1 << kind_bits) - 1)),
          static_cast<int>((value >> kind_bits) & ((1 << width_bits) - 1)), value >> (kind_bits + width_bits)};
}

misuse_report stale_token(std::int64_t version_minus_token) noexcept {
  return {named_misuse::stale_token, 0, version_minus_token};
}

misuse_report stale_token_of_unknown_distance() noexcept { return {named_misuse::stale_token, unknown_distance, 0}; }

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

misuse_report misuse_named_by_vt(std::string_view message, int token_bits) {
  // "stale token T, source is at version V"
  if (std::string_view rest = message; starts_with(rest, "stale token ")) {
    rest.remove_prefix(12);
    std::uint64_t token = 0, version = 0;
    if (!read_number(rest, token) || !starts_with(rest, ", source is at version ")) return {};
    rest.remove_prefix(23);
    if (!read_number(rest, version)) return {};
    return {named_misuse::stale_token, token_bits, modulo_width(version - token, token_bits)};
  }
  if (starts_with(message, "token ") && message.find(": the source is idle in its pool") != std::string_view::npos) {
    return {named_misuse::idle_source, 0, 0};
  }
  if ((starts_with(message, "get_result on version ") && message.ends_with(" before it completed")) ||
      message == "value_task::result() before the task completed" || message == "task::result() before the task completed") {
    return {named_misuse::before_completion, 0, 0};
  }
  if (starts_with(message, "source completed twice in version ")) return {named_misuse::double_completion, 0, 0};
  if (starts_with(message, "a second continuation was registered for version ")) return {named_misuse::second_continuation, 0, 0};
  if (starts_with(message, "reset of version ") && message.find("with a registered continuation") != std::string_view::npos) {
    return {named_misuse::reset_with_continuation, 0, 0};
  }
  if (starts_with(message, "use of an empty")) return {named_misuse::empty_task, 0, 0};
  return {};
}

}  // namespace vth
