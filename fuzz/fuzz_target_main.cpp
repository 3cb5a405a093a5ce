// libFuzzer entry point of every target, built once per target with its name defined
// (VTLAB_FUZZ_TARGET_NAME): inputs carry their own meaning, so a target is only a name, a
// corpus and a dictionary; the logic is in vth::fuzz_one_input.
#include <cstddef>
#include <cstdint>

#include <vth/targets.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return vth::fuzz_one_input(VTLAB_FUZZ_TARGET_NAME, data, size);
}
