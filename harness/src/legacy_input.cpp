#include <vth/legacy_input.hpp>

#include <string>
#include <vector>

namespace vth {

namespace {

// The unversioned codec wrapped an op byte modulo its alphabet's size; version 1 reads the
// wrapped byte as the same op. Arguments were and are reduced modulo their range.
scenario decode_wrapped(std::span<const std::uint8_t> bytes, scenario_settings settings) {
  // The alphabets' sizes when the unversioned format was retired; version 1 only grows them.
  const std::size_t alphabet_size = settings.alphabet == op_alphabet::full ? 24 : 13;
  std::vector<std::uint8_t> body(bytes.begin(), bytes.end());
  std::size_t at = 0;
  for (std::size_t ops = 0; at < body.size() && ops < max_scenario_ops; ++ops) {
    body[at] = static_cast<std::uint8_t>(body[at] % alphabet_size);
    at += 1 + static_cast<std::size_t>(info(alphabet_table(settings.alphabet)[body[at]]).arg_count);
  }
  return {decode_ops(settings.alphabet, body), settings};
}

}  // namespace

input decode_unversioned(std::string_view target, std::span<const std::uint8_t> bytes) {
  // The run options each target applied, in the 32-bit build and the 16-bit one.
  if (target == "fuzz_source_protocol") {
    return decode_wrapped(bytes, {op_alphabet::full, value_type::int_value, recycle_budget::small, 0});
  }
  if (target == "fuzz_pool_recycling") {
    return decode_wrapped(bytes, {op_alphabet::recycling, value_type::int_value, recycle_budget::medium, 0});
  }
  if (target == "fuzz_pool_recycling_token16") {
    return decode_wrapped(bytes, {op_alphabet::recycling, value_type::int_value, recycle_budget::wraps_16_bit_twice, 0});
  }
  if (target == "fuzz_programs") return decode_program_unversioned(bytes);
  return unreadable{"no unversioned format for target " + std::string(target)};
}

}  // namespace vth
