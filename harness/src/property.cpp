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

}  // namespace vth
