#include <vth/program.hpp>

#include <coroutine>
#include <memory>
#include <optional>

#include <vt/vt.hpp>
#include <vth/detail/byte_reader.hpp>
#include <vth/harness_error.hpp>
#include <vth/runner.hpp>
#include <vth/schedule_check.hpp>

namespace vth {

namespace {

// ---- codec ----------------------------------------------------------------

using reader = detail::byte_reader;

// Node kinds are frozen like op codes: a byte naming no kind (or, where only a leaf fits, a
// composite) decodes as the leaf `value 0`. The unversioned format wrapped it modulo instead.
enum class kind_rule { frozen, wrap_legacy };

node decode_node(reader& in, int depth, int& budget, kind_rule rule) {
  node n;
  --budget;
  const bool leaf_only = depth >= max_program_depth || budget <= 0;
  // The unversioned format knew 7 kinds; it wraps modulo that, version 1 reads every kind.
  const int kinds = leaf_only ? 3 : rule == kind_rule::wrap_legacy ? 7 : static_cast<int>(node_kind::count_);
  const int byte = in.next();
  if (rule == kind_rule::frozen && byte >= kinds) return n;
  n.kind = static_cast<node_kind>(byte % kinds);
  switch (n.kind) {
    case node_kind::value:
    case node_kind::fail: n.value = in.next(); break;
    case node_kind::source:
      n.completion = in.next() % 3;
      n.value = in.next();
      break;
    case node_kind::sequence:
    case node_kind::all: {
      const int count = 1 + in.next() % 3;
      n.children.reserve(static_cast<std::size_t>(count));
      for (int i = 0; i < count && budget > 0; ++i) n.children.push_back(decode_node(in, depth + 1, budget, rule));
      if (n.children.empty()) n.children.push_back(node{});
      break;
    }
    case node_kind::yield: n.children.push_back(decode_node(in, depth + 1, budget, rule)); break;
    case node_kind::delay:
      n.value = in.next();
      n.children.push_back(decode_node(in, depth + 1, budget, rule));
      break;
    case node_kind::recover:
      n.value = in.next();
      n.children.push_back(decode_node(in, depth + 1, budget, rule));
      break;
    case node_kind::count_: break;
  }
  return n;
}

void encode_node(const node& n, std::vector<std::uint8_t>& out) {
  out.push_back(static_cast<std::uint8_t>(n.kind));
  switch (n.kind) {
    case node_kind::value:
    case node_kind::fail: out.push_back(static_cast<std::uint8_t>(n.value)); break;
    case node_kind::source:
      out.push_back(static_cast<std::uint8_t>(n.completion));
      out.push_back(static_cast<std::uint8_t>(n.value));
      break;
    case node_kind::sequence:
    case node_kind::all:
      out.push_back(static_cast<std::uint8_t>(n.children.size() - 1));
      for (const node& child : n.children) encode_node(child, out);
      break;
    case node_kind::yield: encode_node(n.children.front(), out); break;
    case node_kind::delay:
      out.push_back(static_cast<std::uint8_t>(n.value));
      encode_node(n.children.front(), out);
      break;
    case node_kind::recover:
      out.push_back(static_cast<std::uint8_t>(n.value));
      encode_node(n.children.front(), out);
      break;
    case node_kind::count_: break;
  }
}

// ---- the interpreter, once per coroutine type ------------------------------

struct leaf_state {
  const node* leaf = nullptr;
  vt::pooled_source<int>* source = nullptr;
  bool completion_due = false;  // its scheduler item ran before the leaf started
};

class environment {
public:
  explicit environment(const program& p)
      : scheduler_(std::make_unique<recording_chooser>(make_chooser(p))), scope_(scheduler_) {
    nodes_.reserve(max_program_nodes);
    number_leaves(p.root);
    effects_.reserve(3 * nodes_.size());  // entered, left, maybe recovered
    // Every source leaf's completion is a scheduler item from the start; the choices
    // decide when each runs relative to everything else.
    for (auto& leaf : leaves_) scheduler_.post(&complete_leaf, &leaf);
  }

