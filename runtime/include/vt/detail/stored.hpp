#pragma once
// `void` results are stored as `void_value` so one code path serves T and void.
#include <type_traits>

namespace vt::detail {

struct void_value {
  friend constexpr bool operator==(void_value, void_value) noexcept { return true; }
};

template <class T>
using stored_t = std::conditional_t<std::is_void_v<T>, void_value, T>;

}  // namespace vt::detail
