#pragma once
// A run that ends the process (std::terminate: say, a noexcept function in the source under
// test threw; or a sanitizer report) never returns its report, so it would leave no trace,
// and a property case would leave only RapidCheck's seed. While a crash_watch lives, such
// an end first prints, on stderr, the steps the watched run finished and the step it was
// in (for a program: the program and whether it ran under task or value_task), and writes
// the input's bytes to a file if it was given one; the bytes then replay like any other
// failing input.
//
// For the replay driver and the properties. Not for libFuzzer targets: libFuzzer owns the
// sanitizers' death callback (it saves the crashing input), and the replay shows the trace.
// One watch at a time; a second one replaces the first until it ends.
#include <string>

#include <vth/runner.hpp>

namespace vth {

class crash_watch final : public step_watcher {
public:
  // `what` names the run for people (an input's path, a property's name).
  explicit crash_watch(std::string what, std::string bytes_path = {});
  ~crash_watch();
  crash_watch(const crash_watch&) = delete;
  crash_watch& operator=(const crash_watch&) = delete;

  void before_step(const scenario& s, const report& so_far, const op& next) noexcept override;
  void before_program_run(const program& p, const char* under) noexcept override;

  // What the process prints and writes as it ends (the handlers call it; a test may too).
  void report_the_end() const noexcept;

private:
  std::string what_;
  std::string bytes_path_;
  // The step in progress; pointers into the watched run, valid while it runs.
  const scenario* scenario_ = nullptr;
  const report* so_far_ = nullptr;
  const op* next_ = nullptr;
  // Or the program in progress, and under which form.
  const program* program_ = nullptr;
  const char* under_ = nullptr;
};

}  // namespace vth
