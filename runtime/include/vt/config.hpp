#pragma once
// Build-time configuration of the runtime: token width and frame pooling.
#include <cstdint>

#ifndef VT_TOKEN_BITS
#define VT_TOKEN_BITS 32
#endif

#ifndef VT_FRAME_POOL
#define VT_FRAME_POOL 1
#endif

namespace vt {

#if VT_TOKEN_BITS == 32
using token_t = std::uint32_t;
#elif VT_TOKEN_BITS == 16
// .NET's width: after 65,536 recycles a stale token matches again (the ABA hazard).
using token_t = std::uint16_t;
#else
#error "VT_TOKEN_BITS must be 16 or 32"
#endif

inline constexpr unsigned token_bits = VT_TOKEN_BITS;

}  // namespace vt
