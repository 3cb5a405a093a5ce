#include <vth/crash_watch.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <mutex>

#include <vth/codec.hpp>
#include <vth/printer.hpp>

// Present when a sanitizer runtime is linked in; null in the release build.
extern "C" __attribute__((weak)) void __sanitizer_set_death_callback(void (*callback)());

namespace vth {

namespace {

std::atomic<const crash_watch*> watching{nullptr};
std::terminate_handler previous_terminate = nullptr;

// Whichever handler comes first reports; the pointer is taken, so only once.
void report_if_watching() {
  if (const crash_watch* watch = watching.exchange(nullptr)) watch->report_the_end();
}

void on_terminate() {
  report_if_watching();
  if (previous_terminate != nullptr) previous_terminate();  // names the exception, aborts
  std::abort();
}

void install_handlers_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    previous_terminate = std::set_terminate(on_terminate);
    if (__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(report_if_watching);
  });
}

}  // namespace

crash_watch::crash_watch(std::string what, std::string bytes_path)
    : what_(std::move(what)), bytes_path_(std::move(bytes_path)) {
  install_handlers_once();
  watching.store(this);
}

crash_watch::~crash_watch() {
  const crash_watch* self = this;
  watching.compare_exchange_strong(self, nullptr);
}

void crash_watch::before_step(const scenario& s, const report& so_far, const op& next) noexcept {
  program_ = nullptr;
  scenario_ = &s;
  so_far_ = &so_far;
  next_ = &next;
}

void crash_watch::before_program_run(const program& p, const char* under) noexcept {
  scenario_ = nullptr;
  program_ = &p;
  under_ = under;
}

namespace {
// Writes an input's bytes for the replay tool; the line that says where, or why not.
std::string write_input(const std::string& path, const std::vector<std::uint8_t>& bytes, const char* kind) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return out ? std::string(kind) + " bytes: " + path + " (replay them with the fuzz replay tool)\n"
             : std::string("The ") + kind + "'s bytes could not be written to " + path + "\n";
}
}  // namespace

// It allocates and writes a file although a sanitizer's report of a signal (SEGV) runs in
// the signal handler: the process is ending anyway, and a trace beats strict signal safety.
void crash_watch::report_the_end() const noexcept {
  std::fflush(stdout);  // what the tool printed before, in order
  std::string text = "\nvtlab: " + what_ + ": the process is ending (std::terminate or a sanitizer report)";
  try {
    if (program_ != nullptr) {
      text += std::string(" while the program ran under ") + under_ + ".\nprogram: " + describe(program_->root) + "\n";
      if (!bytes_path_.empty()) text += write_input(bytes_path_, encode(*program_), "Program");
    } else if (scenario_ == nullptr) {
      text += ", before the scenario's first step.\n";
    } else {
      text += " in step " + std::to_string(so_far_->steps.size() + 1) + ".\nsettings: " + describe(scenario_->settings) +
              "\n" + print_trace_ending_in(*scenario_, *so_far_, *next_);
      if (!bytes_path_.empty()) text += write_input(bytes_path_, encode(*scenario_), "Scenario");
    }
  } catch (...) {
    text += " (its trace could not be printed)\n";
  }
  (void)!::write(STDERR_FILENO, text.data(), text.size());
}

}  // namespace vth
