#include <vth/property.hpp>

#include <array>

namespace vth {

namespace {
constexpr std::array<std::string_view, 10> names{
    "none",           "stale-token-rejection", "misuse-reported", "no-false-misuse",
    "model-agreement", "exactly-once",          "no-lost-wakeups", "no-leaks",
    "task-value_task-equivalence", "harness-consistency",
};
}  // namespace

std::string_view name(property p) noexcept { return names[static_cast<std::size_t>(p)]; }

std::optional<property> parse_property(std::string_view text) noexcept {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return static_cast<property>(i);
  }
  return std::nullopt;
}

}  // namespace vth
