#pragma once
// The runtime's exception types (docs/semantics.md section 1).
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include <vt/cancellation.hpp>

namespace vt {

// Every misuse of the protocol: stale token, double consume, double completion, ...
class invalid_operation : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

class operation_canceled : public std::runtime_error {
public:
  explicit operation_canceled(std::string what = "the operation was canceled",
                              cancellation_token token = {})
      : std::runtime_error(std::move(what)), token_(std::move(token)) {}
  const cancellation_token& token() const noexcept { return token_; }

private:
  cancellation_token token_;
};

// The stored error of a faulted when_all: every input's exception, in input order.
class aggregate_error : public std::runtime_error {
public:
  explicit aggregate_error(std::vector<std::exception_ptr> errors);
  const std::vector<std::exception_ptr>& errors() const noexcept { return errors_; }

private:
  std::vector<std::exception_ptr> errors_;
};

class pool_exhausted : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

namespace detail {
// True when `error` holds a vt::operation_canceled (or a type derived from it).
bool is_cancellation(const std::exception_ptr& error) noexcept;
}  // namespace detail

}  // namespace vt
