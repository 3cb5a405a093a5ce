// The source under test asked directly where the model depends on its answer and rare
// scenarios alone would show a wrong declaration (vth/declared_choices.hpp).
#include <gtest/gtest.h>

#include <vth/declared_choices.hpp>

namespace {

TEST(declared_choices, the_source_runs_inline_continuations_as_its_adapter_declares) {
  EXPECT_EQ(vth::check_declared_dispatch(), "");
}

}  // namespace
