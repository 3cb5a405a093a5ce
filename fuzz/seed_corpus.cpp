// vt_seed_corpus OUT_DIR: writes the seed corpora, encoded from hand-written scenarios
// that cover every operation and every misuse row of docs/semantics.md section 8, into
// OUT_DIR/<target>/seed-NN-<what>. Regenerate with `build/default/fuzz/vt_seed_corpus corpus`
// (new seeds are appended: an existing seed keeps its number and its bytes).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <vth/codec.hpp>

namespace fs = std::filesystem;
using vth::op_code;

namespace {

vth::op op(op_code code, int a = 0, int b = 0, int c = 0) {
  return {code, {static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b), static_cast<std::uint8_t>(c)}};
}

struct seed {
  const char* name;
  vth::scenario scenario;
};

// A chain of configure_await(false) awaits deeper than the runtime's inline-resumption
// limit: completing its source resumes the whole chain inside one set_result.
vth::scenario deep_inline_chain() {
  std::vector<vth::op> ops{op(op_code::rent), op(op_code::wrap), op(op_code::await_unbound, 0, 0)};
  for (int link = 0; link < 24; ++link) ops.push_back(op(op_code::await_task_unbound, 0, 0));
  for (const vth::op& last : {op(op_code::set_result, 0, 5), op(op_code::task_result, 0)}) ops.push_back(last);
  return {ops};
}

