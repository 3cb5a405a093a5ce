#include <vth/printer.hpp>

#include <cstdio>

#include <vth/codec.hpp>

namespace vth {

std::string print_trace(const scenario& s, const report& r) {
  std::string out;
  char line[256];
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const step_record& step = r.steps[i];
    const bool broken = static_cast<int>(i) == r.failed_step;
    const std::string expected = describe(step.expected);
    const std::string actual = describe(step.actual);
    std::snprintf(line, sizeof line, "%4zu. %-34s expect %-26s got %s%s\n", i + 1, describe(step.operation).c_str(),
                  expected.c_str(), actual.c_str(), broken ? "   <-- the contract broke here" : "");
    out += line;
  }
  if (r.steps.size() < s.ops.size()) {
    out += "      (" + std::to_string(s.ops.size() - r.steps.size()) + " later steps not run)\n";
  }
  if (r.ok()) {
    out += "      end of scenario: drained; every check held\n";
  } else if (r.failed_step == static_cast<int>(r.steps.size())) {
    out += "      end of scenario, after draining: " + r.failure + "   <-- the contract broke here\n";
  } else {
    out += "      " + r.failure + "\n";
  }
  return out;
}

std::string print_regression_test(const scenario& s, const std::string& test_name) {
  std::string out = "TEST(scenario_regression, " + test_name + ") {\n  const vth::scenario s{{\n";
  for (const op& o : s.ops) {
    out += "      {vth::op_code::" + std::string(info(o.code).name) + ", {" + std::to_string(o.args[0]) + ", " +
           std::to_string(o.args[1]) + ", " + std::to_string(o.args[2]) + "}},  // " + describe(o) + "\n";
  }
  const scenario_settings& settings = s.settings;
  out += "  }, {vth::op_alphabet::" + std::string(settings.alphabet == op_alphabet::full ? "full" : "recycling") +
         ", vth::value_type::" + (settings.values == value_type::int_value ? "int_value" : "tracked") +
         ", vth::recycle_budget::" +
         (settings.budget == recycle_budget::small    ? "small"
          : settings.budget == recycle_budget::medium ? "medium"
                                                      : "wraps_16_bit_twice") +
         ", " + std::to_string(settings.start_version) + "u}};\n";
  out += "  const vth::report r = vth::run_scenario(s);\n  EXPECT_TRUE(r.ok()) << vth::print_trace(s, r);\n}\n";
  return out;
}

}  // namespace vth
