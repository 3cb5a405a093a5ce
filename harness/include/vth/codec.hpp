#pragma once
// Bytes <-> scenario. Decoding is total: every byte string is a valid scenario (an op is
// one byte modulo the op count, then one byte per argument modulo its range; missing
// bytes read as 0). Encoding is canonical: decode(encode(s)) == s for every canonical s,
// so a property's counterexample is a fuzz input and a fuzz input prints as a scenario.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <vth/scenario.hpp>

namespace vth {

inline constexpr std::size_t max_scenario_ops = 128;

scenario decode(std::span<const std::uint8_t> bytes);
std::vector<std::uint8_t> encode(const scenario& s);

// True when every argument is within its range (what decode produces).
bool is_canonical(const scenario& s);

}  // namespace vth
