#pragma once
// The adapters that point vtlab's harness at the example sources (vth/source_under_test.hpp).
#include <charconv>
#include <string_view>
#include <system_error>

#include <vth/source_under_test.hpp>

#include "atomic_source.hpp"
#include "locked_source.hpp"
#include "receive_box.hpp"

namespace boxes {

template <recycling Policy, reuse Order = reuse::last_returned_first>
struct sources {
  template <class T>
  using source = receive_box<T, Policy, Order>;
  template <class T>
  using pool = box_pool<T, Policy, Order>;
  static constexpr bool consumption_moves_the_value = false;  // the core's get_result copies
};

using recycled_in_finally = sources<recycling::in_finally>;
using recycled_after_validation = sources<recycling::after_validation>;

// The fixed box from a pool that hands out the box returned first, declared as such (an
// adapter that declares nothing is held to "any idle box", which this pool also meets), and
// a namer that knows receive_box's own message only.
struct oldest_box_first : sources<recycling::after_validation, reuse::first_returned_first> {
  static constexpr vth::idle_order reuse = vth::idle_order::least_recently_returned;
  // "receive_box: idle at version V (token T)" and "receive_box: already consumed at version
  // V": the box's own refusals. vt's rejections (its core's inside the box too) carry their
  // misuse as values.
  static vth::misuse_report misuse_named(std::string_view message) {
    if (message.starts_with("receive_box: already consumed at version ")) return {vth::named_misuse::consumed_twice};
    constexpr std::string_view prefix = "receive_box: idle at version ", middle = " (token ";
    if (!message.starts_with(prefix)) return {};
    message.remove_prefix(prefix.size());
    vt::token_t version = 0, token = 0;
    auto [rest, error] = std::from_chars(message.data(), message.data() + message.size(), version);
    message.remove_prefix(static_cast<std::size_t>(rest - message.data()));
    if (error != std::errc{} || !message.starts_with(middle)) return {};
    message.remove_prefix(middle.size());
    if (std::from_chars(message.data(), message.data() + message.size(), token).ec != std::errc{}) return {};
    if (token == version) return {vth::named_misuse::idle_source, 0, 0};
    return vth::stale_token(static_cast<vt::token_t>(version - token));
  }
};
struct oldest_box_first_undeclared : sources<recycling::after_validation, reuse::first_returned_first> {};

}  // namespace boxes

namespace locked {

// A source on a mutex that calls its continuations directly (inline at any depth), declared
// so: the model does not count its calls as inline levels of vt's resumer.
struct sources {
  template <class T>
  using source = locked::source<T>;
  template <class T>
  using pool = locked::pool<T>;
  static constexpr bool consumption_moves_the_value = true;
  static constexpr vth::inline_dispatch dispatch = vth::inline_dispatch::direct_call;
};

}  // namespace locked

namespace lockfree {

// The lock-free source, its continuations called directly too, from a pool that hands out
// the source returned last. The flawed ones plant one race each.
template <flaw Flaw>
struct sources_with {
  template <class T>
  using source = lockfree::source<T, Flaw>;
  template <class T>
  using pool = lockfree::pool<T, Flaw>;
  static constexpr bool consumption_moves_the_value = true;
  static constexpr vth::inline_dispatch dispatch = vth::inline_dispatch::direct_call;
  static constexpr vth::idle_order reuse = vth::idle_order::most_recently_returned;
};
using sources = sources_with<flaw::none>;
using continuation_stored_plainly = sources_with<flaw::continuation_stored_plainly>;
using completion_published_relaxed = sources_with<flaw::completion_published_relaxed>;

}  // namespace lockfree
