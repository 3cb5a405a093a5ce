#include <vth/declared_choices.hpp>

#include <atomic>

namespace vth {

namespace {
// Set before main by a binary that checks other sources (checked_sources).
std::atomic<choice_check> installed_check{&declared_dispatch_holds<vtlab_pools>};
}  // namespace

void use_declared_dispatch_check(choice_check check) noexcept { installed_check.store(check); }

std::string check_declared_dispatch() { return installed_check.load(std::memory_order_relaxed)(); }

}  // namespace vth
