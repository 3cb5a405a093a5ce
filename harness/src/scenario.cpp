#include <vth/scenario.hpp>

#include <ostream>

namespace vth {

namespace {
constexpr int S = source_slots, V = value_task_slots, T = task_slots, K = cancellation_slots;

constexpr std::array<op_info, op_code_count> infos{{
    {"rent", 1, {S, 1, 1}},
    {"wrap", 2, {V, S, 1}},
    {"wrap_wrong_token", 3, {V, S, 256}},
    {"copy", 2, {V, V, 1}},
    {"set_result", 2, {S, 256, 1}},
    {"set_exception", 2, {S, 256, 1}},
    {"set_canceled", 2, {S, K, 1}},
    {"post_completion", 3, {S, 3, 256}},
    {"result", 1, {V, 1, 1}},
    {"status", 1, {V, 1, 1}},
    {"as_task", 2, {T, V, 1}},
    {"preserve", 2, {V, V, 1}},
    {"await_in_task", 2, {T, V, 1}},
    {"await_in_value_task", 2, {V, V, 1}},
    {"await_task", 2, {T, T, 1}},
    {"task_result", 1, {T, 1, 1}},
    {"register_raw", 1, {V, 1, 1}},
    {"recycle", 3, {S, 256, 256}},
    {"when_all", 3, {T, T, T}},
    {"when_any", 3, {T, T, T}},
    {"cancel_on", 2, {S, K, 1}},
    {"cancel", 1, {K, 1, 1}},
    {"run_one", 1, {256, 1, 1}},
    {"run_until_idle", 0, {1, 1, 1}},
}};

std::string slot(char kind, int index) { return std::string(1, kind) + std::to_string(index); }
}  // namespace

const op_info& info(op_code code) noexcept { return infos[static_cast<std::size_t>(code)]; }

std::string describe(const op& o) {
  const int a = o.args[0], b = o.args[1], c = o.args[2];
  const std::string name = info(o.code).name;
  switch (o.code) {
    case op_code::rent: return name + " " + slot('S', a);
    case op_code::wrap: return name + " " + slot('V', a) + " " + slot('S', b);
    case op_code::wrap_wrong_token:
      return name + " " + slot('V', a) + " " + slot('S', b) + (c < 128 ? " version-" : " version+") +
             std::to_string(c < 128 ? c + 1 : c - 127);
    case op_code::copy: return name + " " + slot('V', a) + " <- " + slot('V', b);
    case op_code::set_result: return name + " " + slot('S', a) + " " + std::to_string(b);
    case op_code::set_exception: return name + " " + slot('S', a) + " error" + std::to_string(b);
    case op_code::set_canceled: return name + " " + slot('S', a) + " " + slot('K', b);
    case op_code::post_completion: {
      static const char* kinds[] = {"result", "exception", "cancel"};
      return name + " " + slot('S', a) + " " + kinds[b] + " " + std::to_string(c);
    }
    case op_code::result:
    case op_code::status:
    case op_code::register_raw: return name + " " + slot('V', a);
    case op_code::as_task: return name + " " + slot('T', a) + " <- " + slot('V', b);
    case op_code::preserve: return name + " " + slot('V', a) + " <- " + slot('V', b);
    case op_code::await_in_task: return name + " " + slot('T', a) + " <- " + slot('V', b);
    case op_code::await_in_value_task: return name + " " + slot('V', a) + " <- " + slot('V', b);
    case op_code::await_task: return name + " " + slot('T', a) + " <- " + slot('T', b);
    case op_code::task_result: return name + " " + slot('T', a);
    case op_code::recycle: return name + " " + slot('S', a) + " x" + std::to_string(recycle_count(o));
    case op_code::when_all:
    case op_code::when_any: return name + " " + slot('T', a) + " <- " + slot('T', b) + " " + slot('T', c);
    case op_code::cancel_on: return name + " " + slot('S', a) + " " + slot('K', b);
    case op_code::cancel: return name + " " + slot('K', a);
    case op_code::run_one: return name + " choice " + std::to_string(a);
    case op_code::run_until_idle:
    case op_code::count_: break;
  }
  return name;
}

void showValue(op_code code, std::ostream& os) { os << info(code).name; }
void showValue(const op& o, std::ostream& os) { os << describe(o); }
void showValue(const scenario& s, std::ostream& os) {
  for (std::size_t i = 0; i < s.ops.size(); ++i) os << "\n  " << i + 1 << ". " << describe(s.ops[i]);
}

}  // namespace vth
