#include <vt/value_task_source.hpp>

namespace vt {

const char* to_string(source_status status) noexcept {
  switch (status) {
    case source_status::pending: return "pending";
    case source_status::succeeded: return "succeeded";
    case source_status::faulted: return "faulted";
    case source_status::canceled: return "canceled";
  }
  return "unknown";
}

}  // namespace vt
