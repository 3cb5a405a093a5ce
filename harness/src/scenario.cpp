#include <vth/scenario.hpp>

#include <vth/ops/all.hpp>

#include <algorithm>
#include <ostream>

namespace vth {

namespace {
// Indexed by op code, in VTH_EACH_OP's order (the full alphabet's static_assert below holds
// only while that order is the codes', which every table built from the list relies on).
constexpr std::array<op_info, op_code_count> rows{{
#define VTH_OP_ROW(name, code) ops::declaration<op_code::name>::info,
    VTH_EACH_OP(VTH_OP_ROW)
#undef VTH_OP_ROW
}};

// The byte -> op tables of the input format. Append only. In the full alphabet an op's byte
// is its code, so every op enters it as it enters the frozen table.
constexpr std::array full_alphabet{
#define VTH_ALPHABET_ENTRY(name, code) op_code::name,
    VTH_EACH_OP(VTH_ALPHABET_ENTRY)
#undef VTH_ALPHABET_ENTRY
};
static_assert(full_alphabet.size() == op_code_count, "the full alphabet holds every op");
constexpr bool full_alphabet_is_identity() {
  for (std::size_t i = 0; i < full_alphabet.size(); ++i) {
    if (static_cast<std::size_t>(full_alphabet[i]) != i) return false;
  }
  return true;
}
static_assert(full_alphabet_is_identity(), "VTH_EACH_OP lists the ops in code order, one for every code");

constexpr std::array recycling_alphabet{
    op_code::rent,   op_code::wrap,          op_code::copy,    op_code::recycle,  op_code::result,
    op_code::status, op_code::set_result,    op_code::as_task, op_code::preserve, op_code::await_in_value_task,
    op_code::register_raw, op_code::wrap_wrong_token, op_code::run_until_idle,
};

}  // namespace

bool allocation_failure_applies(op_code code) noexcept { return info(code).flags.allocation_failure_applies; }

const op_info& info(op_code code) noexcept {
  static constexpr op_info drain_rows[] = {
#define VTH_DRAIN_ROW(name, code) ops::declaration<op_code::name>::info,
      VTH_EACH_DRAIN_OP(VTH_DRAIN_ROW)
#undef VTH_DRAIN_ROW
  };
  if (is_drain(code)) return drain_rows[static_cast<std::size_t>(code) - static_cast<std::size_t>(op_code::drain_settle)];
  return rows[static_cast<std::size_t>(code)];
}

int recycle_limit(recycle_budget budget) noexcept {
  switch (budget) {
    case recycle_budget::small: return 512;
    case recycle_budget::medium: return 4'096;
    case recycle_budget::wraps_16_bit_twice: return 140'000;
  }
  return 0;
}

std::span<const op_code> alphabet_table(op_alphabet alphabet) noexcept {
  if (alphabet == op_alphabet::recycling) return recycling_alphabet;
  return full_alphabet;
}

bool in_alphabet(op_alphabet alphabet, op_code code) noexcept {
  const auto table = alphabet_table(alphabet);
  return std::find(table.begin(), table.end(), code) != table.end();
}

std::string describe(const scenario_settings& settings) {
  static const char* values[] = {", int values", ", tracked values", ", void values"};
  return std::string("alphabet ") + (settings.alphabet == op_alphabet::full ? "full" : "recycling") +
         values[static_cast<int>(settings.values)] + ", recycle budget " +
         std::to_string(recycle_limit(settings.budget)) + ", start version " + std::to_string(settings.start_version);
}

std::string describe(const op& o) {
  using describer = std::string (*)(const op&);
#define VTH_DESCRIBER(name, code) &ops::describe<op_code::name>,
  static constexpr describer describers[] = {VTH_EACH_OP(VTH_DESCRIBER)};
  static constexpr describer drain_describers[] = {VTH_EACH_DRAIN_OP(VTH_DESCRIBER)};
#undef VTH_DESCRIBER
  const auto code = static_cast<std::size_t>(o.code);
  if (is_drain(o.code)) return drain_describers[code - static_cast<std::size_t>(op_code::drain_settle)](o);
  return describers[code](o);
}

std::string ops::printed(const char* name, const char* shape, const op& o) {
  std::string line = name;
  if (*shape != '\0') line += ' ';
  for (const char* at = shape; *at != '\0'; ++at) {
    if (at[0] == '{' && at[1] >= 'a' && at[1] <= 'c' && at[2] == '}') {
      line += std::to_string(o.args[static_cast<std::size_t>(at[1] - 'a')]);
      at += 2;
    } else {
      line += *at;
    }
  }
  return line;
}

const char* describe(bad_argument_call call) noexcept {
  static const char* names[] = {"set_exception(nullptr)",
                                "on_completed(nullptr)",
                                "value_task(null source)",
                                "value_task(empty task)",
                                "value_task::from_exception(nullptr)",
                                "task::from_exception(nullptr)",
                                "register_callback(empty function)",
                                "when_all({task, empty task})",
                                "when_all(task, empty task)",
                                "when_any(no tasks)",
                                "when_any(task, empty task)"};
  static_assert(std::size(names) == bad_argument_call_count);
  return names[static_cast<int>(call)];
}

void showValue(op_code code, std::ostream& os) { os << info(code).name; }
void showValue(const op& o, std::ostream& os) { os << describe(o); }
void showValue(const scenario& s, std::ostream& os) {
  os << "\n  settings: " << describe(s.settings);
  for (std::size_t i = 0; i < s.ops.size(); ++i) os << "\n  " << i + 1 << ". " << describe(s.ops[i]);
}

}  // namespace vth
