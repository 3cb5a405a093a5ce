#include <algorithm>

#include <vt/schedule_chooser.hpp>

namespace vt {

namespace {
std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
}  // namespace

std::size_t random_chooser::choose(std::size_t ready_count) {
  return static_cast<std::size_t>(splitmix64(state_) % ready_count);
}

std::size_t list_chooser::choose(std::size_t ready_count) {
  if (next_ >= choices_.size()) return 0;
  return choices_[next_++] % ready_count;
}

pct_chooser::pct_chooser(std::uint64_t seed, unsigned depth, std::size_t steps) : state_(seed) {
  for (unsigned i = 1; i < depth; ++i) change_points_.push_back(steps == 0 ? 0 : next_random() % steps);
  std::sort(change_points_.begin(), change_points_.end());
}

std::uint64_t pct_chooser::next_random() noexcept { return splitmix64(state_); }

std::size_t pct_chooser::choose(std::size_t ready_count) {
  // Ready items keep posting order and only the chosen one leaves, so priorities
  // track them by position: new items are appended with fresh random priorities
  // (kept above every lowered one).
  while (priorities_.size() < ready_count) priorities_.push_back(next_random() | (1ull << 63));
  priorities_.resize(ready_count);
  std::size_t best = 0;
  for (std::size_t i = 1; i < ready_count; ++i) {
    if (priorities_[i] > priorities_[best]) best = i;
  }
  if (std::binary_search(change_points_.begin(), change_points_.end(), step_)) {
    // A priority-change point: demote the would-be choice below everything, choose again.
    priorities_[best] = seen_++;
    best = 0;
    for (std::size_t i = 1; i < ready_count; ++i) {
      if (priorities_[i] > priorities_[best]) best = i;
    }
  }
  ++step_;
  priorities_.erase(priorities_.begin() + static_cast<std::ptrdiff_t>(best));
  return best;
}

}  // namespace vt
