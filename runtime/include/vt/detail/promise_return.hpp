#pragma once
// return_value / return_void for a promise, forwarding to Derived::store_value.
#include <concepts>
#include <utility>

namespace vt::detail {

template <class Derived, class T>
class promise_return {
public:
  template <class U = T>
    requires std::constructible_from<T, U&&>
  void return_value(U&& value) {
    static_cast<Derived*>(this)->store_value(std::forward<U>(value));
  }
};

template <class Derived>
class promise_return<Derived, void> {
public:
  void return_void() { static_cast<Derived*>(this)->store_value(); }
};

}  // namespace vt::detail
