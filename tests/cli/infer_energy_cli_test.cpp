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

}  // namespace
}  // namespace gm
