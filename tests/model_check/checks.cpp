// vtlab's model checks: the runtime's own families, and the kit's source checks
// (harness/model_check/source_checks.hpp) on vtlab's pools, as a user's source gets them.
#include "families.hpp"
#include "source_checks.hpp"

namespace vt_model_check {

std::vector<check> registered_checks() {
  std::vector<check> checks;
  for (auto family : {source_protocol_checks(), task_checks(), cancellation_checks(), scheduler_checks(),
                      thread_pool_checks()}) {
    checks.insert(checks.end(), family.begin(), family.end());
  }
  for (const check& c : sources::source_checks<vth::vtlab_pools>("vtlab_pools.")) checks.push_back(c);
  return checks;
}

}  // namespace vt_model_check
