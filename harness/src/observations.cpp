#include <vth/observations.hpp>

#include <vt/config.hpp>

namespace vth {

std::string print_observations(const std::string& name, const scenario& s, const report& r) {
  static const char* value_names[] = {"int", "tracked", "void"};  // by value_type
  std::string out = "input " + name + "\n";
  out += std::string("settings values ") + value_names[static_cast<int>(s.settings.values)] + " start_version " +
         std::to_string(s.settings.start_version) + " token_bits " + std::to_string(vt::token_bits) + " recycle_budget " +
         std::to_string(recycle_limit(s.settings.budget)) + "\n";
  for (std::size_t k = 0; k < r.steps.size(); ++k) {
    if (k == s.ops.size()) out += "drain\n";  // past the input's ops: the harness brings the scenario to rest
    const op& o = r.steps[k].operation;
    out += std::to_string(k + 1) + " " + std::to_string(static_cast<int>(o.code)) + " " + std::to_string(o.args[0]) + " " +
           std::to_string(o.args[1]) + " " + std::to_string(o.args[2]) + " " + info(o.code).name + " => " +
           describe(r.steps[k].expected) + " | " + describe(r.steps[k].actual) + "\n";
  }
  return out + "end\n";
}

}  // namespace vth
