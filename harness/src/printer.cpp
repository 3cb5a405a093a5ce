#include <vth/printer.hpp>

#include <algorithm>
#include <cstdio>

#include <vth/codec.hpp>

namespace vth {

namespace {

// The numbered lines of the steps run; past the input's ops, only the drain runs.
std::string step_lines(const scenario& s, const report& r) {
  std::string out;
  char line[256];
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const step_record& step = r.steps[i];
    if (i == s.ops.size()) out += "      drain: the harness brings the scenario to rest\n";
    const bool broken = static_cast<int>(i) == r.failed_step;
    const std::string expected = describe(step.expected);
    const std::string actual = describe(step.actual);
    std::snprintf(line, sizeof line, "%4zu. %-34s expect %-26s got %s%s\n", i + 1, describe(step.operation).c_str(),
                  expected.c_str(), actual.c_str(), broken ? "   <-- the contract broke here" : "");
    out += line;
  }
  return out;
}

std::string later_steps_not_run(const scenario& s, std::size_t run) {
  if (run >= s.ops.size()) return {};
  return "      (" + std::to_string(s.ops.size() - run) + " later steps not run)\n";
}

}  // namespace

std::string print_trace(const scenario& s, const report& r) {
  std::string out = step_lines(s, r) + later_steps_not_run(s, r.steps.size());
  if (r.ok()) {
    out += "      end of scenario: at rest; every check held\n";
  } else if (r.failed_step == static_cast<int>(r.steps.size())) {
    out += "      end of scenario, at rest: " + r.failure + "   <-- the contract broke here\n";
  } else {
    out += "      " + r.failure + "\n";
  }
  return out;
}

std::string print_trace_ending_in(const scenario& s, const report& so_far, const op& ending) {
  std::string out = step_lines(s, so_far);
  const std::size_t step = so_far.steps.size();
  if (step == s.ops.size()) out += "      drain: the harness brings the scenario to rest\n";
  char line[256];
  std::snprintf(line, sizeof line, "%4zu. %-34s <-- the process ended in this step\n", step + 1, describe(ending).c_str());
  return out + line + later_steps_not_run(s, step + 1);
}

namespace {
// What a regression test needs to compile as it is, as a file of its own.
constexpr const char* regression_test_head =
    "// A regression test: a file of its own in a regressions folder (vtlab_add_source_checks\n"
    "// compiles every .cpp in <folder>/ against the source under test).\n"
    "#include <gtest/gtest.h>\n\n#include <cstdint>\n#include <variant>\n#include <vector>\n\n"
    "#include <vth/codec.hpp>\n#include <vth/printer.hpp>\n#include <vth/program.hpp>\n#include <vth/runner.hpp>\n\n";
}  // namespace

std::string print_regression_test(const scenario& s, const std::string& test_name) {
  std::string out = std::string(regression_test_head) + "TEST(scenario_regression, " + test_name + ") {\n  const vth::scenario s{{\n";
  for (const op& o : s.ops) {
    out += "      {vth::op_code::" + std::string(info(o.code).name) + ", {" + std::to_string(o.args[0]) + ", " +
           std::to_string(o.args[1]) + ", " + std::to_string(o.args[2]) + "}},  // " + describe(o) + "\n";
  }
  const scenario_settings& settings = s.settings;
  static const char* value_types[] = {"int_value", "tracked", "void_value"};
  out += "  }, {vth::op_alphabet::" + std::string(settings.alphabet == op_alphabet::full ? "full" : "recycling") +
         ", vth::value_type::" + value_types[static_cast<int>(settings.values)] +
         ", vth::recycle_budget::" +
         (settings.budget == recycle_budget::small    ? "small"
          : settings.budget == recycle_budget::medium ? "medium"
                                                      : "wraps_16_bit_twice") +
         ", " + std::to_string(settings.start_version) + "u}};\n";
  out += "  const vth::report r = vth::run_scenario(s);\n  EXPECT_TRUE(r.ok()) << vth::print_trace(s, r);\n}\n";
  return out;
}

}  // namespace vth

namespace vth {

namespace {
void number_nodes(const node& n, std::vector<const node*>& out) {
  out.push_back(&n);
  for (const node& child : n.children) number_nodes(child, out);
}

std::string describe_effect(int effect) {
  if (effect >= 1000) return "#" + std::to_string(effect - 1000) + " recovered";
  return "#" + std::to_string(effect < 0 ? -effect : effect) + (effect < 0 ? " left" : " entered");
}
}  // namespace

std::string print_trace(const program& p) {
  static const char* schedules[] = {"choice list", "FIFO", "seeded random", "PCT"};
  std::string out = "program: " + describe(p.root) + "\nschedule: " + schedules[static_cast<int>(p.schedule)];
  if (p.schedule == schedule_kind::seeded_random || p.schedule == schedule_kind::pct) out += ", seed " + std::to_string(p.seed);
  if (p.schedule == schedule_kind::pct) out += ", depth " + std::to_string(p.pct_depth % 4 + 1);
  out += "\nnodes:\n";
  std::vector<const node*> nodes;
  number_nodes(p.root, nodes);
  for (std::size_t i = 0; i < nodes.size(); ++i) out += "  #" + std::to_string(i + 1) + " " + describe(*nodes[i]) + "\n";

  const program_run with_task = run_with_task(p);
  const program_run with_value_task = run_with_value_task(p);
  out += "side effects:            task                  value_task\n";
  const std::size_t steps = std::max(with_task.effects.size(), with_value_task.effects.size());
  bool diverged = false;
  char line[160];
  for (std::size_t i = 0; i < steps; ++i) {
    const std::string t = i < with_task.effects.size() ? describe_effect(with_task.effects[i]) : "-";
    const std::string v = i < with_value_task.effects.size() ? describe_effect(with_value_task.effects[i]) : "-";
    const bool first_divergence = !diverged && t != v;
    diverged = diverged || t != v;
    std::snprintf(line, sizeof line, "%4zu.                   %-21s %s%s\n", i + 1, t.c_str(), v.c_str(),
                  first_divergence ? "   <-- they part here" : "");
    out += line;
  }
  auto result = [](const program_run& r) { return r.problem.empty() ? describe(r.result) : r.problem; };
  out += "result: task " + result(with_task) + ", value_task " + result(with_value_task) + ", the model " +
         describe(evaluate(p.root)) + "\n";
  return out;
}

std::string print_regression_test(const program& p, const std::string& test_name) {
  std::string out = std::string(regression_test_head) + "TEST(program_regression, " + test_name +
                    ") {\n  const std::vector<std::uint8_t> bytes{";
  const std::vector<std::uint8_t> bytes = encode(p);
  for (std::size_t i = 0; i < bytes.size(); ++i) out += (i ? ", " : "") + std::to_string(bytes[i]);
  out += "};\n  const vth::program p = std::get<vth::program>(vth::decode(bytes));  // " + describe(p.root) +
         "\n  EXPECT_EQ(vth::check_program(p), \"\") << vth::print_trace(p);\n}\n";
  return out;
}

}  // namespace vth
