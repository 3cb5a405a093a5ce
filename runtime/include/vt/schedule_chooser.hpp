#pragma once
// Which ready item a manual_scheduler runs next: a pluggable, deterministic choice.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace vt {

class schedule_chooser {
public:
  virtual ~schedule_chooser() = default;
  // An index in [0, ready_count); ready_count >= 1. Items are in posting order.
  virtual std::size_t choose(std::size_t ready_count) = 0;
};

// The oldest ready item first.
class fifo_chooser final : public schedule_chooser {
public:
  std::size_t choose(std::size_t) override { return 0; }
};

// A seeded pseudo-random choice (splitmix64: the same on every platform and library).
class random_chooser final : public schedule_chooser {
public:
  explicit random_chooser(std::uint64_t seed) noexcept : state_(seed) {}
  std::size_t choose(std::size_t ready_count) override;

private:
  std::uint64_t state_;
};

// Replays an explicit list: choice i picks choices[i] modulo the ready count; FIFO
// once the list is used up. `consumed()` tells how many were used.
class list_chooser final : public schedule_chooser {
public:
  explicit list_chooser(std::vector<std::uint32_t> choices) noexcept : choices_(std::move(choices)) {}
  std::size_t choose(std::size_t ready_count) override;
  std::size_t consumed() const noexcept { return next_; }

private:
  std::vector<std::uint32_t> choices_;
  std::size_t next_ = 0;
};

// Probabilistic concurrency testing (Burckhardt et al.): random priorities per item and
// `depth - 1` priority-change points over an expected `steps` steps.
class pct_chooser final : public schedule_chooser {
public:
  pct_chooser(std::uint64_t seed, unsigned depth, std::size_t steps);
  std::size_t choose(std::size_t ready_count) override;

private:
  std::uint64_t next_random() noexcept;
  std::uint64_t state_;
  std::vector<std::uint64_t> priorities_;  // by posting sequence number
  std::vector<std::size_t> change_points_;
  std::size_t step_ = 0;
  std::size_t seen_ = 0;  // items seen so far (approximates sequence numbers)
};

}  // namespace vt
