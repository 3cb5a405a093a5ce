#include <string>

#include <vt/exception_cast.hpp>
#include <vt/errors.hpp>
#include <vt/manual_reset_value_task_source_core.hpp>

namespace vt {

namespace {
std::string describe_aggregate(const std::vector<std::exception_ptr>& errors) {
  std::string what = "one or more errors occurred (" + std::to_string(errors.size()) + ")";
  for (const auto& error : errors) {
    const auto* e = exception_cast<std::exception>(error);
    what += "; ";
    what += e != nullptr ? e->what() : "(non-standard exception)";
  }
  return what;
}
}  // namespace

aggregate_error::aggregate_error(std::vector<std::exception_ptr> errors)
    : std::runtime_error(describe_aggregate(errors)), errors_(std::move(errors)) {}

namespace detail {

bool is_cancellation(const std::exception_ptr& error) noexcept {
  return exception_cast<operation_canceled>(error) != nullptr;
}

void throw_stale_token(unsigned long token, unsigned long version) {
  throw invalid_operation(misuse::stale_token,
                          "stale token " + std::to_string(token) + ", source is at version " + std::to_string(version),
                          token, version);
}

void throw_double_completion(unsigned long version) {
  throw invalid_operation(misuse::double_completion,
                          "source completed twice in version " + std::to_string(version) + "; the first outcome is kept",
                          0, version);
}

void throw_second_continuation(unsigned long version) {
  throw invalid_operation(misuse::second_continuation,
                          "a second continuation was registered for version " + std::to_string(version) +
                              " (one awaiter per generation)",
                          0, version);
}

void throw_reset_with_continuation(unsigned long version) {
  throw invalid_operation(misuse::reset_with_continuation,
                          "reset of version " + std::to_string(version) +
                              " with a registered continuation that has not run (it would be lost)",
                          0, version);
}

void throw_idle_source(unsigned long token) {
  throw invalid_operation(misuse::idle_source,
                          "token " + std::to_string(token) + ": the source is idle in its pool (no generation of it is rented)",
                          token, 0);
}

void throw_result_before_completion(unsigned long version) {
  throw invalid_operation(misuse::result_before_completion,
                          "get_result on version " + std::to_string(version) + " before it completed", 0, version);
}

}  // namespace detail
}  // namespace vt
