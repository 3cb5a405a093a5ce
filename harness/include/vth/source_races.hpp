#pragma once
// Races on real threads for a source under test (source_under_test.hpp): the three the
// contract names for a pooled source, each repeated `rounds` times on two threads released
// together, so that the interleavings the hardware offers come up:
//
//   completion_vs_registration  one thread completes the source while the other registers a
//       continuation: the continuation runs exactly once (a registration that loses the
//       race must still be told), and the reader gets the value the completer stored
//   consumption_vs_consumption  a completed generation consumed through its token on two
//       threads at once: exactly one reads the value, the other gets vt::invalid_operation
//   stale_call_vs_recycle       one thread consumes (the source recycles) while the other
//       asks the same token for its status: the completed status or invalid_operation,
//       nothing else; afterwards the token is refused
//
// Each race runs its rounds, or as many as 10 s allow on a loaded machine. A race lost
// shows as a wrong count or value, or a continuation never run (waited for 2 s); under ThreadSanitizer also as a data race report inside the source (a completion
// published with a relaxed store, say). Each returns "" when every round held, else what
// broke in the first round that failed.
#include <atomic>
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <thread>

#include <vt/errors.hpp>
#include <vth/source_under_test.hpp>

namespace vth {

enum class source_race { completion_vs_registration, consumption_vs_consumption, stale_call_vs_recycle };

// The races of the source under test: vtlab's own pools, unless a binary installed others
// (scenario_runner.hpp: checked_sources).
std::string run_race(source_race which, int rounds);
using race_runner = std::string (*)(source_race, int);
void use_race_runner(race_runner runner) noexcept;

namespace detail {

// Two threads meet by spinning while both run (a wake-up takes microseconds, and a race's
// window can be a few instructions), and sleep on the counter when the other is not running
// (a loaded machine): the k-th meeting returns once both have arrived.
class rendezvous {
public:
  void meet(int k) {
    const int target = 2 * k;
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 >= target) {
      arrived_.notify_all();
      return;
    }
    for (int spins = 0; spins < 20'000; ++spins) {
      if (arrived_.load(std::memory_order_acquire) >= target) return;
    }
    for (int now = arrived_.load(std::memory_order_acquire); now < target; now = arrived_.load(std::memory_order_acquire)) {
      arrived_.wait(now, std::memory_order_acquire);
    }
  }

private:
  std::atomic<int> arrived_{0};
};

// Spins `n` times: each round offsets the two sides by a different amount, from none to
// a few hundred instructions either way, so that the rounds sweep the window a race needs.
inline void stagger(int n) {
  for (volatile int i = 0; i < n; i = i + 1) {
  }
}
inline int offset_here(int round) { return static_cast<int>((static_cast<unsigned>(round) * 2654435761u) >> 23); }
inline int offset_there(int round) { return static_cast<int>((static_cast<unsigned>(round) * 40503u + 977u) % 512u); }

// A race's rounds end at `rounds` or after this long, whichever comes first: on a loaded
// machine the threads seldom run at once, and a round costs a wake-up.
inline constexpr std::chrono::seconds race_budget{10};

// Each round: `prepare` on this thread, then `here` on this thread and `there` on a thread
// kept for all rounds, released together (staggered by a few instructions, differently
// each round); then `check` here. Stops at the first problem.

template <class Prepare, class Here, class There, class Check>
std::string race_rounds(int rounds, Prepare&& prepare, Here&& here, There&& there, Check&& check) {
  const auto deadline = std::chrono::steady_clock::now() + race_budget;
  rendezvous meeting;
  bool stop = false;  // written before a meeting the other thread passes next
  std::jthread other([&] {
    for (int k = 1;; k += 2) {
      meeting.meet(k);
      if (stop) return;
      stagger(offset_there(k / 2));
      there();
      meeting.meet(k + 1);
    }
  });
  std::string problem;
  int k = 1;
  for (int round = 0; round < rounds && problem.empty(); ++round, k += 2) {
    if (round % 1024 == 1023 && std::chrono::steady_clock::now() > deadline) break;
    prepare(round);
    meeting.meet(k);
    stagger(offset_here(round));
    here();
    meeting.meet(k + 1);
    problem = check(round);
    if (!problem.empty()) problem = "round " + std::to_string(round + 1) + " of " + std::to_string(rounds) + ": " + problem;
  }
  stop = true;
  meeting.meet(k);
  return problem;
}

// A raw continuation that counts its runs.
struct counted_continuation {
  std::atomic<int> runs{0};
  static void run(void* self) { static_cast<counted_continuation*>(self)->runs.fetch_add(1, std::memory_order_acq_rel); }
  bool ran_within(std::chrono::milliseconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (runs.load(std::memory_order_acquire) == 0) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::yield();
    }
    return true;
  }
};

