#include "support/scenario_generators.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <vt/config.hpp>
#include <vth/aim.hpp>
#include <vth/codec.hpp>
#include <vth/crash_watch.hpp>
#include <vth/model.hpp>
#include <vth/printer.hpp>
#include <vth/runner.hpp>

#ifndef VTH_FAILURE_DIR
#define VTH_FAILURE_DIR "property-failures"
#endif

namespace vth_properties {

using vth::op_code;

profile stale_token_profile() {
  profile p{{{4, op_code::rent},          {5, op_code::wrap},          {2, op_code::wrap_wrong_token},
           {5, op_code::copy},          {3, op_code::set_result},    {1, op_code::set_exception},
           {1, op_code::set_canceled},  {5, op_code::result},        {4, op_code::status},
           {2, op_code::as_task},       {2, op_code::preserve},      {2, op_code::await_in_task},
           {2, op_code::await_in_value_task}, {2, op_code::register_raw}, {3, op_code::recycle},
           {1, op_code::task_result},   {2, op_code::run_one},       {1, op_code::run_until_idle},
           {2, op_code::register_raw_with}, {1, op_code::run_asynchronously}, {2, op_code::core_wrap},
           {2, op_code::core_complete}, {2, op_code::core_reset}, {2, op_code::core_get_result}, {1, op_code::equals},
           {1, op_code::await_unbound}, {1, op_code::make_faulted}, {1, op_code::task_status}, {1, op_code::task_equals}},
          40,
          1};
  p.drawn_misuse = vth::misuse::as_drawn;  // stale tokens are misuse
  return p;
}

profile exactly_once_profile() {
  profile p{{{4, op_code::rent},         {5, op_code::wrap},           {3, op_code::copy},
           {4, op_code::set_result},   {1, op_code::set_exception},  {1, op_code::set_canceled},
           {4, op_code::post_completion}, {4, op_code::await_in_task}, {4, op_code::await_in_value_task},
           {3, op_code::await_task},   {6, op_code::register_raw},   {2, op_code::as_task},
           {2, op_code::when_all},     {2, op_code::when_any},       {2, op_code::cancel_on},
           {1, op_code::cancel},       {6, op_code::run_one},        {1, op_code::run_until_idle},
           {1, op_code::result},       {1, op_code::recycle},        {5, op_code::register_raw_with},
           {3, op_code::run_asynchronously}, {2, op_code::when_all_into}, {2, op_code::inspect_when_all},
           {2, op_code::when_all_nested}, {1, op_code::when_all_of_none}, {2, op_code::task_exception}, {2, op_code::core_wrap}, {2, op_code::core_complete}, {1, op_code::core_reset},
           {2, op_code::task_faulted_aggregate},
           {4, op_code::await_unbound}, {1, op_code::make_faulted}, {1, op_code::make_canceled},
           {2, op_code::task_status}, {1, op_code::task_faulted}, {1, op_code::task_canceled}, {2, op_code::run_on},
           {1, op_code::cancel_check}, {1, op_code::run_default}, {1, op_code::run_throws}, {3, op_code::complete_on_worker},
           {1, op_code::complete_on_own_pool}, {2, op_code::unregister}, {1, op_code::complete_after_delay},
           {3, op_code::await_task_unbound}, {6, op_code::set_poisoned}, {1, op_code::register_throwing},
           {1, op_code::cancel_on_acting}, {1, op_code::await_task_chain}, {2, op_code::result_on_worker},
           {1, op_code::make_faulted_by_cancellation}, {1, op_code::set_exception_canceled},
           {1, op_code::suspend_without_executor}},
          50,
          1};
  // A wide vocabulary: each at 1% or more (set_poisoned of the third of scenarios whose
  // values are tracked).
  for (auto& weight : p.weights) weight.first = std::max(weight.first, 2);
  return p;
}

profile lost_wakeup_profile() {
  profile p = exactly_once_profile();
  p.weights.insert(p.weights.end(), {{2, op_code::preserve}, {2, op_code::task_result}, {2, op_code::status}});
  p.max_ops = 60;
  return p;
}

// Faults in user code (section 9) among the usual traffic: poisoned values, throwing
// continuations and callbacks, failing posts, and continuation chains deeper than the
// inline-resumption limit. Poisoned values need tracked values.
profile faults_profile() {
  profile p = exactly_once_profile();
  // Each of the usual ops stays at 1% or more beside the faults and the rentals and
  // value_tasks put in to give ops something to act on.
  for (auto& weight : p.weights) weight.first = std::max(weight.first, 3);
  p.weights.insert(p.weights.end(), {{8, op_code::set_poisoned},      {4, op_code::make_poisoned},
                                     {5, op_code::register_throwing}, {3, op_code::register_post_fails},
                                     {4, op_code::cancel_on_acting},  {3, op_code::await_task_chain},
                                     {3, op_code::task_result},       {3, op_code::result},
                                     {2, op_code::copy},              {3, op_code::preserve},
                                     {8, op_code::allocation_fails}, {4, op_code::run_poisoned}});
  p.max_ops = 60;
  p.tracked_values = true;
  return p;
}

namespace {
// The exactly_once mix, weighted so that each of its ops stays at 1% or more beside a
// profile's own additions (set_poisoned, which only the third of scenarios with tracked
// values draw, three times over).
profile exactly_once_beside_more() {
  profile p = exactly_once_profile();
  for (auto& weight : p.weights) weight.first = weight.second == op_code::set_poisoned ? 9 : std::max(weight.first, 3);
  return p;
}
}  // namespace

// Completions and consumptions on other threads (a default-executor worker, a pool of its
// own, a real timer), awaits that resume wherever the completion runs, and the usual
// traffic around them: what the threads property runs under ThreadSanitizer.
profile threads_profile() {
  profile p = exactly_once_beside_more();
  p.weights.insert(p.weights.end(), {{8, op_code::complete_on_worker},   {3, op_code::complete_on_own_pool},
                                     {2, op_code::complete_after_delay}, {6, op_code::result_on_worker},
                                     {4, op_code::await_unbound},        {3, op_code::await_task_unbound},
                                     {2, op_code::run_default},          {2, op_code::run_asynchronously},
                                     {5, op_code::result_race},          {5, op_code::await_in_value_task_unbound},
                                     {3, op_code::cancel_on_worker},     {3, op_code::when_all},
                                     {4, op_code::when_any}});
  return p;
}

// The ops the .NET oracle runs (oracle/dotnet), lawful and not: what the dotnet property
// sends to .NET itself.
profile dotnet_profile() {
  profile p{{{10, op_code::rent},           {12, op_code::wrap},          {3, op_code::wrap_wrong_token},
             {8, op_code::copy},           {8, op_code::set_result},    {2, op_code::set_exception},
             {2, op_code::set_canceled},   {10, op_code::result},        {3, op_code::status},
             {2, op_code::as_task},        {2, op_code::preserve},      {2, op_code::recycle},
             {2, op_code::task_result},    {2, op_code::equals},        {2, op_code::core_wrap},
             {2, op_code::core_complete},  {2, op_code::core_reset},    {2, op_code::core_get_result},
             {2, op_code::make_faulted},   {2, op_code::make_canceled}, {2, op_code::make_faulted_by_cancellation},
             {2, op_code::task_status},    {2, op_code::task_equals},   {2, op_code::task_faulted},
             {2, op_code::task_canceled},  {8, op_code::cancel_on},     {2, op_code::cancel},
             {2, op_code::cancel_check},   {2, op_code::unregister},    {2, op_code::await_in_task},
             {2, op_code::await_in_value_task}, {2, op_code::await_task}, {2, op_code::await_unbound},
             {2, op_code::await_task_unbound},  {2, op_code::await_in_value_task_unbound},
             {2, op_code::await_task_chain},    {2, op_code::task_exception}, {2, op_code::run_one},
             {2, op_code::run_until_idle}, {2, op_code::when_all},   {2, op_code::when_any},
             {2, op_code::when_all_into},  {2, op_code::inspect_when_all}, {2, op_code::when_all_of_none},
             {2, op_code::post_completion}, {2, op_code::run_on},  {2, op_code::run_throws},
             {2, op_code::register_raw},    {2, op_code::register_raw_with}, {2, op_code::set_exception_canceled},
             {2, op_code::wrap_task},      {2, op_code::cancel_on_acting}, {2, op_code::bad_argument},
             {2, op_code::task_faulted_aggregate}, {2, op_code::register_throwing},
             {2, op_code::register_post_fails}, {2, op_code::when_all_nested}},
            30,
            1};
  p.drawn_misuse = vth::misuse::as_drawn;  // stale tokens, early reads and double completions are where .NET departs
  return p;
}

// Deep inline nesting (section 6): tasks completed later (by the scheduler or a source),
// chains of coroutines over them as deep as the inline-resumption limit and past it, and
// several inline awaits (combinators, unbound awaits) on the same tasks, among the usual
// traffic. Past the limit, a completion's waiters are told while the deeper ones wait for
// the outermost inline run: the order of everything they post and complete shows it.
profile nesting_profile() {
  profile p = exactly_once_beside_more();
  p.weights.insert(p.weights.end(), {{14, op_code::await_task_chain}, {8, op_code::run_on},
                                     {6, op_code::await_task_unbound}, {4, op_code::when_all},
                                     {3, op_code::when_any},            {3, op_code::when_all_into},
                                     {3, op_code::when_all_nested},     {6, op_code::run_one},
                                     {3, op_code::await_unbound}});
  p.max_ops = 60;
  return p;
}

std::vector<named_profile> every_profile() {
  return {{"stale_token", stale_token_profile()}, {"exactly_once", exactly_once_profile()},
          {"lost_wakeup", lost_wakeup_profile()}, {"misuse", misuse_profile()},
          {"faults", faults_profile()},           {"threads", threads_profile()},
          {"nesting", nesting_profile()},         {"dotnet", dotnet_profile()}};
}

profile misuse_profile() {
  profile p{{{4, op_code::rent},        {5, op_code::wrap},           {3, op_code::wrap_wrong_token},
           {5, op_code::copy},        {4, op_code::set_result},     {2, op_code::set_exception},
           {2, op_code::set_canceled}, {6, op_code::result},        {2, op_code::status},
           {3, op_code::as_task},     {2, op_code::preserve},       {3, op_code::await_in_task},
           {2, op_code::await_in_value_task}, {4, op_code::register_raw}, {2, op_code::task_result},
           {2, op_code::run_one},     {1, op_code::recycle},         {3, op_code::register_raw_with},
           {1, op_code::run_asynchronously}, {2, op_code::core_wrap}, {2, op_code::core_complete},
           {2, op_code::core_reset}, {2, op_code::core_get_result}, {2, op_code::equals}, {1, op_code::task_exception},
           {2, op_code::await_unbound}, {2, op_code::make_canceled}, {2, op_code::task_canceled},
           {1, op_code::task_equals}, {1, op_code::make_faulted}, {1, op_code::cancel_check}, {1, op_code::cancel_on},
           {1, op_code::unregister}, {2, op_code::bad_argument}, {2, op_code::make_faulted_by_cancellation},
           {2, op_code::set_exception_canceled}, {2, op_code::wrap_task}},
          40,
          1};
  p.drawn_misuse = vth::misuse::as_drawn;
  // Each at 1% or more beside the value_tasks the aim puts in before awaits (aim.hpp).
  for (auto& weight : p.weights) weight.first = std::max(weight.first, 2);
  return p;
}

namespace {
// A weighted choice that shrinks toward the first entry.
rc::Gen<op_code> gen_weighted_code(const std::vector<std::pair<int, op_code>>& weights) {
  int total = 0;
  for (const auto& w : weights) total += w.first;
  return rc::gen::map(rc::gen::inRange(0, total), [weights](int roll) {
    for (const auto& [weight, code] : weights) {
      if (roll < weight) return code;
      roll -= weight;
    }
    return weights.back().second;
  });
}
}  // namespace

rc::Gen<vth::op> gen_op(const profile& p) {
  const int wraparound_weight = p.wraparound_weight;
  return rc::gen::mapcat(gen_weighted_code(p.weights), [wraparound_weight](op_code code) {
    const vth::op_info& spec = vth::info(code);
    rc::Gen<std::pair<int, int>> tail = rc::gen::pair(rc::gen::inRange(0, spec.arg_limits[1]),
                                                      rc::gen::inRange(0, spec.arg_limits[2]));
    if (code == op_code::wrap_wrong_token) {
      // Mostly a token one or two generations off either way: -1 is the copy just made
      // stale, +1 the next renter's token, which matches once this generation is consumed.
      tail = rc::gen::pair(rc::gen::inRange(0, spec.arg_limits[1]),
                           rc::gen::oneOf(rc::gen::element(0, 1, 128, 129), rc::gen::inRange(0, spec.arg_limits[2])));
    }
    if (code == op_code::recycle) {
      // Mostly a few recycles; sometimes exactly 65,536 (a full 16-bit token cycle), or any
      // count the op can express.
      tail = rc::gen::weightedOneOf<std::pair<int, int>>(
          {{16, rc::gen::pair(rc::gen::just(0), rc::gen::inRange(0, 16))},
           {2 * wraparound_weight, rc::gen::just(std::pair<int, int>{255, 255})},
           {1, rc::gen::pair(rc::gen::inRange(0, 256), rc::gen::inRange(0, 256))}});
    }
    if (code == op_code::await_task_chain) {
      // Any length; as often, one that ends within two links of the depth where inline runs
      // start to wait for the outermost (section 6), where the order of what a deep
      // completion tells its waiters changes. Links are the third argument plus one.
      constexpr int depth = vth::model::max_inline_depth;
      tail = rc::gen::pair(rc::gen::inRange(0, spec.arg_limits[1]),
                           rc::gen::oneOf(rc::gen::inRange(0, spec.arg_limits[2]), rc::gen::inRange(depth - 3, depth + 1)));
    }
    return rc::gen::map(rc::gen::pair(rc::gen::inRange(0, spec.arg_limits[0]), tail),
                        [code](const std::pair<int, std::pair<int, int>>& args) {
                          vth::op o;
                          o.code = code;
                          o.args = {static_cast<std::uint8_t>(args.first), static_cast<std::uint8_t>(args.second.first),
                                    static_cast<std::uint8_t>(args.second.second)};
                          return o;
                        });
  });
}

rc::Gen<vth::scenario_settings> gen_settings(bool tracked_values) {
  // Mostly versions from 0; sometimes a few generations below a 16- or 32-bit wrap, so a
  // scenario crosses it in a few recycles.
  auto start = rc::gen::weightedOneOf<std::uint32_t>(
      {{6, rc::gen::just<std::uint32_t>(0)},
       {1, rc::gen::map(rc::gen::inRange(1, 9), [](int below) { return static_cast<std::uint32_t>(65'536 - below); })},
       {1, rc::gen::map(rc::gen::inRange(1, 9), [](int below) { return static_cast<std::uint32_t>(0u - below); })}});
  // A third carry values whose moves show (a move where a copy is due), a third no value.
  auto values = tracked_values ? rc::gen::just(vth::value_type::tracked)
                               : rc::gen::element(vth::value_type::int_value, vth::value_type::tracked,
                                                  vth::value_type::void_value);
  return rc::gen::map(rc::gen::pair(start, values), [](std::pair<std::uint32_t, vth::value_type> chosen) {
    return vth::scenario_settings{vth::op_alphabet::full, chosen.second, vth::recycle_budget::wraps_16_bit_twice,
                                  chosen.first};
  });
}

namespace {
// Swarm testing (Groce et al., ISSTA 2012): half the scenarios leave out a random half of
// the profile's ops. A fixed mix spreads every scenario's ops over the whole vocabulary, so
// a chain of a few particular ops (a poisoned result, as_task, when_all, inspecting it) is
// rare in any one scenario; a scenario with fewer kinds of op has more of each. Shrinking
// moves toward leaving nothing out.
rc::Gen<std::vector<bool>> gen_left_out(std::size_t op_kinds) {
  return rc::gen::weightedOneOf<std::vector<bool>>(
      {{1, rc::gen::just(std::vector<bool>(op_kinds, false))},
       {1, rc::gen::container<std::vector<bool>>(op_kinds, rc::gen::arbitrary<bool>())}});
}
}  // namespace

rc::Gen<vth::scenario> gen_scenario(const profile& p) {
  auto settings_and_left_out =
      rc::gen::pair(rc::gen::resize(rc::kNominalSize, gen_settings(p.tracked_values)), gen_left_out(p.weights.size()));
  return rc::gen::mapcat(settings_and_left_out, [p](const std::pair<vth::scenario_settings, std::vector<bool>>& drawn_first) {
    const auto& [settings, left_out] = drawn_first;
    // Poisoned values exist only among tracked values (the model skips those ops otherwise).
    auto drawable = [&](op_code code) {
      const bool poisons = code == op_code::set_poisoned || code == op_code::make_poisoned;
      return !poisons || settings.values == vth::value_type::tracked;
    };
    profile drawn = p;
    drawn.weights.clear();
    for (std::size_t i = 0; i < p.weights.size(); ++i) {
      if (!left_out[i] && drawable(p.weights[i].second)) drawn.weights.push_back(p.weights[i]);
    }
    if (drawn.weights.empty()) {  // every drawable op left out: draw from them all
      for (const auto& weight : p.weights) {
        if (drawable(weight.second)) drawn.weights.push_back(weight);
      }
    }
    // Only the length scales: RapidCheck's size scales every inRange, so the ops and their
    // arguments are generated at the nominal size, over their full ranges.
    auto ops = rc::gen::resize(drawn.max_ops,
                               rc::gen::container<std::vector<vth::op>>(rc::gen::resize(rc::kNominalSize, gen_op(drawn))));
    return rc::gen::map(ops, [settings, drawn_misuse = p.drawn_misuse](const std::vector<vth::op>& drawn_ops) {
      return vth::scenario{vth::aimed_at_live_slots(drawn_ops, settings, drawn_misuse), settings};
    });
  });
}

namespace {
vth::node make_node(vth::node_kind kind, int value, int completion = 0, std::vector<vth::node> children = {}) {
  vth::node n;
  n.kind = kind;
  n.value = value;
  n.completion = completion;
  n.children = std::move(children);
  return n;
}

rc::Gen<vth::node> gen_node(int depth) {
  using vth::node;
  using vth::node_kind;
  auto leaf = rc::gen::oneOf(
      rc::gen::map(rc::gen::inRange(0, 100), [](int v) { return make_node(node_kind::value, v); }),
      rc::gen::map(rc::gen::inRange(0, 100), [](int v) { return make_node(node_kind::fail, v); }),
      rc::gen::map(rc::gen::pair(rc::gen::weightedElement<int>({{6, 0}, {2, 1}, {1, 2}}), rc::gen::inRange(0, 100)),
                   [](std::pair<int, int> a) { return make_node(node_kind::source, a.second, a.first); }));
  if (depth >= vth::max_program_depth - 1) return leaf;
  auto child = gen_node(depth + 1);
  auto children = rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 4), [child](std::size_t count) {
    return rc::gen::container<std::vector<node>>(count, child);
  });
  auto composite = rc::gen::oneOf(
      rc::gen::map(children, [](std::vector<node> c) { return make_node(node_kind::sequence, 0, 0, std::move(c)); }),
      rc::gen::map(children, [](std::vector<node> c) { return make_node(node_kind::all, 0, 0, std::move(c)); }),
      rc::gen::map(child, [](node c) { return make_node(node_kind::yield, 0, 0, {std::move(c)}); }),
      rc::gen::map(rc::gen::pair(rc::gen::inRange(0, 8), child),
                   [](std::pair<int, node> a) { return make_node(node_kind::delay, a.first, 0, {std::move(a.second)}); }),
      rc::gen::map(rc::gen::pair(rc::gen::inRange(0, 100), child),
                   [](std::pair<int, node> a) { return make_node(node_kind::recover, a.first, 0, {std::move(a.second)}); }));
  return rc::gen::weightedOneOf<node>({{2, leaf}, {3, composite}});
}

// Every case names its file (a crash leaves no time to make one); the folder is made once.
std::string failure_path(const std::string& property) {
  static const bool folder_made = std::filesystem::create_directories(VTH_FAILURE_DIR) || true;
  (void)folder_made;
  return std::string(VTH_FAILURE_DIR) + "/" + property + ".bin";
}

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}
}  // namespace

rc::Gen<vth::program> gen_program() {
  // At the nominal size: values, child counts and schedules over their full ranges.
  // Mostly an explicit choice list (it shrinks); also FIFO, seeded random and PCT schedules.
  auto schedule = rc::gen::tuple(rc::gen::weightedElement<vth::schedule_kind>({{4, vth::schedule_kind::list},
                                                                               {1, vth::schedule_kind::fifo},
                                                                               {2, vth::schedule_kind::seeded_random},
                                                                               {2, vth::schedule_kind::pct}}),
                                 rc::gen::arbitrary<std::uint32_t>(), rc::gen::inRange<int>(0, 4));
  return rc::gen::resize(
      rc::kNominalSize,
      rc::gen::map(rc::gen::tuple(gen_node(0), rc::gen::container<std::vector<std::uint8_t>>(rc::gen::arbitrary<std::uint8_t>()),
                                  schedule),
                   [](std::tuple<vth::node, std::vector<std::uint8_t>, std::tuple<vth::schedule_kind, std::uint32_t, int>> parts) {
                     // Canonical form: what the program codec would decode.
                     vth::program p = vth::decode_program(vth::encode_program(
                         vth::program{std::move(std::get<0>(parts)), std::move(std::get<1>(parts))}));
                     const auto [kind, seed, depth] = std::get<2>(parts);
                     if (kind != vth::schedule_kind::list) {
                       p.schedule = kind;
                       p.seed = seed;
                       p.pct_depth = static_cast<std::uint8_t>(depth);
                     }
                     return p;
                   }));
}

void check_scenario(const vth::scenario& s, const std::string& property) {
  const std::string path = failure_path(property);
  vth::report r;
  {
    // A case that ends the process cannot shrink; it leaves its trace and its bytes.
    vth::crash_watch watch("property " + property, path);
    r = vth::run_scenario(s, &watch);
  }
  if (r.ok()) return;
  // The last failing call is RapidCheck's current (finally: minimal) counterexample.
  write_bytes(path, vth::encode(s));
  std::string message = "\nviolated: " + std::string(vth::name(r.violated)) + "\n" + vth::print_trace(s, r);
  if (vt::token_bits < 32 && vth::is_token_wraparound(r, vt::token_bits)) {
    message += "\nThis is a VT_TOKEN_BITS=" + std::to_string(vt::token_bits) + " build: a token " +
               std::to_string(r.token_lag) + " recycles old matched the source's version again, and a stale handle "
               "reached another operation (the ABA hazard, semantics.md section 7).\n";
  }
  message += "\nScenario bytes: " + path + " (replay them with the fuzz replay tool)\n";
  message += "\nAs a regression test:\n" + vth::print_regression_test(s, property + "_regression");
  RC_FAIL(message);
}

void check_program(const vth::program& p, const std::string& property) {
  const std::string path = failure_path(property);
  std::string problem;
  {
    vth::crash_watch watch("property " + property, path);  // as check_scenario
    problem = vth::check_program(p, &watch);
  }
  if (problem.empty()) return;
  write_bytes(path, vth::encode(p));
  RC_FAIL("\nviolated: task-value_task-equivalence: " + problem + "\n" + vth::print_trace(p) + "\nProgram bytes: " + path +
          " (replay them with the fuzz replay tool)\n\nAs a regression test:\n" +
          vth::print_regression_test(p, property + "_regression"));
}

}  // namespace vth_properties

namespace rc {
Gen<vth::scenario> Arbitrary<vth::scenario>::arbitrary() {
  return vth_properties::gen_scenario(vth_properties::lost_wakeup_profile());
}
}  // namespace rc
