#pragma once
// A source under test: what the harness needs from a pooled value_task source to run every
// scenario op on it. vtlab's own pools are one (vtlab_pools, below); a user's pooled
// source is another, described by an adapter like this:
//
//   struct my_sources {
//     template <class T> using source = my_source<T>;  // derives from vt::value_task_source<T>
//     template <class T> using pool = my_pool<T>;
//     // get_result moves the value out (vt's pooled sources), or copies it (a source
//     // built on manual_reset_value_task_source_core, whose get_result copies)
//     static constexpr bool consumption_moves_the_value = false;
//   };
//
// for T in int, vth::tracked_value and void, with
//
//   pool(std::size_t capacity, vt::token_t first_version)
//       every source it creates starts at first_version; it creates at most `capacity`
//   source<T>& pool.rent()
//       an idle source at its current version, else a new one; vt::pool_exhausted when
//       `capacity` sources are rented
//   vt::pool_statistics pool.statistics()
//       created, rented, returned (consumed back into the pool), reused (rents served by a
//       returned source), idle
//   source.version(), source.is_rented()
//   source.set_result(value...) / set_exception(std::exception_ptr) / set_canceled(token)
//   source.run_continuations_asynchronously(bool), and the getter of the same name
//   and vt::value_task_source<T>'s status, get_result, on_completed.
//
// and, optionally, how its invalid_operation messages name the misuse (docs/semantics.md
// section 1: "the message names the misuse"):
//
//   static vth::misuse_report misuse_named(std::string_view message);
//
// With it, the harness checks that every rejection names the misuse committed (a stale
// token with its distance); without it, only that invalid_operation was thrown. It needs
// to know only its own source's messages: a rejection of vt's (from the value_tasks, tasks
// and cores around the source, or from vt's core inside it) carries its misuse as values,
// read before any message (vt::invalid_operation::misuse()).
//
// Where the contract leaves the source a choice, the adapter may declare its answer
// (source_choices.hpp), and the harness checks that answer exactly:
//
//   static constexpr vth::idle_order reuse = vth::idle_order::least_recently_returned;
//   static constexpr vth::inline_dispatch dispatch = vth::inline_dispatch::direct_call;
//
// Undeclared, the model accepts any idle source, and takes inline continuations to run
// through vt's inline resumer (a source built on vt's core).
//
// What the harness assumes is the contract (docs/semantics.md): sections 3 (where continuations
// run), 7 (a generation's token; get_result consumes it, the source's version moves on
// and it goes back to its pool; idle sources take no token), 8 (every misuse throws
// vt::invalid_operation and changes nothing) and 9 (faults in user code: a value whose copy
// or move throws, a continuation that throws, std::bad_alloc). Every departure is reported
// as the property it breaks.
#include <concepts>
#include <cstddef>
#include <exception>
#include <string_view>

#include <vt/cancellation.hpp>
#include <vt/source_pool.hpp>
#include <vt/value_task_source.hpp>
#include <vth/misuse.hpp>
#include <vth/source_choices.hpp>
#include <vth/tracked_value.hpp>

