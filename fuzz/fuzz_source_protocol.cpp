// libFuzzer entry point: decode, run, check (all the logic is in vth::fuzz_one_input).
#include <cstddef>
#include <cstdint>

#include <vth/targets.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return vth::fuzz_one_input(vth::fuzz_target::source_protocol, data, size);
}
