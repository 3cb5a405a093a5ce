#pragma once
// The input format: bytes <-> scenario or program. An input means the same run in every
// later build, whatever ops are added:
//
//   header    'v' 't' <kind> <format version>        kind: 'S' scenario, 'P' program; version 1
//   scenario  <alphabet> <value type> <recycle budget> <start version: 4 bytes, little-endian>
//             then ops: an op byte, looked up in the alphabet's frozen table (a byte the table
//             does not know is skipped: a no-op, never another op), then one byte per
//             argument, reduced modulo the op's frozen range (scenario.hpp)
//   program   <value type> then the node tree and the schedule (program.hpp)
//   program, version 2: <value type> <schedule kind> <seed: 4 bytes, little-endian> <PCT depth>
//             then the node tree and the choices (a program with the choice-list schedule
//             is written as version 1, which means exactly that)
//
// Missing bytes read as 0. Decoding is total: bytes this build cannot read (no header, a
// newer version, an unknown setting) decode to `unreadable`, which says why. Encoding is
// canonical: decode(encode(x)) == x, and encode(decode(b)) == b exactly when b holds no
// skipped byte and no argument out of its range, so a canonical input cannot change meaning
// when an op is added.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <vth/program.hpp>
#include <vth/scenario.hpp>

namespace vth {

inline constexpr std::uint8_t input_format_version = 1;    // scenarios
inline constexpr std::uint8_t program_format_version = 2;  // programs: version 1 or 2
inline constexpr std::size_t input_header_size = 4;
inline constexpr std::size_t scenario_settings_size = 7;
inline constexpr std::size_t max_scenario_ops = 128;

struct unreadable {
  std::string why;
  friend bool operator==(const unreadable&, const unreadable&) = default;
};

using input = std::variant<unreadable, scenario, program>;

input decode(std::span<const std::uint8_t> bytes);
std::vector<std::uint8_t> encode(const scenario& s);  // std::invalid_argument for an op outside its alphabet
std::vector<std::uint8_t> encode(const program& p);

// The ops of a scenario body (what follows the settings), as version 1 reads them.
std::vector<op> decode_ops(op_alphabet alphabet, std::span<const std::uint8_t> body);

// True when every argument is within its range and every op in the alphabet.
bool is_canonical(const scenario& s);

// Where a readable input ends before its last op (or node) is whole: "it ends inside op 7
// (set_result)'s arguments: 1 of 2 bytes missing", say. Decoding reads the missing bytes
// as 0, so a truncated input is some other scenario, and a replay says so. nullopt for a
// whole input (or one that is not a vtlab input at all: decode says why).
std::optional<std::string> truncation(std::span<const std::uint8_t> bytes);

}  // namespace vth
