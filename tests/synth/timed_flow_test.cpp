// The timed activity in the synthesis flow: `--activity-model timed` (the default) against zero on
// one multiplier, and the CLI's handling of a bad model.
#include <gtest/gtest.h>

#include "models/spec.hpp"
#include "synth/mult_synth.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/tools.hpp"

namespace gm {
namespace {

// Same design, same stream: the timed run counts glitches (a Dadda multiplier has many), so its
// simulated power is higher and its glitch share positive; the zero-delay run has none. The two are
// different cache entries (the model is part of the key).
TEST(TimedFlow, TimedActivityCountsGlitchesAndZeroDelayDoesNot) {
  if (!test::synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library missing";
  const std::vector<Spec> specs{parse_spec("exact:w=6,s=0")};
  SynthOptions opt;
  opt.cycles = 2000;
  opt.activity_model = "zero";
  const SynthResult zero = synth_designs(specs, opt).at(0);
  opt.activity_model = "timed";
  const SynthResult timed = synth_designs(specs, opt).at(0);
  EXPECT_FALSE(timed.cached && !zero.cached);  // a zero-delay entry never answers a timed run
  EXPECT_TRUE(zero.netlist_matches_model);
  EXPECT_TRUE(timed.netlist_matches_model);  // the timed simulation settles to the products too
  EXPECT_EQ(zero.activity_model, "zero");
  EXPECT_EQ(timed.activity_model, "timed");
  EXPECT_EQ(zero.glitch_share, 0.0);
  EXPECT_GT(timed.glitch_share, 0.1);
  EXPECT_LT(timed.glitch_share, 0.9);
  EXPECT_GT(timed.mean_activity, zero.mean_activity);
  EXPECT_GT(timed.simulated.dynamic_mw(), zero.simulated.dynamic_mw());
  EXPECT_EQ(timed.area_um2, zero.area_um2);  // the same netlist
  EXPECT_EQ(timed.vectorless.total_mw, zero.vectorless.total_mw);
  const nlohmann::json j = synth_result_json(timed);
  EXPECT_EQ(j.at("glitch_share").get<double>(), timed.glitch_share);
  // The last two columns of the header (the merge of `ws` put its columns before them).
  EXPECT_NE(synth_csv({timed}).find(",activity_model,glitch_share\n"), std::string::npos);
}

TEST(TimedFlow, BadActivityModelIsAOneLineError) {
  if (!test::synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library missing";
  const auto r = test::run_cli("synth exact --activity-model fast");
  test::expect_one_line_error(r, "--activity-model must be timed");
}

}  // namespace
}  // namespace gm
