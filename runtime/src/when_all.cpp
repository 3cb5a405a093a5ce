#include <vt/when_all.hpp>

namespace vt::detail {

void append_flattened(std::vector<std::exception_ptr>& errors, const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const aggregate_error& aggregate) {
    for (const auto& inner : aggregate.errors()) append_flattened(errors, inner);
  } catch (...) {
    errors.push_back(error);
  }
}

}  // namespace vt::detail
