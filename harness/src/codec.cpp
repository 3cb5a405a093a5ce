#include <vth/codec.hpp>

#include <algorithm>
#include <stdexcept>

#include <vth/detail/byte_reader.hpp>

namespace vth {

namespace {

constexpr std::uint8_t magic[2] = {'v', 't'};
constexpr std::uint8_t scenario_kind = 'S';
constexpr std::uint8_t program_kind = 'P';

using reader = detail::byte_reader;

// decode_ops, counting the argument bytes the body lacks (read as 0): only its last op can.
std::vector<op> decode_ops_counting_missing(op_alphabet alphabet, std::span<const std::uint8_t> body,
                                            std::size_t& missing) {
  const std::span<const op_code> table = alphabet_table(alphabet);
  std::vector<op> ops;
  ops.reserve(std::min(body.size(), max_scenario_ops));
  reader in{body};
  while (in.at < body.size() && ops.size() < max_scenario_ops) {
    const auto byte = static_cast<std::size_t>(in.next());
    if (byte >= table.size()) continue;  // unknown here: a no-op
    op o;
    o.code = table[byte];
    const op_info& spec = info(o.code);
    for (int i = 0; i < spec.arg_count; ++i) {
      o.args[static_cast<std::size_t>(i)] =
          static_cast<std::uint8_t>(in.next() % spec.arg_limits[static_cast<std::size_t>(i)]);
    }
    ops.push_back(o);
  }
  missing = in.missing;
  return ops;
}

void put_header(std::vector<std::uint8_t>& out, std::uint8_t kind) {
  out.insert(out.end(), {magic[0], magic[1], kind, input_format_version});
}

input decode_scenario(reader& in) {
  scenario s;
  const int alphabet = in.next(), values = in.next(), budget = in.next();
  std::uint32_t start = 0;
  for (int shift = 0; shift < 32; shift += 8) start |= static_cast<std::uint32_t>(in.next()) << shift;
  if (alphabet > static_cast<int>(op_alphabet::recycling)) return unreadable{"unknown op alphabet " + std::to_string(alphabet)};
  if (values >= value_type_count) return unreadable{"unknown value type " + std::to_string(values)};
  if (budget >= recycle_budget_count) return unreadable{"unknown recycle budget " + std::to_string(budget)};
  s.settings = {static_cast<op_alphabet>(alphabet), static_cast<value_type>(values), static_cast<recycle_budget>(budget),
                start};
  s.ops = decode_ops(s.settings.alphabet, in.bytes.subspan(std::min(in.at, in.bytes.size())));
  return s;
}

}  // namespace

std::vector<op> decode_ops(op_alphabet alphabet, std::span<const std::uint8_t> body) {
  std::size_t missing = 0;
  return decode_ops_counting_missing(alphabet, body, missing);
}

input decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < input_header_size || bytes[0] != magic[0] || bytes[1] != magic[1]) {
    return unreadable{
        "not a vtlab input (it does not start with 'vt', the kind and the format version); an input written "
        "before the versioned format is upgraded in place by vt_upgrade_inputs --from-unversioned TARGET PATH"};
  }
  const int version = bytes[3];
  const int newest = bytes[2] == program_kind ? program_format_version : input_format_version;
  if (version < 1 || version > newest) {
    return unreadable{"format version " + std::to_string(version) + " (this build reads version " +
                      std::to_string(newest) + ")"};
  }
  reader in{bytes, input_header_size};
  if (bytes[2] == scenario_kind) return decode_scenario(in);
  if (bytes[2] == program_kind) {
    const int values = in.next();
    if (values > static_cast<int>(value_type::int_value)) return unreadable{"unknown value type " + std::to_string(values)};
    int schedule = 0;
    std::uint32_t seed = 0;
    int depth = 0;
    if (version >= 2) {
      schedule = in.next();
      for (int shift = 0; shift < 32; shift += 8) seed |= static_cast<std::uint32_t>(in.next()) << shift;
      depth = in.next();
      if (schedule >= schedule_kind_count) return unreadable{"unknown schedule kind " + std::to_string(schedule)};
    }
    program p = decode_program(bytes.subspan(std::min(in.at, bytes.size())));
    p.schedule = static_cast<schedule_kind>(schedule);
    p.seed = seed;
    p.pct_depth = static_cast<std::uint8_t>(depth);
    return p;
  }
  return unreadable{"unknown input kind " + std::to_string(bytes[2]) + " ('S' scenario, 'P' program)"};
}

