#include <vth/targets.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include <vt/config.hpp>
#include <vth/codec.hpp>
#include <vth/printer.hpp>
#include <vth/runner.hpp>

namespace vth {

namespace {

// pool_recycling's alphabet: an op byte picks one of these, then the arguments follow
// as in the full codec.
constexpr std::array recycling_alphabet{
    op_code::rent,   op_code::wrap,          op_code::copy,    op_code::recycle,  op_code::result,
    op_code::status, op_code::set_result,    op_code::as_task, op_code::preserve, op_code::await_in_value_task,
    op_code::register_raw, op_code::wrap_wrong_token, op_code::run_until_idle,
};

std::vector<std::uint8_t> remap_to_full_alphabet(std::span<const std::uint8_t> bytes) {
  // Walk the input as the codec will, rewriting each op byte into the full alphabet.
  std::vector<std::uint8_t> out(bytes.begin(), bytes.end());
  std::size_t at = 0;
  std::size_t ops = 0;
  while (at < out.size() && ops < max_scenario_ops) {
    const op_code code = recycling_alphabet[out[at] % recycling_alphabet.size()];
    out[at] = static_cast<std::uint8_t>(code);
    at += 1 + static_cast<std::size_t>(info(code).arg_count);
    ++ops;
  }
  return out;
}

}  // namespace

std::string_view name(fuzz_target target) {
  switch (target) {
    case fuzz_target::source_protocol: return "fuzz_source_protocol";
    case fuzz_target::pool_recycling: return "fuzz_pool_recycling";
    case fuzz_target::programs: return "fuzz_programs";
  }
  return "?";
}

std::optional<fuzz_target> parse_target(std::string_view text) {
  for (fuzz_target t : {fuzz_target::source_protocol, fuzz_target::pool_recycling, fuzz_target::programs}) {
    if (text == name(t)) return t;
  }
  if (text == "fuzz_pool_recycling_token16") return fuzz_target::pool_recycling;
  return std::nullopt;
}

scenario decode_for(fuzz_target target, std::span<const std::uint8_t> bytes) {
  if (target == fuzz_target::pool_recycling) return decode(remap_to_full_alphabet(bytes));
  return decode(bytes);
}

std::vector<std::uint8_t> encode_for(fuzz_target target, const scenario& s) {
  std::vector<std::uint8_t> bytes = encode(s);
  if (target != fuzz_target::pool_recycling) return bytes;
  std::size_t at = 0;
  for (const op& o : s.ops) {
    std::size_t index = 0;
    while (index < recycling_alphabet.size() && recycling_alphabet[index] != o.code) ++index;
    if (index == recycling_alphabet.size()) {
      throw std::invalid_argument(std::string("op not in the recycling alphabet: ") + info(o.code).name);
    }
    bytes[at] = static_cast<std::uint8_t>(index);
    at += 1 + static_cast<std::size_t>(info(o.code).arg_count);
  }
  return bytes;
}

int recycle_budget_for(fuzz_target target) {
  // A 16-bit build must be able to wrap its tokens; elsewhere long runs only cost speed.
  if (target == fuzz_target::pool_recycling) return vt::token_bits == 16 ? default_recycle_budget : 4'096;
  return 512;
}

target_result run_target(fuzz_target target, std::span<const std::uint8_t> bytes) {
  target_result result;
  if (target == fuzz_target::programs) {
    const program p = decode_program(bytes);
    const std::string problem = check_program(p);
    if (problem.empty()) return result;
    result.ok = false;
    result.property = "task-value_task-equivalence";
    result.trace = "program: " + describe(p.root) + "\n" + problem + "\n";
    return result;
  }
  const scenario s = decode_for(target, bytes);
  const report r = run_scenario(s, {recycle_budget_for(target)});
  if (r.ok()) return result;
  result.ok = false;
  result.property = violated_property(r);
  result.trace = print_trace(s, r);
  if (vt::token_bits == 16 && result.property == "stale-token-rejection") {
    result.trace += "VT_TOKEN_BITS=16: a stale token matched again after its source's version wrapped "
                    "(the ABA hazard, semantics.md section 7).\n";
  }
  result.regression_test = print_regression_test(s, std::string(name(target)) + "_regression");
  return result;
}

std::string run_target_trace(fuzz_target target, std::span<const std::uint8_t> bytes) {
  if (target == fuzz_target::programs) {
    const program p = decode_program(bytes);
    return "program: " + describe(p.root) + " = " + describe(evaluate(p.root)) + "\n";
  }
  const scenario s = decode_for(target, bytes);
  return print_trace(s, run_scenario(s, {recycle_budget_for(target)}));
}

int fuzz_one_input(fuzz_target target, const std::uint8_t* data, std::size_t size) {
  const target_result r = run_target(target, {data, size});
  if (r.ok) return 0;
  const std::string target_name = std::string(name(target)) + (vt::token_bits == 16 ? "_token16" : "");
  std::fprintf(stderr, "\nvtlab: the contract broke (%s)\n%s\nVTLAB-VIOLATION: %s: %s\n", r.property.c_str(),
               r.trace.c_str(), target_name.c_str(), r.property.c_str());
  std::abort();
}

}  // namespace vth