// A call's answer: its value, or that it threw invalid_operation, or what else it threw.
template <class T>
struct answer {
  std::optional<T> value;
  bool refused = false;
  std::string other;  // anything but invalid_operation
};
template <class T, class Call>
answer<T> ask(Call&& call) {
  answer<T> a;
  try {
    a.value = call();
  } catch (const vt::invalid_operation&) {
    a.refused = true;
  } catch (const std::exception& e) {
    a.other = e.what();
  } catch (...) {
    a.other = "a non-standard exception";
  }
  return a;
}

}  // namespace detail

template <source_under_test Sources>
std::string race(source_race which, int rounds) {
  using detail::answer;
  using detail::ask;
  typename Sources::template pool<int> pool(2, 0);
  typename Sources::template source<int>* source = nullptr;
  vt::token_t token = 0;
  auto rent = [&] {
    source = &pool.rent();
    token = source->version();
  };
  auto rent_completed = [&](int round) {  // what the consumption races start from
    rent();
    source->set_result(round);
  };
  switch (which) {
    case source_race::completion_vs_registration: {
      // The reader consumes as soon as its continuation has run, while the completer may
      // still be inside its call: nothing but the source orders the outcome's write before
      // that read (the two threads meet again only after).
      detail::counted_continuation continuation;
      int stored = 0;
      bool told = false;
      answer<int> read;
      return detail::race_rounds(
          rounds,
          [&](int round) {
            rent();
            continuation.runs.store(0, std::memory_order_relaxed);
            stored = round;
          },
          [&] {
            source->on_completed(&detail::counted_continuation::run, &continuation, token, vt::on_completed_flags::none);
            told = continuation.ran_within(std::chrono::seconds(2));
            read = ask<int>([&] { return source->get_result(token); });
          },
          [&] { source->set_result(stored); },
          [&](int round) -> std::string {
            if (!told) return "a continuation registered while the source completed was never run (a lost wakeup)";
            if (!read.value) return "the completed generation could not be read: " + (read.refused ? "refused" : read.other);
            if (*read.value != round) {
              return "read " + std::to_string(*read.value) + " where the completer stored " + std::to_string(round);
            }
            if (const int runs = continuation.runs.load(std::memory_order_acquire); runs != 1) {
              return "the continuation ran " + std::to_string(runs) + " times";
            }
            return {};
          });
    }
    case source_race::consumption_vs_consumption: {
      answer<int> here, there;
      return detail::race_rounds(
          rounds,
          rent_completed,
          [&] { here = ask<int>([&] { return source->get_result(token); }); },
          [&] { there = ask<int>([&] { return source->get_result(token); }); },
          [&](int round) -> std::string {
            for (const answer<int>* a : {&here, &there}) {
              if (!a->other.empty()) return "a consumer got " + a->other + " (not invalid_operation)";
              if (a->value && *a->value != round) return "a consumer read " + std::to_string(*a->value);
            }
            if (here.value && there.value) return "both consumers read the value: consumed twice";
            if (!here.value && !there.value) return "neither consumer read the value";
            return {};
          });
    }
    case source_race::stale_call_vs_recycle: {
      answer<int> consumed;
      answer<vt::source_status> asked;
      return detail::race_rounds(
          rounds,
          rent_completed,
          [&] { consumed = ask<int>([&] { return source->get_result(token); }); },
          [&] { asked = ask<vt::source_status>([&] { return source->status(token); }); },
          [&](int round) -> std::string {
            if (consumed.value != round) return "the consumer did not read " + std::to_string(round);
            if (!asked.other.empty()) return "the stale status call got " + asked.other + " (not invalid_operation)";
            if (asked.value && *asked.value != vt::source_status::succeeded) {
              return "the stale token read the recycled generation's status";
            }
            const answer<vt::source_status> after = ask<vt::source_status>([&] { return source->status(token); });
            if (!after.refused) return "after the recycle, the consumed token was not refused";
            return {};
          });
    }
  }
  return "unknown race";
}

}  // namespace vth
