#pragma once
// Inputs written before the versioned format (codec.hpp) carried no header: their meaning
// hung on the fuzz target that read them (its op alphabet and recycle budget) and on the
// enum order of the day (op byte modulo the op count). This reads them exactly as that
// format did, so `vt_upgrade_inputs` can rewrite them once as version-1 inputs that mean
// the same run.
#include <cstdint>
#include <span>
#include <string_view>

#include <vth/codec.hpp>

namespace vth {

// `target` is the fuzz target whose corpus or regressions held the input:
// fuzz_source_protocol, fuzz_pool_recycling, fuzz_pool_recycling_token16 or fuzz_programs.
input decode_unversioned(std::string_view target, std::span<const std::uint8_t> bytes);

}  // namespace vth