namespace vth {

// What a source under test needs at one value type, requirement by requirement, so that a
// source that lacks one is told which (check_source_under_test, below).
template <class Sources, class T>
concept source_is_a_value_task_source =
    std::derived_from<typename Sources::template source<T>, vt::value_task_source<T>>;
template <class Sources, class T>
concept pool_is_built_from_capacity_and_first_version =
    std::constructible_from<typename Sources::template pool<T>, std::size_t, vt::token_t>;
template <class Sources, class T>
concept pool_rents_and_counts = requires(typename Sources::template pool<T>& pool) {
  { pool.rent() } -> std::same_as<typename Sources::template source<T>&>;
  { pool.statistics() } -> std::convertible_to<vt::pool_statistics>;
};
template <class Sources, class T>
concept source_reports_its_generation = requires(const typename Sources::template source<T>& source) {
  { source.version() } -> std::convertible_to<vt::token_t>;
  { source.is_rented() } -> std::convertible_to<bool>;
  { source.run_continuations_asynchronously() } -> std::convertible_to<bool>;
};
template <class Sources, class T>
concept source_completes = requires(typename Sources::template source<T>& source) {
  source.set_exception(std::exception_ptr{});
  source.set_canceled(vt::cancellation_token{});
  source.run_continuations_asynchronously(true);
};
template <class Sources, class T>
concept sources_of = source_is_a_value_task_source<Sources, T> && pool_is_built_from_capacity_and_first_version<Sources, T> &&
                     pool_rents_and_counts<Sources, T> && source_reports_its_generation<Sources, T> &&
                     source_completes<Sources, T>;

// A source under test, at every value type a scenario uses.
template <class Sources>
concept source_under_test = requires { { Sources::consumption_moves_the_value } -> std::convertible_to<bool>; } &&
    sources_of<Sources, int> && sources_of<Sources, tracked_value> && sources_of<Sources, void>;

// Each requirement of source_under_test as its own compile error, in words: for an
// adapter that fails the concept.
template <class Sources, class T>
constexpr bool check_sources_of() {
  static_assert(source_is_a_value_task_source<Sources, T>,
                "vtlab: Sources::source<T> must derive from vt::value_task_source<T> (for T = int, vth::tracked_value, void)");
  static_assert(pool_is_built_from_capacity_and_first_version<Sources, T>,
                "vtlab: Sources::pool<T> must be constructible from (std::size_t capacity, vt::token_t first_version)");
  static_assert(pool_rents_and_counts<Sources, T>,
                "vtlab: Sources::pool<T> needs rent() returning source<T>& and statistics() returning vt::pool_statistics");
  static_assert(source_reports_its_generation<Sources, T>,
                "vtlab: Sources::source<T> needs const version(), is_rented() and run_continuations_asynchronously()");
  static_assert(source_completes<Sources, T>,
                "vtlab: Sources::source<T> needs set_exception(std::exception_ptr), set_canceled(vt::cancellation_token) "
                "and run_continuations_asynchronously(bool) (set_result is called with a T, or with nothing for void)");
  return true;
}
template <class Sources>
constexpr bool check_source_under_test() {
  static_assert(requires { { Sources::consumption_moves_the_value } -> std::convertible_to<bool>; },
                "vtlab: the adapter needs `static constexpr bool consumption_moves_the_value` (does get_result move "
                "the value out, or copy it?)");
  return check_sources_of<Sources, int>() && check_sources_of<Sources, tracked_value>() && check_sources_of<Sources, void>();
}

// Whether a source under test's adapter says how its messages name the misuse.
template <class Sources>
concept names_misuse = requires(std::string_view message) {
  { Sources::misuse_named(message) } -> std::same_as<misuse_report>;
};

// The answers a source under test declares, the open ones left open.
template <class Sources>
constexpr source_choices choices_of() {
  source_choices choices;
  choices.consumption_moves_the_value = Sources::consumption_moves_the_value;
  if constexpr (requires { { Sources::reuse } -> std::convertible_to<idle_order>; }) choices.reuse = Sources::reuse;
  if constexpr (requires { { Sources::dispatch } -> std::convertible_to<inline_dispatch>; }) {
    choices.dispatch = Sources::dispatch;
  }
  return choices;
}

// vtlab's own: vt::source_pool and its pooled sources.
struct vtlab_pools {
  template <class T>
  using source = vt::pooled_source<T>;
  template <class T>
  using pool = vt::source_pool<T>;
  static constexpr bool consumption_moves_the_value = true;
  static constexpr idle_order reuse = idle_order::most_recently_returned;  // source_pool's free list
  // Every rejection of vt's carries its misuse as values (misuse_reported): no message to read.
  static misuse_report misuse_named(std::string_view) { return {}; }
};
static_assert(names_misuse<vtlab_pools>);
static_assert(source_under_test<vtlab_pools>);

}  // namespace vth
