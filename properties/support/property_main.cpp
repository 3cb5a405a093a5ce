// main() for every property binary: RapidCheck reads RC_PARAMS as it documents; when the
// user sets none, this binary's own case count (tuned so the suite stays fast) applies.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#ifndef VTH_DEFAULT_CASES
#define VTH_DEFAULT_CASES 100
#endif

int main(int argc, char** argv) {
  if (std::getenv("RC_PARAMS") == nullptr) {
    const std::string params = "max_success=" + std::to_string(VTH_DEFAULT_CASES);
    setenv("RC_PARAMS", params.c_str(), 0);
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