std::vector<seed> protocol_seeds() {
  return {
      {"consume-twice", {{op(op_code::rent), op(op_code::wrap), op(op_code::set_result, 0, 5), op(op_code::result),
                          op(op_code::result)}}},
      {"stale-copy", {{op(op_code::rent), op(op_code::wrap), op(op_code::copy, 1, 0), op(op_code::set_result, 0, 1),
                       op(op_code::result), op(op_code::result, 1), op(op_code::rent, 1), op(op_code::status, 1),
                       op(op_code::as_task, 0, 1)}}},
      {"result-before-completion", {{op(op_code::rent), op(op_code::wrap), op(op_code::result), op(op_code::status),
                                     op(op_code::set_result, 0, 3), op(op_code::result)}}},
      {"double-completion", {{op(op_code::rent), op(op_code::wrap), op(op_code::set_result, 0, 1),
                              op(op_code::set_exception, 0, 2), op(op_code::set_canceled, 0, 0), op(op_code::result)}}},
      {"second-awaiter", {{op(op_code::rent), op(op_code::wrap), op(op_code::await_in_task, 0, 0),
                           op(op_code::await_in_task, 1, 0), op(op_code::set_result, 0, 4), op(op_code::run_until_idle),
                           op(op_code::task_result, 0), op(op_code::task_result, 1)}}},
      {"wrong-tokens", {{op(op_code::rent), op(op_code::wrap_wrong_token, 0, 0, 0), op(op_code::wrap_wrong_token, 1, 0, 200),
                         op(op_code::status, 0), op(op_code::result, 1), op(op_code::register_raw, 0),
                         op(op_code::as_task, 0, 1), op(op_code::await_in_task, 1, 0)}}},
      {"as-task-and-preserve", {{op(op_code::rent), op(op_code::wrap), op(op_code::as_task, 0, 0),
                                 op(op_code::set_result, 0, 7), op(op_code::task_result, 0), op(op_code::result),
                                 op(op_code::rent, 1), op(op_code::wrap, 1, 1), op(op_code::preserve, 2, 1),
                                 op(op_code::set_exception, 1, 3), op(op_code::result, 2), op(op_code::result, 2),
                                 op(op_code::result, 1)}}},
      {"value-task-chain", {{op(op_code::rent), op(op_code::wrap), op(op_code::await_in_value_task, 1, 0),
                             op(op_code::await_in_value_task, 2, 1), op(op_code::copy, 3, 2),
                             op(op_code::post_completion, 0, 0, 9), op(op_code::run_one, 0), op(op_code::run_until_idle),
                             op(op_code::result, 2), op(op_code::result, 3)}}},
      {"raw-registrations", {{op(op_code::rent), op(op_code::wrap), op(op_code::register_raw), op(op_code::register_raw),
                              op(op_code::set_result, 0, 1), op(op_code::run_one, 0), op(op_code::result),
                              op(op_code::rent), op(op_code::wrap, 1, 0), op(op_code::set_result, 0, 2),
                              op(op_code::register_raw, 1), op(op_code::run_until_idle), op(op_code::result, 1)}}},
      {"when-all-when-any", {{op(op_code::rent), op(op_code::rent, 1), op(op_code::wrap, 0, 0), op(op_code::wrap, 1, 1),
                              op(op_code::await_in_task, 0, 0), op(op_code::await_in_task, 1, 1),
                              op(op_code::when_all, 2, 0, 1), op(op_code::when_any, 3, 0, 1),
                              op(op_code::set_exception, 1, 4), op(op_code::post_completion, 0, 0, 2),
                              op(op_code::run_until_idle), op(op_code::task_result, 2), op(op_code::task_result, 3)}}},
      {"cancellation", {{op(op_code::rent), op(op_code::cancel_on, 0, 0), op(op_code::wrap), op(op_code::await_in_task, 0, 0),
                         op(op_code::cancel, 0), op(op_code::run_until_idle), op(op_code::task_result, 0),
                         op(op_code::rent, 1), op(op_code::cancel_on, 1, 0), op(op_code::wrap, 1, 1),
                         op(op_code::status, 1), op(op_code::set_canceled, 1, 1)}}},
      {"recycle", {{op(op_code::rent), op(op_code::wrap), op(op_code::recycle, 0, 0, 15), op(op_code::status),
                    op(op_code::result), op(op_code::set_result, 0, 1), op(op_code::wrap, 1, 0), op(op_code::result, 1)}}},
      {"pool-exhaustion", {{op(op_code::rent, 0), op(op_code::rent, 1), op(op_code::rent, 2), op(op_code::rent, 3),
                            op(op_code::wrap, 0, 2), op(op_code::set_result, 2, 1), op(op_code::result, 0),
                            op(op_code::rent, 3)}}},
      {"schedule-choices", {{op(op_code::rent), op(op_code::rent, 1), op(op_code::wrap, 0, 0), op(op_code::wrap, 1, 1),
                             op(op_code::await_in_task, 0, 0), op(op_code::await_in_value_task, 2, 1),
                             op(op_code::post_completion, 0, 1, 5), op(op_code::post_completion, 1, 2, 0),
                             op(op_code::run_one, 1), op(op_code::run_one, 2), op(op_code::run_one, 0),
                             op(op_code::run_until_idle), op(op_code::task_result, 0), op(op_code::status, 2)}}},
      {"await-task", {{op(op_code::rent), op(op_code::wrap), op(op_code::await_in_task, 0, 0), op(op_code::await_task, 1, 0),
                       op(op_code::await_task, 2, 0), op(op_code::set_canceled, 0, 1), op(op_code::run_until_idle),
                       op(op_code::task_result, 1), op(op_code::task_result, 2), op(op_code::as_task, 3, 0)}}},
      {"continuation-placement", {{op(op_code::rent), op(op_code::wrap), op(op_code::register_raw_with, 0, 0),
                                   op(op_code::set_result, 0, 1), op(op_code::result), op(op_code::rent, 1), op(op_code::run_asynchronously, 1, 1),
                                   op(op_code::wrap, 1, 1), op(op_code::register_raw_with, 1, 0), op(op_code::set_result, 1, 2),
                                   op(op_code::rent, 2), op(op_code::wrap, 2, 2), op(op_code::register_raw_with, 2, 1),
                                   op(op_code::set_result, 2, 3), op(op_code::run_one, 0), op(op_code::rent, 3),
                                   op(op_code::wrap, 3, 3), op(op_code::as_task, 0, 3), op(op_code::run_asynchronously, 3, 1),
                                   op(op_code::set_result, 3, 4), op(op_code::task_result, 0)}}},
      {"deep-inline-chain", deep_inline_chain()},
      {"cancellation-order", {{op(op_code::rent, 0), op(op_code::rent, 1), op(op_code::rent, 2), op(op_code::cancel_on, 0, 0),
                               op(op_code::cancel_on, 1, 0), op(op_code::cancel_on, 2, 0), op(op_code::unregister, 1, 0),
                               op(op_code::cancel, 0), op(op_code::unregister, 0, 0), op(op_code::cancel_on, 0, 0),
                               op(op_code::unregister, 0, 1), op(op_code::wrap, 0, 1), op(op_code::status, 0)}}},
      {"timer-completion", {{op(op_code::rent), op(op_code::wrap), op(op_code::await_in_task, 0, 0),
                             op(op_code::complete_after_delay, 0, 0, 7), op(op_code::run_until_idle),
                             op(op_code::task_result, 0)}}},
  };
}

