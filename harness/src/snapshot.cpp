#include <vth/snapshot.hpp>

#include <algorithm>
#include <string>

namespace vth {

namespace {

std::string describe(const source_snapshot& s, std::int64_t mask, bool pooled) {
  static const char* statuses[] = {"pending", "succeeded", "faulted", "canceled"};
  return "version " + std::to_string(s.version & mask) +
         (s.completed() ? std::string(" completed, ") + statuses[s.status & 3] : std::string(" pending")) +
         (pooled ? (s.rented ? ", rented" : ", idle") : "") + (s.asynchronous ? ", runs continuations asynchronously" : "");
}

const char* describe(backing b) {
  static const char* names[] = {"result", "task", "source"};
  return names[static_cast<int>(b)];
}

const char* describe(task_state t) {
  static const char* names[] = {"pending", "succeeded", "faulted", "canceled", "empty"};
  return names[static_cast<int>(t)];
}

std::string describe(const value_task_snapshot& v) {
  return std::string(describe(v.how)) + "-backed" +
         (v.how == backing::task ? std::string(" (its task ") + describe(v.task) + ")" : "");
}

std::string describe(const coroutine_snapshot& c) {
  return "resumed " + std::to_string(c.resumes) + " times, " + (c.done ? "finished" : "not finished");
}

const char* describe(placement p) {
  static const char* places[] = {"not yet", "inline in the completing call", "on the scheduler", "on the default executor"};
  return places[static_cast<int>(p)];
}

std::string describe(const pool_snapshot& p) {
  return std::to_string(p.created) + "/" + std::to_string(p.rented) + "/" + std::to_string(p.returned) + "/" +
         std::to_string(p.reused) + "/" + std::to_string(p.idle);
}

// Whether the two agree on everything describe_first_difference compares (some things more
// strictly: what it tells apart, this does too). Nearly every step agrees, and this check,
// unlike the search, builds no message: under ASan the search's frame alone costs more.
bool same_state(const state_snapshot& model, const state_snapshot& runtime, std::int64_t mask) {
  auto same_sources = [mask](const std::vector<source_snapshot>& want, const std::vector<source_snapshot>& got) {
    if (want.size() != got.size()) return false;
    for (std::size_t i = 0; i < want.size(); ++i) {
      if ((want[i].version & mask) != got[i].version || want[i].rented != got[i].rented ||
          want[i].status != got[i].status || want[i].asynchronous != got[i].asynchronous) {
        return false;
      }
    }
    return true;
  };
  if (!same_sources(model.pool_sources, runtime.pool_sources) || !same_sources(model.cores, runtime.cores)) return false;
  if (model.coroutine_results.size() != runtime.coroutine_results.size()) return false;
  for (std::size_t id = 0; id < model.coroutine_results.size(); ++id) {
    const source_snapshot& want = model.coroutine_results[id];
    const source_snapshot& got = runtime.coroutine_results[id];
    if (want.rented != got.rented || want.completed() != got.completed()) return false;
  }
  return model.value_tasks == runtime.value_tasks && model.raws == runtime.raws && model.pool == runtime.pool &&
         model.scheduled == runtime.scheduled && model.coroutines == runtime.coroutines && model.tasks == runtime.tasks &&
         model.when_alls == runtime.when_alls && model.cancellations == runtime.cancellations;
}

[[gnu::noinline]] violation describe_first_difference(const state_snapshot& model, const state_snapshot& runtime,
                                                      std::int64_t mask) {
  auto differs = [&](const std::string& what) { return violation{property::model_agreement, what}; };
  if (model.pool_sources.size() != runtime.pool_sources.size()) {
    return differs("the pool created " + std::to_string(runtime.pool_sources.size()) + " sources, the model " +
                   std::to_string(model.pool_sources.size()));
  }
  // A pooled source or a core: its version (modulo the token width), rental and completion.
  auto sources_differ = [&](const std::vector<source_snapshot>& want_all, const std::vector<source_snapshot>& got_all,
                            const std::string& kind, bool pooled) -> violation {
    for (std::size_t i = 0; i < want_all.size() && i < got_all.size(); ++i) {
      source_snapshot want = want_all[i];
      want.version &= mask;
      if (want != got_all[i]) {
        return differs(kind + std::to_string(i) + " is at " + describe(got_all[i], mask, pooled) + "; the model has " +
                       describe(want, mask, pooled));
      }
    }
    return {};
  };
  if (violation v = sources_differ(model.pool_sources, runtime.pool_sources, "source #", true)) return v;
  if (violation v = sources_differ(model.cores, runtime.cores, "core C", false)) return v;
  for (std::size_t slot = 0; slot < model.value_tasks.size() && slot < runtime.value_tasks.size(); ++slot) {
    if (model.value_tasks[slot] != runtime.value_tasks[slot]) {
      return differs("V" + std::to_string(slot) + " is " + describe(runtime.value_tasks[slot]) + ", the model's " +
                     describe(model.value_tasks[slot]));
    }
  }
  if (model.coroutine_results.size() != runtime.coroutine_results.size()) {
    return differs(std::to_string(runtime.coroutine_results.size()) + " value_task coroutines hold a source, the model " +
                   std::to_string(model.coroutine_results.size()));
  }
  for (std::size_t id = 0; id < model.coroutine_results.size(); ++id) {
    const source_snapshot& want = model.coroutine_results[id];
    const source_snapshot& got = runtime.coroutine_results[id];
    if (want.rented != got.rented || (want.rented && want.completed() != got.completed())) {
      auto state = [](const source_snapshot& s) {
        return std::string(!s.rented ? "consumed" : s.completed() ? "completed, unconsumed" : "pending");
      };
      return differs("value_task coroutine result #" + std::to_string(id) + " is " + state(got) + "; the model's is " +
                     state(want));
    }
  }
  // Every accepted registration has a record on both sides (the runner drops the record of
  // one the runtime refuses, within the op).
  for (std::size_t id = 0; id < std::min(model.raws.size(), runtime.raws.size()); ++id) {
    const raw_snapshot& want = model.raws[id];
    const raw_snapshot& got = runtime.raws[id];
    if (want != got) {
      return {got.runs > 1 ? property::exactly_once : property::model_agreement,
              "raw continuation #" + std::to_string(id) + " ran " + std::to_string(got.runs) + " times, " +
                  describe(got.where) + "; the model: " + std::to_string(want.runs) + " times, " + describe(want.where)};
    }
  }
  if (model.raws.size() != runtime.raws.size()) {
    return differs(std::to_string(runtime.raws.size()) + " raw registrations accepted, the model " +
                   std::to_string(model.raws.size()));
  }
  if (model.pool != runtime.pool) {
    return differs("pool statistics created/rented/returned/reused/idle " + describe(runtime.pool) + ", the model " +
                   describe(model.pool));
  }
  if (model.scheduled != runtime.scheduled) {
    return {model.scheduled > runtime.scheduled ? property::no_lost_wakeups : property::model_agreement,
            std::to_string(runtime.scheduled) + " scheduler items wait, the model has " + std::to_string(model.scheduled)};
  }
  // Coroutines and tasks at every step, not only when an op reads them: a resumption that
  // comes early, late or twice, or a task that settles wrongly, shows where it happens.
  if (model.coroutines.size() != runtime.coroutines.size()) {
    return differs(std::to_string(runtime.coroutines.size()) + " coroutines started, the model " +
                   std::to_string(model.coroutines.size()));
  }
  for (std::size_t id = 0; id < model.coroutines.size(); ++id) {
    const coroutine_snapshot& want = model.coroutines[id];
    const coroutine_snapshot& got = runtime.coroutines[id];
    if (want != got) {
      const property what = got.resumes > 1                                            ? property::exactly_once
                            : got.resumes < want.resumes || (want.done && !got.done) ? property::no_lost_wakeups
                                                                                      : property::model_agreement;
      return {what, "coroutine #" + std::to_string(id) + " " + describe(got) + "; the model's " + describe(want)};
    }
  }
  auto tasks_differ = [&](const std::vector<task_state>& want, const std::vector<task_state>& got,
                          const char* slot) -> violation {
    for (std::size_t i = 0; i < want.size() && i < got.size(); ++i) {
      if (want[i] != got[i]) {
        return differs(slot + std::to_string(i) + " is " + describe(got[i]) + "; the model's is " + describe(want[i]));
      }
    }
    return {};
  };
  if (violation v = tasks_differ(model.tasks, runtime.tasks, "T")) return v;
  if (violation v = tasks_differ(model.when_alls, runtime.when_alls, "W")) return v;
  for (std::size_t k = 0; k < model.cancellations.size() && k < runtime.cancellations.size(); ++k) {
    if (model.cancellations[k] != runtime.cancellations[k]) {
      return differs("K" + std::to_string(k) + (runtime.cancellations[k] ? " is" : " is not") +
                     " canceled; the model's " + (model.cancellations[k] ? "is" : "is not"));
    }
  }
  return {};
}

}  // namespace

violation first_difference(const state_snapshot& model, const state_snapshot& runtime, int token_bits) {
  const std::int64_t mask = (std::int64_t{1} << token_bits) - 1;
  if (same_state(model, runtime, mask)) return {};
  return describe_first_difference(model, runtime, mask);
}

std::optional<op> next_drain_op(const state_snapshot& s) {
  if (s.scheduled != 0) return op{op_code::drain_settle, {}};
  for (std::size_t id = 0; id < s.pool_sources.size(); ++id) {
    if (s.pool_sources[id].rented && !s.pool_sources[id].completed()) return op{op_code::drain_complete, {static_cast<std::uint8_t>(id), 0, 0}};
  }
  for (std::size_t slot = 0; slot < s.cores.size(); ++slot) {
    if (!s.cores[slot].completed()) return op{op_code::core_complete, {static_cast<std::uint8_t>(slot), 0, 0}};
  }
  for (std::size_t id = 0; id < s.pool_sources.size(); ++id) {
    if (s.pool_sources[id].rented) return op{op_code::drain_consume, {static_cast<std::uint8_t>(id), 0, 0}};
  }
  for (std::size_t id = 0; id < s.coroutine_results.size(); ++id) {
    // A pending one finishes when what it awaits does; until then there is nothing to consume.
    if (s.coroutine_results[id].rented && s.coroutine_results[id].completed()) return consume_coroutine_result(id);
  }
  return std::nullopt;
}

}  // namespace vth