  int leaf_index(const node& n) const {
    for (std::size_t i = 0; i < leaves_.size(); ++i) {
      if (leaves_[i].leaf == &n) return static_cast<int>(i);
    }
    return -1;
  }
  int node_id(const node& n) const {
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i] == &n) return static_cast<int>(i) + 1;
    }
    return 0;
  }

  // A source leaf starts: rent, and complete at once if its item already ran.
  vt::value_task<int> start_leaf(const node& n) {
    leaf_state& leaf = leaves_[static_cast<std::size_t>(leaf_index(n))];
    leaf.source = &pool_.rent();
    const vt::token_t token = leaf.source->version();
    if (leaf.completion_due) complete(leaf);
    return vt::value_task<int>(*leaf.source, token);
  }

  struct stuck_program {};
  // A far-future timer: when nothing else can run, the scheduler's virtual clock reaches it.
  void arm_watchdog() { scheduler_.post_at(scheduler_.now() + std::chrono::hours(1), &watchdog, this); }
  void disarm_watchdog() { armed_ = false; }

  void log(int effect) { effects_.push_back(effect); }
  // Section 6: a delay completes after its length of virtual time, and the clock moves only
  // when nothing is ready, to the earliest timer; so a delay resumes exactly its length on.
  void check_delay(int id, std::chrono::milliseconds length, vt::manual_scheduler::duration elapsed) {
    if (elapsed == length) return;
    note_problem("delay node #" + std::to_string(id) + " of " + std::to_string(length.count()) + " ms resumed after " +
                 std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()) +
                 " µs of virtual time");
  }
  // A delay on a manual scheduler is one timer more, and nothing ready yet: pending()
  // counts ready items plus timers.
  vt::task<void> start_delay(int id, std::chrono::milliseconds length) {
    const auto timers = [this] { return scheduler_.pending() - scheduler_.ready_count(); };
    const std::size_t ready = scheduler_.ready_count();
    const std::size_t before = timers();
    vt::task<void> timer = vt::delay(length);
    if (timers() != before + 1 || scheduler_.ready_count() != ready) {
      note_problem("delay node #" + std::to_string(id) + " left the scheduler with " + std::to_string(timers()) +
                   " timers and " + std::to_string(scheduler_.ready_count()) + " ready items where it had " +
                   std::to_string(before) + " and " + std::to_string(ready) + " (pending() " +
                   std::to_string(scheduler_.pending()) + ")");
    }
    return timer;
  }
  const std::string& problem() const { return problem_; }
  void note_problem(std::string problem) {
    if (problem_.empty()) problem_ = std::move(problem);
  }
  const std::vector<int>& effects() const { return effects_; }
  vt::manual_scheduler& scheduler() { return scheduler_; }
  const std::vector<recording_chooser::choice>& choices_made() {
    return static_cast<const recording_chooser&>(scheduler_.chooser()).made();  // the one it was built with
  }

private:
  void number_leaves(const node& n) {
    nodes_.push_back(&n);
    if (n.kind == node_kind::source) leaves_.push_back({&n});
    for (const node& child : n.children) number_leaves(child);
  }
  static void complete(leaf_state& leaf) {
    switch (leaf.leaf->completion) {
      case 0: leaf.source->set_result(leaf.leaf->value); break;
      case 1: leaf.source->set_exception(std::make_exception_ptr(harness_error(leaf.leaf->value))); break;
      default: leaf.source->set_canceled(); break;
    }
  }
  static void watchdog(void* self) {
    if (static_cast<environment*>(self)->armed_) throw stuck_program{};
  }
  static void complete_leaf(void* state) {
    auto* leaf = static_cast<leaf_state*>(state);
    if (leaf->source == nullptr) {
      leaf->completion_due = true;
    } else {
      complete(*leaf);
    }
  }

  std::vector<const node*> nodes_;
  std::vector<leaf_state> leaves_;  // complete: scheduler items point into it
  vt::source_pool<int> pool_;
  std::vector<int> effects_;
  vt::manual_scheduler scheduler_;
  vt::scheduling_scope scope_;
  bool armed_ = true;
  std::string problem_;  // the first broken timing or yield
};

// co_await vt::yield(), watched through the awaiter protocol: section 6 says it always
// suspends and reposts, so it must not be ready, and suspending must put exactly one item
// on the current executor (the program's scheduler).
struct checked_yield {
  environment& env;
  int id;
  vt::yield_awaitable inner = vt::yield();

