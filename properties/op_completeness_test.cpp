// Every scenario op is whole: besides its declaration, an op lives in the frozen op table
// (properties/codec_test.cpp), the fuzz dictionary, the seed corpus and a generator profile.
// Each place forgotten is a gap nothing else reports: an op without a frozen entry can
// change its arguments unseen, one without a token or seed is found by the fuzzers only by
// chance, one in no profile is never drawn by a property.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <variant>

#include <vth/codec.hpp>
#include <vth/scenario.hpp>

#include "support/scenario_generators.hpp"

namespace {

const std::filesystem::path corpus = VTLAB_CORPUS_DIR;

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string op_name(int code) { return std::string(vth::info(static_cast<vth::op_code>(code)).name); }

TEST(op_completeness, every_op_has_a_fuzz_dictionary_token_named_after_it) {
  std::set<std::string> tokens;
  std::ifstream dict(corpus / "fuzz_source_protocol.dict");
  ASSERT_TRUE(dict) << "no " << (corpus / "fuzz_source_protocol.dict");
  for (std::string line; std::getline(dict, line);) {
    if (const auto eq = line.find('='); !line.empty() && line[0] != '#' && eq != std::string::npos) {
      tokens.insert(line.substr(0, eq));
    }
  }
  for (int code = 0; code < vth::op_code_count; ++code) {
    EXPECT_TRUE(tokens.contains(op_name(code))) << op_name(code) << " has no token in fuzz_source_protocol.dict";
  }
}

TEST(op_completeness, every_op_is_drawn_by_a_seed_input) {
  std::set<vth::op_code> drawn;
  for (const auto& entry : std::filesystem::directory_iterator(corpus / "fuzz_source_protocol")) {
    if (!entry.path().filename().string().starts_with("seed-")) continue;
    const vth::input decoded = vth::decode(read_bytes(entry.path()));
    if (const auto* s = std::get_if<vth::scenario>(&decoded)) {
      for (const vth::op& o : s->ops) drawn.insert(o.code);
    }
  }
  for (int code = 0; code < vth::op_code_count; ++code) {
    EXPECT_TRUE(drawn.contains(static_cast<vth::op_code>(code)))
        << op_name(code) << " is in no seed of corpus/fuzz_source_protocol (fuzz/seed_corpus.cpp writes them)";
  }
}

TEST(op_completeness, every_op_is_in_the_full_alphabet_and_a_generator_profile) {
  const auto full = vth::alphabet_table(vth::op_alphabet::full);
  std::set<vth::op_code> in_full(full.begin(), full.end()), weighted;
  for (const auto& [name, p] : vth_properties::every_profile()) {
    for (const auto& [weight, code] : p.weights) {
      if (weight > 0) weighted.insert(code);
    }
  }
  for (int code = 0; code < vth::op_code_count; ++code) {
    const auto c = static_cast<vth::op_code>(code);
    EXPECT_TRUE(in_full.contains(c)) << op_name(code) << " is not in the full alphabet";
    EXPECT_TRUE(weighted.contains(c)) << op_name(code) << " is drawn by no generator profile";
  }
}

// An argument declared as a slot ranges over that kind's slots; one the op does not take is
// a plain value of limit 1 (harness/ops/declaration.hpp).
TEST(op_completeness, every_declared_argument_use_agrees_with_its_limit) {
  const std::map<char, int> slots{{'S', vth::source_slots},    {'V', vth::value_task_slots},
                                  {'T', vth::task_slots},      {'K', vth::cancellation_slots},
                                  {'W', vth::when_all_slots},  {'C', vth::core_slots}};
  for (int code = 0; code < vth::op_code_count; ++code) {
    const vth::op_info& op = vth::info(static_cast<vth::op_code>(code));
    for (int i = 0; i < 3; ++i) {
      const vth::op_arg arg = op.args[static_cast<std::size_t>(i)];
      const int limit = op.arg_limits[static_cast<std::size_t>(i)];
      if (i >= op.arg_count) {
        EXPECT_TRUE(arg == vth::number && limit == 1) << op.name << ": argument " << i << " is not taken";
      } else if (arg.slot != 0) {
        ASSERT_TRUE(slots.contains(arg.slot)) << op.name << ": no slot kind '" << arg.slot << "'";
        EXPECT_EQ(limit, slots.at(arg.slot)) << op.name << ": argument " << i << " is a slot " << arg.slot;
        EXPECT_NE(arg.use, vth::arg_use::value) << op.name;
      } else {
        EXPECT_EQ(arg.use, vth::arg_use::value) << op.name << ": argument " << i << " has a use but no slot kind";
      }
    }
  }
}

}  // namespace
