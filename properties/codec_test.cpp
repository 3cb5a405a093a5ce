// The input format (codec.hpp): decoding is total and encoding canonical, so a property
// counterexample is a fuzz input and a fuzz input prints as a scenario; and version 1 is
// frozen, so an input means the same run in every later build.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstring>
#include <string_view>

#include <vth/codec.hpp>
#include <vth/legacy_input.hpp>
#include <vth/misuse.hpp>
#include <vth/program.hpp>

#include "support/scenario_generators.hpp"

namespace {

std::vector<std::uint8_t> header(char kind) { return {'v', 't', static_cast<std::uint8_t>(kind), 1}; }

RC_GTEST_PROP(codec, every_byte_string_decodes_to_a_canonical_input, (std::vector<std::uint8_t> body)) {
  std::vector<std::uint8_t> bytes = header(*rc::gen::element('S', 'P'));
  bytes.insert(bytes.end(), body.begin(), body.end());
  const vth::input decoded = vth::decode(bytes);
  if (const auto* s = std::get_if<vth::scenario>(&decoded)) {
    RC_ASSERT(vth::is_canonical(*s));
    RC_ASSERT(vth::decode(vth::encode(*s)) == decoded);
  } else if (const auto* p = std::get_if<vth::program>(&decoded)) {
    RC_ASSERT(vth::decode(vth::encode(*p)) == decoded);
  } else {  // only an unknown setting makes a headed input unreadable
    auto at = [&](std::size_t i) { return i < body.size() ? body[i] : 0; };  // missing bytes read as 0
    const bool unknown_setting = bytes[2] == 'S' ? at(0) > 1 || at(1) > 2 || at(2) > 2 : at(0) > 0;
    RC_ASSERT(unknown_setting);
  }
}

RC_GTEST_PROP(codec, bytes_without_a_version_1_header_are_unreadable, (std::vector<std::uint8_t> bytes)) {
  const bool headed = bytes.size() >= 4 && bytes[0] == 'v' && bytes[1] == 't' &&
                      ((bytes[2] == 'S' && bytes[3] == 1) || (bytes[2] == 'P' && (bytes[3] == 1 || bytes[3] == 2)));
  RC_PRE(!headed);
  RC_ASSERT(std::holds_alternative<vth::unreadable>(vth::decode(bytes)));
}

RC_GTEST_PROP(codec, encode_then_decode_is_the_identity, ()) {
  const vth::scenario s = *vth_properties::gen_scenario(vth_properties::lost_wakeup_profile());
  RC_ASSERT(vth::is_canonical(s));
  RC_ASSERT(vth::decode(vth::encode(s)) == vth::input{s});
  const vth::program q = *vth_properties::gen_program();
  RC_ASSERT(vth::decode(vth::encode(q)) == vth::input{q});
}

RC_GTEST_PROP(codec, programs_round_trip, (std::vector<std::uint8_t> bytes)) {
  const vth::program p = vth::decode_program(bytes);
  RC_ASSERT(vth::decode_program(vth::encode_program(p)) == p);
}

// Version 1's op codes, names and argument ranges, written out once. Renumbering,
// inserting or reshaping an op fails here; adding one at the end does not.
TEST(codec, version_1_op_table_is_frozen) {
  struct frozen_op {
    std::string_view name;
    int arg_count;
    std::array<int, 3> limits;
  };
  const frozen_op v1[] = {
      {"rent", 1, {4, 1, 1}},           {"wrap", 2, {6, 4, 1}},         {"wrap_wrong_token", 3, {6, 4, 256}},
      {"copy", 2, {6, 6, 1}},           {"set_result", 2, {4, 256, 1}}, {"set_exception", 2, {4, 256, 1}},
      {"set_canceled", 2, {4, 2, 1}},   {"post_completion", 3, {4, 3, 256}}, {"result", 1, {6, 1, 1}},
      {"status", 1, {6, 1, 1}},         {"as_task", 2, {4, 6, 1}},      {"preserve", 2, {6, 6, 1}},
      {"await_in_task", 2, {4, 6, 1}},  {"await_in_value_task", 2, {6, 6, 1}}, {"await_task", 2, {4, 4, 1}},
      {"task_result", 1, {4, 1, 1}},    {"register_raw", 1, {6, 1, 1}}, {"recycle", 3, {4, 256, 256}},
      {"when_all", 3, {4, 4, 4}},       {"when_any", 3, {4, 4, 4}},     {"cancel_on", 2, {4, 2, 1}},
      {"cancel", 1, {2, 1, 1}},         {"run_one", 1, {256, 1, 1}},    {"run_until_idle", 0, {1, 1, 1}},
      {"register_raw_with", 2, {6, 4, 1}}, {"run_asynchronously", 2, {4, 2, 1}}, {"equals", 2, {6, 6, 1}},
      {"task_exception", 1, {4, 1, 1}}, {"when_all_into", 3, {2, 4, 4}}, {"inspect_when_all", 1, {2, 1, 1}},
      {"core_wrap", 2, {6, 2, 1}},      {"core_complete", 3, {2, 3, 256}}, {"core_reset", 1, {2, 1, 1}},
      {"core_get_result", 2, {2, 4, 1}}, {"await_unbound", 2, {4, 6, 1}}, {"make_faulted", 2, {6, 256, 1}},
      {"make_canceled", 2, {6, 2, 1}},  {"task_status", 1, {4, 1, 1}},  {"task_equals", 2, {4, 4, 1}},
      {"task_faulted", 2, {4, 256, 1}}, {"task_canceled", 2, {4, 2, 1}}, {"run_on", 2, {4, 256, 1}},
      {"cancel_check", 1, {2, 1, 1}},   {"run_default", 2, {4, 256, 1}}, {"complete_on_worker", 3, {4, 3, 256}},
      {"complete_on_own_pool", 3, {4, 3, 256}}, {"unregister", 2, {8, 2, 1}},
      {"complete_after_delay", 3, {4, 3, 256}}, {"await_task_unbound", 2, {4, 4, 1}},
      {"set_poisoned", 3, {6, 4, 256}},         {"make_poisoned", 3, {6, 2, 256}},
      {"register_throwing", 2, {6, 4, 1}},      {"register_post_fails", 1, {6, 1, 1}},
      {"cancel_on_acting", 3, {4, 2, 2}},       {"await_task_chain", 3, {4, 4, 32}},
      {"allocation_fails", 1, {4, 1, 1}},       {"result_on_worker", 1, {6, 1, 1}},
      {"when_all_nested", 3, {4, 2, 4}},       {"bad_argument", 2, {11, 6, 1}},
      {"when_all_of_none", 1, {2, 1, 1}},       {"run_throws", 3, {4, 256, 2}},
      {"make_faulted_by_cancellation", 2, {6, 2, 1}}, {"set_exception_canceled", 2, {4, 2, 1}},
      {"suspend_without_executor", 3, {4, 256, 2}}, {"task_faulted_aggregate", 3, {4, 4, 256}},
      {"run_poisoned", 3, {4, 4, 256}},         {"result_race", 1, {6, 1, 1}},
      {"await_in_value_task_unbound", 2, {6, 6, 1}}, {"cancel_on_worker", 1, {2, 1, 1}},
      {"wrap_task", 2, {6, 4, 1}},
  };
  // A new op enters this table as it is added: its arguments are frozen from then on.
  ASSERT_EQ(vth::op_code_count, static_cast<int>(std::size(v1)));
  for (std::size_t code = 0; code < std::size(v1); ++code) {
    const vth::op_info& now = vth::info(static_cast<vth::op_code>(code));
    EXPECT_EQ(now.name, v1[code].name) << "op code " << code;
    EXPECT_EQ(now.arg_count, v1[code].arg_count) << v1[code].name;
    for (int i = 0; i < v1[code].arg_count; ++i) EXPECT_EQ(now.arg_limits[i], v1[code].limits[i]) << v1[code].name;
  }
  // The alphabets' byte -> op tables, as version 1 shipped them.
  const auto full = vth::alphabet_table(vth::op_alphabet::full);
  for (std::size_t byte = 0; byte < std::size(v1); ++byte) EXPECT_EQ(static_cast<std::size_t>(full[byte]), byte);
  const std::string_view recycling_v1[] = {"rent",     "wrap",     "copy",         "recycle",          "result",
                                           "status",   "set_result", "as_task",    "preserve",         "await_in_value_task",
                                           "register_raw", "wrap_wrong_token", "run_until_idle"};
  const auto recycling = vth::alphabet_table(vth::op_alphabet::recycling);
  ASSERT_GE(recycling.size(), std::size(recycling_v1));
  for (std::size_t byte = 0; byte < std::size(recycling_v1); ++byte) {
    EXPECT_EQ(vth::info(recycling[byte]).name, recycling_v1[byte]) << "recycling byte " << byte;
  }
}

// A byte no alphabet entry has yet is a no-op, never another op: the ops around it keep
// their meaning, and giving it a meaning later changes no input that did not use it.
TEST(codec, an_unknown_op_byte_is_skipped) {
  for (const auto alphabet : {vth::op_alphabet::full, vth::op_alphabet::recycling}) {
    const auto table = vth::alphabet_table(alphabet);
    std::vector<std::uint8_t> bytes = header('S');
    bytes.insert(bytes.end(), {static_cast<std::uint8_t>(alphabet), 0, 0, 0, 0, 0, 0});
    bytes.push_back(0);  // rent S0 (byte 0 is rent in both alphabets)
    bytes.push_back(0);
    bytes.push_back(static_cast<std::uint8_t>(table.size()));  // unknown
    bytes.push_back(255);                                      // unknown
    bytes.push_back(0);
    bytes.push_back(1);
    const vth::input decoded = vth::decode(bytes);
    const auto* s = std::get_if<vth::scenario>(&decoded);
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(s->ops.size(), 2u);
    EXPECT_EQ(s->ops[0], (vth::op{vth::op_code::rent, {0, 0, 0}}));
    EXPECT_EQ(s->ops[1], (vth::op{vth::op_code::rent, {1, 0, 0}}));
  }
}

TEST(codec, settings_travel_inside_the_input) {
  const vth::scenario s{{{vth::op_code::rent, {2, 0, 0}}},
                        {vth::op_alphabet::recycling, vth::value_type::int_value, vth::recycle_budget::medium, 0xfffffff0u}};
  const std::vector<std::uint8_t> bytes = vth::encode(s);
  const std::vector<std::uint8_t> want{'v', 't', 'S', 1, 1, 0, 1, 0xf0, 0xff, 0xff, 0xff, 0, 2};
  EXPECT_EQ(bytes, want);
  EXPECT_EQ(vth::decode(bytes), vth::input{s});
}

// Version 2 of programs names the schedule; a choice-list program stays a version-1 input.
TEST(codec, programs_carry_their_schedule) {
  vth::program p;
  p.root.kind = vth::node_kind::value;
  p.root.value = 3;
  EXPECT_EQ(vth::encode(p), (std::vector<std::uint8_t>{'v', 't', 'P', 1, 0, 0, 3}));
  p.schedule = vth::schedule_kind::pct;
  p.seed = 0x01020304;
  p.pct_depth = 2;
  const auto bytes = vth::encode(p);
  EXPECT_EQ(bytes, (std::vector<std::uint8_t>{'v', 't', 'P', 2, 0, 3, 4, 3, 2, 1, 2, 0, 3}));
  EXPECT_EQ(vth::decode(bytes), vth::input{p});
  EXPECT_TRUE(std::holds_alternative<vth::unreadable>(vth::decode(std::vector<std::uint8_t>{'v', 't', 'P', 2, 0, 4})));
  EXPECT_TRUE(std::holds_alternative<vth::unreadable>(vth::decode(std::vector<std::uint8_t>{'v', 't', 'P', 3, 0})));
}

TEST(codec, unreadable_inputs_say_why) {
  auto why = [](std::vector<std::uint8_t> bytes) {
    const vth::input decoded = vth::decode(bytes);
    return std::holds_alternative<vth::unreadable>(decoded) ? std::get<vth::unreadable>(decoded).why : std::string("readable");
  };
  EXPECT_NE(why({}).find("not a vtlab input"), std::string::npos);
  EXPECT_NE(why({'v', 't', 'S', 2}).find("format version 2"), std::string::npos);
  EXPECT_NE(why({'v', 't', 'X', 1}).find("unknown input kind"), std::string::npos);
  EXPECT_NE(why({'v', 't', 'S', 1, 7}).find("unknown op alphabet 7"), std::string::npos);
  EXPECT_NE(why({'v', 't', 'S', 1, 0, 9}).find("unknown value type 9"), std::string::npos);
  EXPECT_NE(why({'v', 't', 'S', 1, 0, 0, 3}).find("unknown recycle budget 3"), std::string::npos);
  EXPECT_NE(why({'v', 't', 'P', 1, 4}).find("unknown value type 4"), std::string::npos);
  EXPECT_NE(why({}).find("vt_upgrade_inputs --from-unversioned"), std::string::npos) << "the old format's way forward";
}

// An input that ends inside an op's arguments decodes (the missing bytes read as 0), but it
// is some other scenario than the whole one, and replays say so.
TEST(codec, a_truncated_input_says_where_it_ends) {
  std::vector<std::uint8_t> whole = header('S');
  whole.insert(whole.end(), {0, 0, 0, 0, 0, 0, 0});  // full alphabet, int values, small budget, version 0
  whole.insert(whole.end(), {0, 1});                 // rent S1
  whole.insert(whole.end(), {7, 0, 2, 9});           // post_completion S0 cancel 9
  EXPECT_EQ(vth::truncation(whole), std::nullopt);
  auto cut = whole;
  cut.pop_back();
  ASSERT_TRUE(vth::truncation(cut).has_value());
  EXPECT_EQ(*vth::truncation(cut), "it ends inside op 2 (post_completion)'s arguments: 1 of 3 bytes missing");
  cut.resize(8);
  EXPECT_EQ(*vth::truncation(cut), "it ends inside the scenario's settings: 3 of 7 bytes missing");
  auto skipped = whole;
  skipped.push_back(250);  // an unknown op byte at the end is skipped, not truncated
  EXPECT_EQ(vth::truncation(skipped), std::nullopt);
  EXPECT_EQ(vth::truncation(std::vector<std::uint8_t>{'x'}), std::nullopt);  // unreadable: decode says why
  std::vector<std::uint8_t> program = header('P');
  program.push_back(0);  // int values, then no node at all
  EXPECT_NE(vth::truncation(program).value_or("").find("node tree"), std::string::npos);
}

TEST(codec, token_distances_are_worded_in_the_singular_and_plural) {
  EXPECT_EQ(vth::generations(1), "1 generation");
  EXPECT_EQ(vth::generations(3), "3 generations");
  EXPECT_EQ(vth::token_at_lag(1), "a token 1 generation behind its source");
  EXPECT_EQ(vth::token_at_lag(-2), "a token 2 generations ahead of its source");
  EXPECT_EQ(vth::token_at_lag(0), "a token for a source that is back in its pool (idle)");
  EXPECT_EQ(vth::describe(vth::stale_token(1)), "stale token, 1 generation behind");
}

// The unversioned format wrapped op bytes modulo the op count of its day (24) and read the
// recycling target's bytes through its 13-op alphabet; an upgraded input means the same.
TEST(codec, unversioned_inputs_upgrade_to_the_same_run) {
  const std::vector<std::uint8_t> old_protocol{24 + 0, 1, 0 + 48, 2, 1};  // rent S1; rent S2 (wrapped); wrap, its missing arguments 0
  const auto upgraded = vth::decode_unversioned("fuzz_source_protocol", old_protocol);
  const vth::scenario want{{{vth::op_code::rent, {1, 0, 0}}, {vth::op_code::rent, {2, 0, 0}}, {vth::op_code::wrap, {0, 0, 0}}},
                           {vth::op_alphabet::full, vth::value_type::int_value, vth::recycle_budget::small, 0}};
  EXPECT_EQ(upgraded, vth::input{want});
  const std::vector<std::uint8_t> old_recycling{13 + 3, 0, 0, 5};  // recycle S0 x6 (wrapped)
  const vth::input recycled = vth::decode_unversioned("fuzz_pool_recycling", old_recycling);
  const auto* s = std::get_if<vth::scenario>(&recycled);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->ops, (std::vector<vth::op>{{vth::op_code::recycle, {0, 0, 5}}}));
  EXPECT_EQ(s->settings.budget, vth::recycle_budget::medium);
  EXPECT_TRUE(std::holds_alternative<vth::unreadable>(vth::decode_unversioned("nosuch", old_recycling)));
}

}  // namespace
