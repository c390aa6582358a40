// `greenmac infer-energy`: bad input is one line on stderr and exit 2, before anything runs.
#include <gtest/gtest.h>

#include "tests/support/cli_util.hpp"

namespace gm {
namespace {

TEST(InferEnergyCli, BadInputsAreOneLineErrorsBeforeAnySynthesis) {
  test::expect_one_line_error(test::run_cli("infer-energy --array 8x8 --mul drum:k=4,s=0 --images 2"), "signed");
  test::expect_one_line_error(test::run_cli("infer-energy --array 0x8 --mul exact:s=1 --images 2"), "array");
  test::expect_one_line_error(test::run_cli("infer-energy --array 2x2 --mul exact:s=1 --clock-ns -1"), "clock");
  test::expect_one_line_error(test::run_cli("infer-energy --array 2x2 --mul nosuch:k=1"), "nosuch");
  test::expect_one_line_error(test::run_cli("infer-energy --array 2x2 --mul exact:s=1 --model /nonexistent.json"),
                              "nonexistent");
}

// Per-layer multipliers: an unknown layer, --mul with --mul-layer or --mul-map, and the voltage
// estimate (one array's slack) with them are refused before any synthesis.
TEST(InferEnergyCli, BadPerLayerOptionsAreOneLineErrorsBeforeAnySynthesis) {
  const std::string base = "infer-energy --array 1x1 --images 2 ";
  test::expect_one_line_error(test::run_cli(base + "--mul-layer conv7=exact:s=1"), "conv1, conv2, fc1");
  test::expect_one_line_error(test::run_cli(base + "--mul exact:s=1 --mul-layer fc1=exact:s=1"), "--mul");
  test::expect_one_line_error(test::run_cli(base + "--mul exact:s=1 --mul-map /nonexistent"), "--mul");
  test::expect_one_line_error(test::run_cli(base + "--voltage --mul-layer fc1=exact:s=1"), "--voltage");
  test::expect_one_line_error(test::run_cli(base + "--model mlp --mul-layer fc1"), "LAYER=SPEC");
}

}  // namespace
}  // namespace gm