std::vector<std::uint8_t> encode(const scenario& s) {
  std::vector<std::uint8_t> bytes;
  bytes.reserve(input_header_size + scenario_settings_size + s.ops.size() * 4);
  put_header(bytes, scenario_kind);
  bytes.push_back(static_cast<std::uint8_t>(s.settings.alphabet));
  bytes.push_back(static_cast<std::uint8_t>(s.settings.values));
  bytes.push_back(static_cast<std::uint8_t>(s.settings.budget));
  for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<std::uint8_t>(s.settings.start_version >> shift));
  const std::span<const op_code> table = alphabet_table(s.settings.alphabet);
  for (const op& o : s.ops) {
    const auto at = std::find(table.begin(), table.end(), o.code);
    if (at == table.end()) {
      throw std::invalid_argument(std::string("op not in the scenario's alphabet: ") + info(o.code).name);
    }
    bytes.push_back(static_cast<std::uint8_t>(at - table.begin()));
    for (int i = 0; i < info(o.code).arg_count; ++i) bytes.push_back(o.args[static_cast<std::size_t>(i)]);
  }
  return bytes;
}

std::vector<std::uint8_t> encode(const program& p) {
  std::vector<std::uint8_t> bytes;
  // A program replayed through its choice list is a version-1 input; another schedule
  // needs version 2, which names it.
  const bool listed = p.schedule == schedule_kind::list && p.seed == 0 && p.pct_depth == 0;
  bytes.insert(bytes.end(), {magic[0], magic[1], program_kind, listed ? std::uint8_t{1} : program_format_version});
  bytes.push_back(static_cast<std::uint8_t>(value_type::int_value));
  if (!listed) {
    bytes.push_back(static_cast<std::uint8_t>(p.schedule));
    for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<std::uint8_t>(p.seed >> shift));
    bytes.push_back(p.pct_depth);
  }
  const std::vector<std::uint8_t> body = encode_program(p);
  bytes.insert(bytes.end(), body.begin(), body.end());
  return bytes;
}

namespace {
std::string byte_count(std::size_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }
std::string missing_of(std::size_t missing, std::size_t of) {
  return std::to_string(missing) + " of " + byte_count(of) + " missing";
}
}  // namespace

std::optional<std::string> truncation(std::span<const std::uint8_t> bytes) {
  if (std::holds_alternative<unreadable>(decode(bytes))) return std::nullopt;
  const std::span<const std::uint8_t> rest = bytes.subspan(input_header_size);
  if (bytes[2] == program_kind) {
    const std::size_t settings = bytes[3] >= 2 ? 7 : 1;  // value type (version 2: schedule, seed, depth too)
    if (rest.size() < settings) return "it ends inside the program's settings: " + missing_of(settings - rest.size(), settings);
    const std::size_t missing = program_bytes_missing(rest.subspan(settings));
    if (missing == 0) return std::nullopt;
    return "it ends inside the program's node tree: " + byte_count(missing) + " missing";
  }
  if (rest.size() < scenario_settings_size) {
    return "it ends inside the scenario's settings: " + missing_of(scenario_settings_size - rest.size(), scenario_settings_size);
  }
  std::size_t missing = 0;
  const std::vector<op> ops =
      decode_ops_counting_missing(static_cast<op_alphabet>(rest[0]), rest.subspan(scenario_settings_size), missing);
  if (missing == 0) return std::nullopt;
  const op_info& last = info(ops.back().code);
  return "it ends inside op " + std::to_string(ops.size()) + " (" + std::string(last.name) + ")'s arguments: " +
         missing_of(missing, static_cast<std::size_t>(last.arg_count));
}

bool is_canonical(const scenario& s) {
  if (s.ops.size() > max_scenario_ops) return false;
  for (const op& o : s.ops) {
    if (static_cast<int>(o.code) >= op_code_count || !in_alphabet(s.settings.alphabet, o.code)) return false;
    const op_info& spec = info(o.code);
    for (int i = 0; i < 3; ++i) {
      const int limit = i < spec.arg_count ? spec.arg_limits[static_cast<std::size_t>(i)] : 1;
      if (o.args[static_cast<std::size_t>(i)] >= limit) return false;
    }
  }
  return true;
}

}  // namespace vth