  bool await_ready() {
    if (!inner.await_ready()) return false;
    env.note_problem("yield node #" + std::to_string(id) + " did not suspend");
    return true;
  }
  void await_suspend(std::coroutine_handle<> awaiting) {
    const std::size_t ready = env.scheduler().ready_count();
    inner.await_suspend(awaiting);  // only the harness thread runs the scheduler: nothing resumes it yet
    if (env.scheduler().ready_count() != ready + 1) {
      env.note_problem("yield node #" + std::to_string(id) + " did not repost to the current executor");
    }
  }
  void await_resume() { inner.await_resume(); }
};

template <class Task>
struct interpreter {
  static constexpr bool is_value_task = std::is_same_v<Task, vt::value_task<int>>;

  static vt::task<int> to_task(Task t) {
    if constexpr (is_value_task) {
      return t.as_task();
    } else {
      return t;
    }
  }

  // The no-await leaf: a value_task returns without a coroutine frame at all.
  static Task run(environment& env, const node& n) {
    if constexpr (is_value_task) {
      if (n.kind == node_kind::value) {
        env.log(env.node_id(n));
        env.log(-env.node_id(n));
        return vt::value_task<int>::from_result(n.value);
      }
    }
    return run_coroutine(env, n);
  }

  static Task run_coroutine(environment& env, const node& n) {
    const int id = env.node_id(n);
    env.log(id);
    int result = 0;
    switch (n.kind) {
      case node_kind::value: result = n.value; break;
      case node_kind::fail: throw harness_error(n.value);
      case node_kind::source: result = co_await env.start_leaf(n); break;
      case node_kind::sequence:
        for (const node& child : n.children) result += co_await run(env, child);
        break;
      case node_kind::all: {
        std::vector<vt::task<int>> children;
        for (const node& child : n.children) children.push_back(to_task(run(env, child)));
        for (int value : co_await vt::when_all(std::move(children))) result += value;
        break;
      }
      case node_kind::yield:
        co_await checked_yield{env, id};
        result = co_await run(env, n.children.front());
        break;
      case node_kind::delay: {
        const std::chrono::milliseconds length(n.value % 8 + 1);
        const auto started = env.scheduler().now();
        co_await env.start_delay(id, length);
        env.check_delay(id, length, env.scheduler().now() - started);
        result = co_await run(env, n.children.front());
        break;
      }
      case node_kind::recover:
        try {
          result = co_await run(env, n.children.front());
        } catch (const harness_error&) {
          env.log(1000 + id);
          result = n.value;
        }
        break;
      case node_kind::count_: break;
    }
    env.log(-id);
    co_return result;
  }

  static program_run execute(const program& p) {
    program_run run;
    environment env(p);
    Task root = run_coroutine(env, p.root);
    env.arm_watchdog();
    try {
      // sync_wait drives the scheduler until the root completes; the watchdog turns a root
      // that can never complete into an error instead of a wait for another thread.
      run.result = {outcomes::value{vt::sync_wait(root)}};
    } catch (const environment::stuck_program&) {
      run.problem = "the root never completed (lost wakeup)";
    } catch (const harness_error& e) {
      run.result = {outcomes::error{e.value()}};
    } catch (const vt::operation_canceled&) {
      run.result = outcomes::canceled{};
    } catch (const vt::invalid_operation& e) {
      run.problem = std::string("invalid_operation: ") + e.what();
    }
    env.disarm_watchdog();
    env.scheduler().run_until_idle();  // what is left: completions of leaves that never started
    if (run.problem.empty()) run.problem = env.problem();
    if (run.problem.empty()) run.problem = check_schedule(p, env.choices_made());
    run.effects = env.effects();
    return run;
  }
};

outcome eval(const node& n) {
  switch (n.kind) {
    case node_kind::value: return outcomes::value{n.value};
    case node_kind::fail: return outcomes::error{n.value};
    case node_kind::source:
      if (n.completion == 1) return outcomes::error{n.value};
      if (n.completion == 2) return outcomes::canceled{};
      return outcomes::value{n.value};
    case node_kind::sequence: {
      long sum = 0;
      for (const node& child : n.children) {
        const outcome e = eval(child);
        const auto* v = std::get_if<outcomes::value>(&e);
        if (v == nullptr) return e;  // later children never start
        sum += v->number;
      }
      return outcomes::value{sum};
    }
    case node_kind::all: {
      std::optional<outcome> first_fault, first_cancel;
      long sum = 0;
      for (const node& child : n.children) {
        const outcome e = eval(child);
        if (is<outcomes::error>(e) && !first_fault) first_fault = e;
        if (is<outcomes::canceled>(e) && !first_cancel) first_cancel = e;
        if (const auto* v = std::get_if<outcomes::value>(&e)) sum += v->number;
      }
      if (first_fault) return *first_fault;
      if (first_cancel) return *first_cancel;
      return outcomes::value{sum};
    }
    case node_kind::yield:
    case node_kind::delay: return eval(n.children.front());
    case node_kind::recover: {
      const outcome e = eval(n.children.front());
      return is<outcomes::error>(e) ? outcome{outcomes::value{n.value}} : e;
    }
    case node_kind::count_: break;
  }
  return outcomes::value{};
}