// Section 9: faults in user code. Poisoned values exist only with tracked values, so these
// seeds carry tracked settings.
std::vector<seed> fault_seeds() {
  return {
      {"poisoned-consumption", {{op(op_code::rent), op(op_code::wrap), op(op_code::set_poisoned, 0, 1, 4), op(op_code::result),
                                 op(op_code::rent, 1), op(op_code::wrap, 1, 1), op(op_code::set_poisoned, 1, 3, 5),
                                 op(op_code::status, 1), op(op_code::set_result, 1, 6), op(op_code::result, 1)}}},
      {"poisoned-copies", {{op(op_code::make_poisoned, 0, 0, 7), op(op_code::make_poisoned, 1, 1, 8), op(op_code::copy, 2, 0),
                            op(op_code::result, 0), op(op_code::as_task, 0, 0), op(op_code::preserve, 3, 0),
                            op(op_code::await_in_task, 1, 0), op(op_code::equals, 0, 0)}}},
      {"poisoned-when-all", {{op(op_code::rent), op(op_code::wrap), op(op_code::as_task, 0, 0), op(op_code::when_all_into, 0, 0, 1),
                              op(op_code::set_poisoned, 0, 0, 9), op(op_code::inspect_when_all, 0),
                              op(op_code::when_all, 1, 0, 0), op(op_code::task_result, 1), op(op_code::task_result, 0)}}},
      {"coroutine-store-fault", {{op(op_code::core_wrap, 0, 0), op(op_code::await_in_value_task, 1, 0),
                                  op(op_code::await_in_task, 0, 0), op(op_code::set_poisoned, 4, 1, 3), op(op_code::run_until_idle),
                                  op(op_code::result, 1), op(op_code::task_result, 0), op(op_code::core_get_result, 0)}}},
      {"throwing-continuations", {{op(op_code::rent), op(op_code::wrap), op(op_code::register_throwing, 0, 0),
                                   op(op_code::set_result, 0, 1), op(op_code::result), op(op_code::rent),
                                   op(op_code::wrap, 1, 0), op(op_code::await_in_task, 1, 1),
                                   op(op_code::await_task_chain, 2, 1, 30), op(op_code::rent, 1), op(op_code::wrap, 2, 1),
                                   op(op_code::register_throwing, 2, 1), op(op_code::set_result, 1, 2), op(op_code::run_one, 0),
                                   op(op_code::set_result, 0, 3), op(op_code::run_until_idle), op(op_code::task_result, 2)}}},
      {"failing-post-and-callbacks", {{op(op_code::rent), op(op_code::wrap), op(op_code::register_post_fails, 0),
                                       op(op_code::rent, 1), op(op_code::rent, 2), op(op_code::cancel_on_acting, 1, 0, 0),
                                       op(op_code::cancel_on, 2, 0), op(op_code::cancel_on_acting, 0, 0, 1),
                                       op(op_code::cancel, 0), op(op_code::result), op(op_code::cancel_on_acting, 1, 0, 0)}}},
  };
}

