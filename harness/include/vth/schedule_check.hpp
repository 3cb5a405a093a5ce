#pragma once
// A program's schedule as the runtime's chooser made it, checked against what its kind
// promises (docs/semantics.md section 6: "an explicit list of choices, so a schedule can be
// replayed exactly"). Results and side effects cannot show a chooser that ignores its
// list or its seed: task and value_task share the chooser, and a program's result does not
// depend on the order. So the harness records every choice and checks it.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <vt/schedule_chooser.hpp>
#include <vth/program.hpp>

namespace vth {

// The runtime's chooser for a program's schedule kind (program.hpp).
std::unique_ptr<vt::schedule_chooser> make_chooser(const program& p);

// Passes each choice through to the runtime's chooser, keeping what it was asked and said.
class recording_chooser final : public vt::schedule_chooser {
public:
  struct choice {
    std::size_t ready_count;
    std::size_t picked;
  };
  explicit recording_chooser(std::unique_ptr<vt::schedule_chooser> inner) noexcept : inner_(std::move(inner)) {}
  std::size_t choose(std::size_t ready_count) override {
    const std::size_t picked = inner_->choose(ready_count);
    made_.push_back({ready_count, picked});
    return picked;
  }
  const std::vector<choice>& made() const noexcept { return made_; }

private:
  std::unique_ptr<vt::schedule_chooser> inner_;
  std::vector<choice> made_;
};

// "" when every choice is what the kind promises: each one an index among the ready items;
// a list's i-th choice its i-th entry modulo the ready count, then the oldest (FIFO); FIFO
// the oldest; a seeded chooser (random, PCT) the same choices again from the same seed.
std::string check_schedule(const program& p, const std::vector<recording_chooser::choice>& made);

}  // namespace vth