std::string describe_effects(const std::vector<int>& effects) {
  std::string out;
  for (int e : effects) out += (out.empty() ? "" : " ") + std::to_string(e);
  return out;
}

}  // namespace

namespace {
program decode_program_with(std::span<const std::uint8_t> bytes, kind_rule rule) {
  reader in{bytes};
  int budget = max_program_nodes;
  program p;
  p.root = decode_node(in, 0, budget, rule);
  p.choices.assign(bytes.begin() + static_cast<std::ptrdiff_t>(std::min(in.at, bytes.size())), bytes.end());
  return p;
}
}  // namespace

program decode_program(std::span<const std::uint8_t> bytes) { return decode_program_with(bytes, kind_rule::frozen); }

std::size_t program_bytes_missing(std::span<const std::uint8_t> bytes) {
  reader in{bytes};
  int budget = max_program_nodes;
  (void)decode_node(in, 0, budget, kind_rule::frozen);
  return in.missing;
}

program decode_program_unversioned(std::span<const std::uint8_t> bytes) {
  return decode_program_with(bytes, kind_rule::wrap_legacy);
}

std::vector<std::uint8_t> encode_program(const program& p) {
  std::vector<std::uint8_t> out;
  encode_node(p.root, out);
  out.insert(out.end(), p.choices.begin(), p.choices.end());
  return out;
}

outcome evaluate(const node& root) { return eval(root); }

program_run run_with_task(const program& p) { return interpreter<vt::task<int>>::execute(p); }
program_run run_with_value_task(const program& p) { return interpreter<vt::value_task<int>>::execute(p); }

std::string check_program(const program& p, step_watcher* watcher) {
  if (watcher != nullptr) watcher->before_program_run(p, "task");
  const program_run with_task = run_with_task(p);
  if (watcher != nullptr) watcher->before_program_run(p, "value_task");
  const program_run with_value_task = run_with_value_task(p);
  const outcome expected = evaluate(p.root);
  if (!with_task.problem.empty()) return "task: " + with_task.problem;
  if (!with_value_task.problem.empty()) return "value_task: " + with_value_task.problem;
  if (!(with_task.result == expected)) {
    return "task gave " + vth::describe(with_task.result) + ", the model " + vth::describe(expected);
  }
  if (!(with_value_task.result == expected)) {
    return "value_task gave " + vth::describe(with_value_task.result) + ", the model " + vth::describe(expected);
  }
  if (with_task.effects != with_value_task.effects) {
    return "side effects differ:\n  task:       " + describe_effects(with_task.effects) +
           "\n  value_task: " + describe_effects(with_value_task.effects);
  }
  return {};
}

std::string describe(const node& n) {
  switch (n.kind) {
    case node_kind::value: return std::to_string(n.value);
    case node_kind::fail: return "fail(" + std::to_string(n.value) + ")";
    case node_kind::source: {
      static const char* kinds[] = {"", "error ", "canceled "};
      return std::string("source(") + kinds[n.completion] + std::to_string(n.value) + ")";
    }
    case node_kind::sequence:
    case node_kind::all: {
      std::string out = n.kind == node_kind::sequence ? "seq(" : "all(";
      for (std::size_t i = 0; i < n.children.size(); ++i) out += (i ? ", " : "") + describe(n.children[i]);
      return out + ")";
    }
    case node_kind::yield: return "yield(" + describe(n.children.front()) + ")";
    case node_kind::delay: return "delay" + std::to_string(n.value % 8 + 1) + "ms(" + describe(n.children.front()) + ")";
    case node_kind::recover: return "recover(" + describe(n.children.front()) + " else " + std::to_string(n.value) + ")";
    case node_kind::count_: break;
  }
  return "?";
}

}  // namespace vth
