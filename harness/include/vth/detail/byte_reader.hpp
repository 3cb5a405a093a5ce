#pragma once
// Reads an input's bytes one at a time; past the end each read is 0 (decoding is total), and
// counted, so that a truncated input can say so (codec.hpp: truncation).
#include <cstddef>
#include <cstdint>
#include <span>

namespace vth::detail {

struct byte_reader {
  std::span<const std::uint8_t> bytes;
  std::size_t at = 0;
  std::size_t missing = 0;  // reads past the end
  int next() {
    if (at < bytes.size()) return bytes[at++];
    ++missing;
    return 0;
  }
};

}  // namespace vth::detail
