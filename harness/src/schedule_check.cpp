#include <vth/schedule_check.hpp>

namespace vth {

std::unique_ptr<vt::schedule_chooser> make_chooser(const program& p) {
  switch (p.schedule) {
    case schedule_kind::list: break;
    case schedule_kind::fifo: return std::make_unique<vt::fifo_chooser>();
    case schedule_kind::seeded_random: return std::make_unique<vt::random_chooser>(p.seed);
    case schedule_kind::pct: return std::make_unique<vt::pct_chooser>(p.seed, p.pct_depth % 4 + 1, 64);
  }
  return std::make_unique<vt::list_chooser>(std::vector<std::uint32_t>(p.choices.begin(), p.choices.end()));
}

std::string check_schedule(const program& p, const std::vector<recording_chooser::choice>& made) {
  const std::unique_ptr<vt::schedule_chooser> again = make_chooser(p);  // a seeded chooser's second run
  for (std::size_t i = 0; i < made.size(); ++i) {
    const auto [ready, picked] = made[i];
    std::size_t promised = picked;
    switch (p.schedule) {
      case schedule_kind::list: promised = i < p.choices.size() ? p.choices[i] % ready : 0; break;
      case schedule_kind::fifo: promised = 0; break;
      case schedule_kind::seeded_random:
      case schedule_kind::pct: promised = again->choose(ready); break;
    }
    if (picked >= ready || picked != promised) {
      return "scheduler choice " + std::to_string(i + 1) + " picked ready item " + std::to_string(picked) + " of " +
             std::to_string(ready) + " where the schedule gives item " + std::to_string(promised);
    }
  }
  return {};
}

}  // namespace vth
