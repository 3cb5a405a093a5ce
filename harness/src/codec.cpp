#include <vth/codec.hpp>

#include <algorithm>

namespace vth {

scenario decode(std::span<const std::uint8_t> bytes) {
  scenario s;
  s.ops.reserve(std::min(bytes.size(), max_scenario_ops));
  std::size_t at = 0;
  auto next = [&]() -> int { return at < bytes.size() ? bytes[at++] : 0; };
  while (at < bytes.size() && s.ops.size() < max_scenario_ops) {
    op o;
    o.code = static_cast<op_code>(next() % op_code_count);
    const op_info& spec = info(o.code);
    for (int i = 0; i < spec.arg_count; ++i) {
      o.args[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(next() % spec.arg_limits[static_cast<std::size_t>(i)]);
    }
    s.ops.push_back(o);
  }
  return s;
}

std::vector<std::uint8_t> encode(const scenario& s) {
  std::vector<std::uint8_t> bytes;
  for (const op& o : s.ops) {
    bytes.push_back(static_cast<std::uint8_t>(o.code));
    for (int i = 0; i < info(o.code).arg_count; ++i) bytes.push_back(o.args[static_cast<std::size_t>(i)]);
  }
  return bytes;
}

bool is_canonical(const scenario& s) {
  if (s.ops.size() > max_scenario_ops) return false;
  for (const op& o : s.ops) {
    if (static_cast<int>(o.code) >= op_code_count) return false;
    const op_info& spec = info(o.code);
    for (int i = 0; i < 3; ++i) {
      const int limit = i < spec.arg_count ? spec.arg_limits[static_cast<std::size_t>(i)] : 1;
      if (o.args[static_cast<std::size_t>(i)] >= limit) return false;
    }
  }
  return true;
}

}  // namespace vth
