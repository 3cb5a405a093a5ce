#pragma once
// The adapters that point vtlab's harness at receive_box (vth/source_under_test.hpp).
#include <vth/source_under_test.hpp>

#include "receive_box.hpp"

namespace boxes {

template <recycling Policy>
struct sources {
  template <class T>
  using source = receive_box<T, Policy>;
  template <class T>
  using pool = box_pool<T, Policy>;
  static constexpr bool consumption_moves_the_value = false;  // the core's get_result copies
};

using recycled_in_finally = sources<recycling::in_finally>;
using recycled_after_validation = sources<recycling::after_validation>;

}  // namespace boxes
