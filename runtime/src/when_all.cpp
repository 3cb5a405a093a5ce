#include <vt/exception_cast.hpp>
#include <vt/when_all.hpp>

namespace vt::detail {

void append_flattened(std::vector<std::exception_ptr>& errors, const std::exception_ptr& error) {
  if (const auto* aggregate = exception_cast<aggregate_error>(error)) {
    for (const auto& inner : aggregate->errors()) append_flattened(errors, inner);
  } else {
    errors.push_back(error);
  }
}

}  // namespace vt::detail
