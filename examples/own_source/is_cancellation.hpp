#pragma once
// Whether an exception handed to set_exception is a cancellation: the example sources then
// complete canceled, as the contract's set_exception does with an operation_canceled.
#include <exception>

#include <vt/errors.hpp>

namespace examples {

inline bool is_cancellation(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const vt::operation_canceled&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace examples
