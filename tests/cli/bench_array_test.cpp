// The array benches at 2x2 (GREENMAC_BENCH_ARRAY), so that their own synthesis paths cannot break
// silently: `bench timed-sim` once filled in the flow's Yosys script by itself and failed in Yosys
// when the script gained placeholders ({KEEP}, {TIE}, abc.constr) that only synth_array filled in.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "tests/support/cli_util.hpp"
#include "tests/support/tools.hpp"

namespace gm {
namespace {

using test::run_cli;

// The value printed after `label` at the start of a line of the bench's report (-1 when absent).
double reported(const std::string& out, const std::string& label) {
  std::smatch m;
  if (!std::regex_search(out, m, std::regex("(^|\\n)" + label + " +([0-9.]+)"))) return -1;
  return std::stod(m[2]);
}

TEST(BenchArray, TimedSimMapsAndSimulatesATwoByTwoArray) {
  if (!test::synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library missing";
  const auto r = run_cli("bench timed-sim", "GREENMAC_BENCH_ARRAY=2x2");
  // Exit 0: both simulations reproduced the golden GEMM and agreed on the settled values.
  ASSERT_EQ(r.rc, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("array               2x2 drum:k=4,s=1"), std::string::npos) << r.out;
  // A timed simulation of a multiplier tree sees some glitches, and never more transitions than
  // exist: 0 < share < 1.
  const double share = reported(r.out, "glitch share");
  EXPECT_GT(share, 0.0) << r.out;
  EXPECT_LT(share, 1.0) << r.out;
  EXPECT_GT(reported(r.out, "events/s"), 0.0) << r.out;
}

TEST(BenchArray, RejectsAMalformedArraySize) {
  const auto r = run_cli("bench timed-sim", "GREENMAC_BENCH_ARRAY=2by2");
  test::expect_one_line_error(r, "GREENMAC_BENCH_ARRAY");
}

}  // namespace
}  // namespace gm