// Seeds 26-35 were kept from directed properties and campaigns; these follow them, one for
// each op that no seed drew (properties/op_completeness_test.cpp finds such an op).
std::vector<seed> later_protocol_seeds() {
  return {
      {"bare-core", {{op(op_code::core_wrap, 0, 0), op(op_code::status, 0), op(op_code::core_complete, 0, 0, 3),
                      op(op_code::core_get_result, 0, 0), op(op_code::core_get_result, 0, 1), op(op_code::result, 0),
                      op(op_code::core_reset, 0), op(op_code::status, 0), op(op_code::core_complete, 0, 1, 4),
                      op(op_code::core_wrap, 1, 0), op(op_code::result, 1)}}},
      {"made-values-and-tokens", {{op(op_code::make_faulted, 0, 5), op(op_code::make_canceled, 1, 0),
                                   op(op_code::cancel_check, 0), op(op_code::cancel, 0), op(op_code::cancel_check, 0),
                                   op(op_code::make_canceled, 1, 0), op(op_code::task_canceled, 0, 0),
                                   op(op_code::task_equals, 0, 0), op(op_code::task_equals, 0, 1), op(op_code::result, 0),
                                   op(op_code::result, 1), op(op_code::task_result, 0)}}},
      {"other-threads", {{op(op_code::rent), op(op_code::wrap), op(op_code::await_in_value_task_unbound, 1, 0),
                          op(op_code::complete_on_worker, 0, 0, 4), op(op_code::result, 1), op(op_code::rent, 1),
                          op(op_code::wrap, 2, 1), op(op_code::complete_on_own_pool, 1, 0, 5), op(op_code::result_on_worker, 2),
                          op(op_code::rent, 2), op(op_code::wrap, 3, 2), op(op_code::copy, 4, 3), op(op_code::set_result, 2, 6),
                          op(op_code::result_race, 3), op(op_code::result, 4), op(op_code::run_default, 1, 8),
                          op(op_code::task_result, 1), op(op_code::rent, 3), op(op_code::cancel_on, 3, 1),
                          op(op_code::wrap, 5, 3), op(op_code::cancel_on_worker, 1), op(op_code::result, 5)}}},
      {"a-value-task-over-a-pending-task",
       {{op(op_code::rent), op(op_code::wrap), op(op_code::await_in_task, 1, 0), op(op_code::wrap_task, 1, 1),
         op(op_code::status, 1), op(op_code::result, 1), op(op_code::copy, 2, 1), op(op_code::await_in_value_task, 3, 1),
         op(op_code::set_result, 0, 5), op(op_code::run_until_idle), op(op_code::result, 1), op(op_code::result, 2),
         op(op_code::as_task, 2, 1), op(op_code::task_result, 2), op(op_code::equals, 1, 2), op(op_code::result, 3)}}},
      // A wrong token on a faulted generation, then on a canceled one: vt refuses the token,
      // where .NET's core rethrows the stored exception (the .NET oracle's
      // fault_rethrown_for_any_token).
      {"a-wrong-token-on-a-faulted-generation",
       {{op(op_code::rent), op(op_code::wrap_wrong_token, 0, 0, 129), op(op_code::set_exception, 0, 7),
         op(op_code::result, 0), op(op_code::rent, 1), op(op_code::wrap_wrong_token, 1, 1, 0),
         op(op_code::set_canceled, 1, 0), op(op_code::result, 1)}}},
      // A task tells its waiters in the order they registered (section 4, as .NET's): two
      // coroutines awaiting one pending task are posted, and so resumed, first come first.
      {"a-task-resumes-its-waiters-in-order",
       {{op(op_code::rent), op(op_code::wrap), op(op_code::await_in_task, 0, 0), op(op_code::await_task, 1, 0),
         op(op_code::await_task, 2, 0), op(op_code::set_result, 0, 4), op(op_code::run_one, 0), op(op_code::run_one, 0),
         op(op_code::task_status, 1), op(op_code::task_status, 2), op(op_code::run_one, 0), op(op_code::task_result, 2)}}},
  };
}

std::vector<seed> recycling_seeds() {
  return {
      {"one-short-of-wraparound", {{op(op_code::rent), op(op_code::wrap), op(op_code::recycle, 0, 255, 254),
                                    op(op_code::status), op(op_code::result)}}},
      {"copies-across-recycles", {{op(op_code::rent), op(op_code::wrap), op(op_code::copy, 1, 0),
                                   op(op_code::recycle, 0, 1, 0), op(op_code::result, 1), op(op_code::status, 0),
                                   op(op_code::set_result, 0, 3), op(op_code::wrap, 2, 0), op(op_code::result, 2)}}},
      {"two-sources", {{op(op_code::rent, 0), op(op_code::rent, 1), op(op_code::wrap, 0, 0), op(op_code::wrap, 1, 1),
                        op(op_code::set_result, 0, 1), op(op_code::result, 0), op(op_code::recycle, 1, 0, 2),
                        op(op_code::status, 1), op(op_code::as_task, 0, 1), op(op_code::preserve, 2, 1)}}},
      {"coroutine-over-recycled", {{op(op_code::rent), op(op_code::wrap), op(op_code::await_in_value_task, 1, 0),
                                    op(op_code::register_raw, 1), op(op_code::recycle, 0, 0, 3),
                                    op(op_code::run_until_idle), op(op_code::result, 1), op(op_code::status, 1)}}},
      {"wrong-tokens-recycled", {{op(op_code::rent), op(op_code::wrap_wrong_token, 0, 0, 127),
                                  op(op_code::recycle, 0, 0, 127), op(op_code::status), op(op_code::result)}}},
  };
}

