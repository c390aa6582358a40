// Progress on stderr from the hardware commands that can run long (gemm, infer-energy), as a log
// sees it (stderr not a terminal): the last line counts every stage to its total, and --quiet
// leaves stderr empty. Each case may build or synthesize first, so they are labelled slow in
// tests/labels.cmake.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/support/cli_util.hpp"
#include "tests/support/progress_lines.hpp"
#include "tests/support/tools.hpp"  // have_tool, synth_tools_present

using gm::test::contains;
using gm::test::expect_every_stage_done;
using gm::test::expect_only_progress_lines;
using gm::test::final_progress_line;
using gm::test::run_cli;

namespace {

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

TEST(ProgressCli, GemmCountsTheHarnessBuildAndTheRunAndQuietSilencesIt) {
  if (!gm::have_tool("verilator")) GTEST_SKIP() << "no verilator";
  const std::string args = "gemm --array 2x2 --mul exact:s=1 --m 6 --k 4 --n 4 --seed 2";
  const auto loud = run_cli(args);
  ASSERT_EQ(loud.rc, 0) << loud.out << loud.err;
  const std::string last = final_progress_line(loud.err, "gemm");
  EXPECT_TRUE(contains(last, "build 1/1 harnesses")) << loud.err;
  EXPECT_TRUE(contains(last, "simulate 1/1 GEMMs")) << loud.err;
  expect_every_stage_done(last);
  expect_only_progress_lines(loud.err, "gemm");

  const auto quiet = run_cli(args + " -q");
  ASSERT_EQ(quiet.rc, 0) << quiet.out << quiet.err;
  EXPECT_EQ(quiet.err, "");
  // The verdict line; the ones below it carry the run's timings.
  EXPECT_EQ(first_line(quiet.out), first_line(loud.out));
  EXPECT_EQ(first_line(loud.out).rfind("PASS 2x2 ", 0), 0u) << loud.out;
}

TEST(ProgressCli, InferEnergyCountsTheArrayAndItsImages) {
  if (!gm::test::synth_tools_present() || !gm::test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, osu018 or Fashion-MNIST missing";
  // One MLP image (about 10^5 cycles of the 1x1 array's gates: tens of seconds on a loaded machine).
  const std::string args = "infer-energy --array 1x1 --mul exact:s=1 --model mlp --images 1 -j 1 --activity-model zero";
  const auto loud = run_cli(args);
  ASSERT_EQ(loud.rc, 0) << loud.out << loud.err;
  const std::string last = final_progress_line(loud.err, "infer-energy");
  EXPECT_TRUE(contains(last, "synthesis 1/1 arrays")) << loud.err;
  EXPECT_TRUE(contains(last, "images 1/1 images")) << loud.err;
  EXPECT_FALSE(contains(last, "timed window")) << "--activity-model zero has no timed window: " << last;
  expect_every_stage_done(last);
  expect_only_progress_lines(loud.err, "infer-energy");
  // --quiet is the one option every command shares (cli/quiet_option.hpp), checked with --quiet on
  // the cheaper commands above and in progress_cli_test.cpp: not a second whole inference here.
}

}  // namespace
