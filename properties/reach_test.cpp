// Reach: what the generators and the fuzz decoders actually produce, measured, not what
// they were meant to produce. Every op a profile (or a fuzz alphabet) allows must make up
// at least 1% of the ops sampled, and every argument must reach its whole range. Each
// histogram is printed (ctest -V, or run the binary) for the record.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>

#include <vth/aim.hpp>
#include <vth/allocation_faults.hpp>
#include <vth/codec.hpp>
#include <vth/model.hpp>
#include <vth/runner.hpp>
#include <vth/snapshot.hpp>

#include "support/scenario_generators.hpp"

namespace {

using vth::op_code;

struct histogram {
  std::map<op_code, long> ops;
  std::map<std::pair<op_code, int>, std::set<int>> argument_values;
  std::map<std::uint32_t, long> start_versions;
  std::set<vth::value_type> value_types;
  long total = 0;

  void add(const vth::scenario& s) {
    ++start_versions[s.settings.start_version];
    value_types.insert(s.settings.values);
    for (const vth::op& o : s.ops) {
      ++ops[o.code];
      ++total;
      for (int i = 0; i < vth::info(o.code).arg_count; ++i) argument_values[{o.code, i}].insert(o.args[static_cast<std::size_t>(i)]);
    }
  }

  std::string print() const {
    std::string out;
    for (const auto& [code, count] : ops) {
      char cell[64];
      std::snprintf(cell, sizeof cell, "%s %.1f%%  ", vth::info(code).name, 100.0 * static_cast<double>(count) / static_cast<double>(total));
      out += cell;
    }
    return out;
  }
};

// Each argument's whole range: every value of a small range; of a byte-wide range, every
// eighth of it. recycle's counts are drawn on purpose from two shapes (a few recycles, or a
// whole 16-bit cycle): its ends must both appear.
void expect_full_ranges(const histogram& h, const std::string& who) {
  for (const auto& [key, values] : h.argument_values) {
    const auto [code, index] = key;
    const int limit = vth::info(code).arg_limits[static_cast<std::size_t>(index)];
    const std::string where = who + ": " + vth::info(code).name + " argument " + std::to_string(index);
    if (code == op_code::recycle && index > 0) {
      EXPECT_TRUE(values.count(0) && values.count(limit - 1)) << where;
    } else if (limit <= 16) {
      EXPECT_EQ(values.size(), static_cast<std::size_t>(limit)) << where;
    } else {
      std::set<int> eighths;
      for (int v : values) eighths.insert(v * 8 / limit);
      EXPECT_EQ(eighths.size(), 8u) << where;
    }
  }
}

void expect_every_op(const histogram& h, const std::vector<op_code>& allowed, const std::string& who) {
  for (op_code code : allowed) {
    const long count = h.ops.count(code) ? h.ops.at(code) : 0;
    EXPECT_GE(count * 100, h.total) << who << ": " << vth::info(code).name << " is " << count << " of " << h.total << " ops";
  }
}

using vth_properties::every_profile;

TEST(reach, every_profile_generates_every_op_it_allows_over_full_argument_ranges) {
  for (const auto& [name, p] : every_profile()) {
    histogram h;
    const auto gen = vth_properties::gen_scenario(p);
    for (int i = 0; i < 2000; ++i) {
      // As a property run does: sizes from 0 to the nominal size.
      h.add(gen(rc::Random(static_cast<std::uint64_t>(i) * 7919 + 1), i % (rc::kNominalSize + 1)).value());
    }
    std::vector<op_code> allowed;
    for (const auto& weight : p.weights) allowed.push_back(weight.second);
    expect_every_op(h, allowed, name);
    expect_full_ranges(h, name);
    EXPECT_GE(h.start_versions.size(), 10u) << name << ": start versions near both wrap points";
    EXPECT_EQ(h.value_types.size(), p.tracked_values ? 1u : 3u) << name << ": int, tracked and void values";
    std::printf("profile %s (%ld ops): %s\n", name, h.total, h.print().c_str());
  }
}

// Drawn is not done: an op whose slot holds nothing it can act on is skipped on both sides
// and tests nothing. No op a profile allows may be skipped in more than a quarter of its
// draws.
TEST(reach, every_profile_makes_the_ops_it_draws_take_effect) {
  for (const auto& [name, p] : every_profile()) {
    std::map<op_code, std::pair<long, long>> drawn_and_skipped;
    const auto gen = vth_properties::gen_scenario(p);
    for (int i = 0; i < 300; ++i) {
      const vth::scenario s = gen(rc::Random(static_cast<std::uint64_t>(i) * 6151 + 5), i % (rc::kNominalSize + 1)).value();
      const vth::report r = vth::run_scenario(s);
      ASSERT_TRUE(r.ok()) << name << ": " << r.failure;
      for (std::size_t k = 0; k < s.ops.size(); ++k) {
        auto& [drawn, skipped] = drawn_and_skipped[s.ops[k].code];
        ++drawn;
        skipped += vth::is<vth::outcomes::skipped>(r.steps[k].actual) ? 1 : 0;
      }
    }
    std::string line;
    for (const auto& [code, counts] : drawn_and_skipped) {
      const auto [drawn, skipped] = counts;
      line += std::string(vth::info(code).name) + " " + std::to_string(100 * skipped / drawn) + "%  ";
      EXPECT_LE(skipped * 4, drawn) << name << ": " << vth::info(code).name << " skipped " << skipped << " of " << drawn
                                    << " times";
    }
    std::printf("profile %s, skipped: %s\n", name, line.c_str());
  }
}

TEST(aim, an_op_moves_to_a_slot_where_it_applies_or_gets_what_it_needs_first) {
  const vth::scenario_settings settings{};
  // S2 holds nothing; S0 is rented: the completion moves to S0, its value kept.
  const std::vector<vth::op> moved = vth::aimed_at_live_slots({{op_code::rent, {0, 0, 0}}, {op_code::set_result, {2, 5, 0}}}, settings);
  ASSERT_EQ(moved.size(), 2u);
  EXPECT_EQ(moved[1], (vth::op{op_code::set_result, {0, 5, 0}}));
  // A registration on V1, which holds a result: a rental and a value_task over it come first.
  const std::vector<vth::op> prepared = vth::aimed_at_live_slots({{op_code::register_raw, {1, 0, 0}}}, settings);
  std::vector<op_code> codes;
  for (const vth::op& o : prepared) codes.push_back(o.code);
  EXPECT_EQ(codes, (std::vector<op_code>{op_code::rent, op_code::wrap, op_code::register_raw}));
  const vth::scenario s{prepared, settings};
  const vth::report r = vth::run_scenario(s);
  ASSERT_TRUE(r.ok()) << r.failure;
  for (std::size_t k = 0; k < prepared.size(); ++k) EXPECT_FALSE(vth::is<vth::outcomes::skipped>(r.steps[k].actual)) << k;
  // A scheduler step with nothing scheduled: a rental and a completion posted for it come first.
  codes.clear();
  for (const vth::op& o : vth::aimed_at_live_slots({{op_code::run_one, {3, 0, 0}}}, settings)) codes.push_back(o.code);
  EXPECT_EQ(codes, (std::vector<op_code>{op_code::rent, op_code::post_completion, op_code::run_one}));
  // Inputs naming a slot that still holds its initial task read the task made most recently.
  const std::vector<vth::op> recent = vth::aimed_at_live_slots(
      {{op_code::rent, {0, 0, 0}}, {op_code::wrap, {0, 0, 0}}, {op_code::as_task, {1, 0, 0}}, {op_code::when_all_into, {0, 2, 3}}},
      settings);
  ASSERT_EQ(recent.size(), 4u);
  EXPECT_EQ(recent[3], (vth::op{op_code::when_all_into, {0, 1, 1}}));
  // A second completion of S0 is a misuse: aimed past it, it completes the other rental; as drawn, it stays.
  const std::vector<vth::op> twice{{op_code::rent, {0, 0, 0}}, {op_code::rent, {1, 0, 0}}, {op_code::set_result, {0, 1, 0}},
                                   {op_code::set_result, {0, 2, 0}}};
  EXPECT_EQ(vth::aimed_at_live_slots(twice, settings, vth::misuse::aimed_past)[3], (vth::op{op_code::set_result, {1, 2, 0}}));
  EXPECT_EQ(vth::aimed_at_live_slots(twice, settings, vth::misuse::as_drawn)[3], twice[3]);
  // A poisoned value among ints: nothing makes it apply, and it stays as drawn.
  EXPECT_EQ(vth::aimed_at_live_slots({{op_code::make_poisoned, {0, 0, 9}}}, settings),
            (std::vector<vth::op>{{op_code::make_poisoned, {0, 0, 9}}}));
}

TEST(reach, every_fuzz_alphabet_decodes_every_op_over_full_argument_ranges) {
  std::mt19937 random(12345);
  for (const auto alphabet : {vth::op_alphabet::full, vth::op_alphabet::recycling}) {
    histogram h;
    for (int i = 0; i < 4000; ++i) {
      std::vector<std::uint8_t> bytes{'v', 't', 'S', 1, static_cast<std::uint8_t>(alphabet), 0, 0, 0, 0, 0, 0};
      const int length = static_cast<int>(random() % 256);
      for (int b = 0; b < length; ++b) bytes.push_back(static_cast<std::uint8_t>(random()));
      h.add(std::get<vth::scenario>(vth::decode(bytes)));
    }
    const auto table = vth::alphabet_table(alphabet);
    const std::string name = alphabet == vth::op_alphabet::full ? "full alphabet" : "recycling alphabet";
    expect_every_op(h, {table.begin(), table.end()}, name);
    expect_full_ranges(h, name);
    std::printf("decoder, %s (%ld ops): %s\n", name.c_str(), h.total, h.print().c_str());
  }
}

void count_kinds(const vth::node& n, std::map<vth::node_kind, long>& kinds, long& total) {
  ++kinds[n.kind];
  ++total;
  for (const vth::node& child : n.children) count_kinds(child, kinds, total);
}

TEST(reach, the_program_generator_produces_every_node_kind) {
  std::map<vth::node_kind, long> kinds;
  long total = 0;
  const auto gen = vth_properties::gen_program();
  for (int i = 0; i < 1000; ++i) count_kinds(gen(rc::Random(static_cast<std::uint64_t>(i) + 17), i % 101).value().root, kinds, total);
  std::string line;
  for (int k = 0; k < static_cast<int>(vth::node_kind::count_); ++k) {
    const long count = kinds[static_cast<vth::node_kind>(k)];
    EXPECT_GE(count * 100, total) << "node kind " << k << " is " << count << " of " << total;
    line += std::to_string(k) + ":" + std::to_string(100 * count / total) + "% ";
  }
  std::printf("programs (%ld nodes), by node kind: %s\n", total, line.c_str());
}

// Section 6's deferral (inline continuations past the runtime's depth wait for the
// outermost inline run, in order) shows only when several continuations wait at once: a
// deep chain ending in a task that more than one waiter awaits. Measured on the model,
// which runs each scenario as the contract says.
TEST(reach, every_profile_nests_inline_continuations_past_the_depth_where_they_wait) {
  for (const auto& [name, p] : every_profile()) {
    const auto gen = vth_properties::gen_scenario(p);
    const int scenarios = 1000;
    int deferring = 0, deferring_several = 0;
    for (int i = 0; i < scenarios; ++i) {
      const vth::scenario s = gen(rc::Random(static_cast<std::uint64_t>(i) * 7877 + 11), i % (rc::kNominalSize + 1)).value();
      vth::model m(s.settings);
      for (const vth::op& o : s.ops) m.apply(o);
      while (const std::optional<vth::op> next = vth::next_drain_op(m.snapshot())) m.apply(*next);  // as the runner ends it
      deferring += m.most_deferred_at_once() >= 1 ? 1 : 0;
      deferring_several += m.most_deferred_at_once() >= 2 ? 1 : 0;
    }
    std::printf("profile %s: %d of %d scenarios defer an inline continuation, %d several at once\n", name, deferring,
                scenarios, deferring_several);
    if (std::string(name) == "nesting") {  // the profile made for it (measured: 265 and 42 of 1000)
      EXPECT_GE(deferring * 10, scenarios) << "a tenth of its scenarios should nest past the limit";
      EXPECT_GE(deferring_several * 100, scenarios) << "one in a hundred should have several continuations waiting at once";
    }
  }
}

}  // namespace