vth::node leaf(vth::node_kind kind, int value, int completion = 0) {
  vth::node n;
  n.kind = kind;
  n.value = value;
  n.completion = completion;
  return n;
}
vth::node parent(vth::node_kind kind, std::vector<vth::node> children, int value = 0) {
  vth::node n;
  n.kind = kind;
  n.value = value;
  n.children = std::move(children);
  return n;
}

std::vector<std::pair<const char*, vth::program>> program_seeds() {
  using k = vth::node_kind;
  return {
      {"sequence", {parent(k::sequence, {leaf(k::source, 1), leaf(k::value, 2), leaf(k::source, 3)}), {}}},
      {"all-faults", {parent(k::all, {leaf(k::source, 4, 1), leaf(k::source, 5, 2), leaf(k::fail, 6)}), {1, 0, 2}}},
      {"recover", {parent(k::recover, {parent(k::sequence, {leaf(k::source, 7, 1), leaf(k::value, 1)})}, 9), {}}},
      {"yield-nested", {parent(k::yield, {parent(k::all, {parent(k::yield, {leaf(k::source, 8)}), leaf(k::value, 3)})}),
                        {2, 1, 1, 0}}},
      {"canceled", {parent(k::sequence, {parent(k::recover, {leaf(k::source, 1, 2)}, 5), leaf(k::value, 1)}), {}}},
      {"pct-schedule", {parent(k::all, {parent(k::delay, {leaf(k::source, 2)}, 3), parent(k::yield, {leaf(k::source, 4, 1)}),
                                        leaf(k::source, 6)}),
                        {}, vth::schedule_kind::pct, 12345, 2}},
  };
}

void write(const fs::path& dir, int index, const std::string& name, const std::vector<std::uint8_t>& bytes) {
  fs::create_directories(dir);
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "seed-%02d-", index);
  std::ofstream out(dir / (prefix + name), std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: vt_seed_corpus OUT_DIR\n");
    return 2;
  }
  const fs::path out = argv[1];
  // Each target's seeds carry the settings that target explores from.
  const vth::scenario_settings protocol{vth::op_alphabet::full, vth::value_type::int_value, vth::recycle_budget::small, 0};
  const vth::scenario_settings recycling{vth::op_alphabet::recycling, vth::value_type::int_value,
                                         vth::recycle_budget::medium, 0};
  const vth::scenario_settings recycling16{vth::op_alphabet::recycling, vth::value_type::int_value,
                                           vth::recycle_budget::wraps_16_bit_twice, 0};
  const vth::scenario_settings faults{vth::op_alphabet::full, vth::value_type::tracked, vth::recycle_budget::small, 0};
  int i = 0;
  for (const seed& s : protocol_seeds()) {
    write(out / "fuzz_source_protocol", ++i, s.name, vth::encode(vth::scenario{s.scenario.ops, protocol}));
  }
  for (const seed& s : fault_seeds()) {
    write(out / "fuzz_source_protocol", ++i, s.name, vth::encode(vth::scenario{s.scenario.ops, faults}));
  }
  i = 35;  // after the kept seeds 26-35
  for (const seed& s : later_protocol_seeds()) {
    write(out / "fuzz_source_protocol", ++i, s.name, vth::encode(vth::scenario{s.scenario.ops, protocol}));
  }
  i = 0;
  for (const seed& s : recycling_seeds()) {
    write(out / "fuzz_pool_recycling", ++i, s.name, vth::encode(vth::scenario{s.scenario.ops, recycling}));
    write(out / "fuzz_pool_recycling_token16", i, s.name, vth::encode(vth::scenario{s.scenario.ops, recycling16}));
  }
  i = 0;
  for (const auto& [name, p] : program_seeds()) write(out / "fuzz_programs", ++i, name, vth::encode(p));
  std::printf("seed corpora written under %s\n", out.c_str());
  return 0;
}
