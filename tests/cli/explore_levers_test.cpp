// explore's levers and search sizes (cli/explore/options.hpp), no run: lever names parsed and
// unknown ones refused, and --quick smaller than the default search everywhere but the RTL check
// (and without its time limit).
// `greenmac explore` itself is tested in explore_cli_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "cli/explore/options.hpp"
#include "models/errors.hpp"

TEST(ExploreLevers, ParsesKnownNamesAndRefusesOthers) {
  EXPECT_EQ(gm::explore::parse_levers("prune,approx"), (std::set<std::string>{"approx", "prune"}));
  EXPECT_THROW(gm::explore::parse_levers("prune,magic"), gm::UserError);
  EXPECT_THROW(gm::explore::parse_levers(""), gm::UserError);
  gm::explore::ExploreOptions quick, full;
  gm::explore::set_quick(quick);
  gm::explore::set_default(full);
  EXPECT_LT(quick.val_images, full.val_images);
  EXPECT_LT(quick.structure_epochs, full.structure_epochs);
  EXPECT_TRUE(std::isinf(quick.seconds)) << "--quick has no time limit, so that make demo takes the same steps anywhere";
  EXPECT_TRUE(std::isfinite(full.seconds));
  EXPECT_GE(full.rtl_images, 200u) << "the issue's RTL check";
  EXPECT_GE(quick.rtl_images, 200u);
}
