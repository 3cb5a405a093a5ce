#pragma once
// The runtime's exception types (docs/semantics.md section 1).
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include <vt/cancellation.hpp>

namespace vt {

// Which misuse an invalid_operation reports (docs/semantics.md section 8).
enum class misuse : std::uint8_t {
  unspecified,              // built from a message alone (a user's own source, say)
  stale_token,              // a token of another generation: older, newer, or already consumed
  idle_source,              // a token for a pooled source idle in its pool
  result_before_completion, // a result read before completion
  double_completion,        // a generation completed twice
  second_continuation,      // a second continuation on one generation
  reset_with_continuation,  // reset() over a registered continuation that has not run
  empty_task,               // a default-constructed or moved-from task used
};

// Every misuse of the protocol. vt's own carry what they report as values: the misuse, and
// the token given and the source's version where there are such (a stale token: both; an
// idle source: the token; a source's other misuses: its version). The message is written
// from those values.
class invalid_operation : public std::logic_error {
public:
  explicit invalid_operation(const std::string& what) : std::logic_error(what) {}
  explicit invalid_operation(const char* what) : std::logic_error(what) {}
  invalid_operation(vt::misuse kind, const std::string& what, std::uint64_t token = 0, std::uint64_t version = 0)
      : std::logic_error(what), kind_(kind), token_(token), version_(version) {}

  vt::misuse misuse() const noexcept { return kind_; }
  std::uint64_t token() const noexcept { return token_; }
  std::uint64_t version() const noexcept { return version_; }

private:
  vt::misuse kind_ = vt::misuse::unspecified;
  std::uint64_t token_ = 0;
  std::uint64_t version_ = 0;
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