// Injected faults are only worth their ops when they land: an allocation_fails op must
// make the next op's runtime allocation fail, over several kinds of op, not only be drawn.
TEST(reach, the_faults_profile_makes_runtime_allocations_fail) {
  ASSERT_TRUE(vth::allocation_faults::installed()) << "this binary's operator new is not the harness's hook";
  std::map<op_code, long> failed;
  long armed = 0, failures = 0;
  const auto gen = vth_properties::gen_scenario(vth_properties::faults_profile());
  for (int i = 0; i < 600; ++i) {
    const vth::scenario s = gen(rc::Random(static_cast<std::uint64_t>(i) * 104729 + 3), i % (rc::kNominalSize + 1)).value();
    const vth::report r = vth::run_scenario(s);
    ASSERT_TRUE(r.ok()) << r.failure;
    for (std::size_t k = 1; k < r.steps.size(); ++k) {
      if (r.steps[k - 1].operation.code != op_code::allocation_fails || !vth::allocation_failure_applies(r.steps[k].operation.code)) continue;
      ++armed;
      if (vth::is<vth::outcomes::out_of_memory>(r.steps[k].actual)) {
        ++failures;
        ++failed[r.steps[k].operation.code];
      }
    }
  }
  std::string line;
  for (const auto& [code, count] : failed) line += std::string(vth::info(code).name) + " " + std::to_string(count) + "  ";
  std::printf("allocation failures: %ld of %ld armed ops failed: %s\n", failures, armed, line.c_str());
  EXPECT_GE(failures * 4, armed) << "at least a quarter of the armed ops should reach the allocation they name";
  EXPECT_GE(failed.size(), 8u) << "allocation failures should land in many kinds of op";
}
