// Progress on stderr (models/progress.hpp) from the long commands, as a log sees it: stderr is not a
// terminal here (run_cli captures it), so plain lines, the last one always. --quiet and
// GREENMAC_PROGRESS=0 silence it, and stdout is the same with and without it.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/support/cli_util.hpp"
#include "tests/support/progress_lines.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using gm::test::contains;
using gm::test::expect_only_progress_lines;
using gm::test::run_cli;

namespace {

TEST(ProgressCli, CharacterizeCountsItsDesignsOnStderrAndQuietSilencesIt) {
  const fs::path dir = gm::test::temp_dir("gm-test-progress-char");
  // The two baselines themselves: two designs, nothing added.
  const std::string args = "characterize exact:w=4 yosys:w=4 --json -o " + (dir / "rep").string();
  const auto first = run_cli(args);  // may synthesize; the runs below read the same cache entries
  ASSERT_EQ(first.rc, 0) << first.err;
  const auto loud = run_cli(args);
  ASSERT_EQ(loud.rc, 0) << loud.err;
  EXPECT_TRUE(contains(loud.err, "synth 2/2 designs")) << loud.err;
  EXPECT_TRUE(contains(loud.err, "greenmac: characterize: done in ")) << loud.err;
  expect_only_progress_lines(loud.err, "characterize");

  const auto quiet = run_cli(args + " --quiet");
  ASSERT_EQ(quiet.rc, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out, loud.out);  // progress never touches stdout
  EXPECT_FALSE(loud.out.empty());

  const auto by_env = run_cli(args, "GREENMAC_PROGRESS=0");
  ASSERT_EQ(by_env.rc, 0) << by_env.err;
  EXPECT_EQ(by_env.err, "");
  EXPECT_EQ(by_env.out, loud.out);
  fs::remove_all(dir);
}

TEST(ProgressCli, VerifyCountsDesignsAndTheGlobalQuietSilencesIt) {
  const auto loud = run_cli("verify exact:w=4 trunc:w=4,t=2 --json");
  ASSERT_EQ(loud.rc, 0) << loud.err;
  EXPECT_TRUE(contains(loud.err, "verify 2/2 designs")) << loud.err;
  expect_only_progress_lines(loud.err, "verify");
  const auto quiet = run_cli("--quiet verify exact:w=4 trunc:w=4,t=2 --json");  // before the command
  ASSERT_EQ(quiet.rc, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out, loud.out);
}

TEST(ProgressCli, ABadInputIsStillTheOnlyStderrLine) {
  const fs::path dir = gm::test::temp_dir("gm-test-progress-bad");
  // The activity file is read by the synthesis, after the progress has started.
  gm::test::expect_one_line_error(run_cli("characterize exact:w=4 --activity " + (dir / "missing.txt").string() +
                                          " -o " + (dir / "rep").string()),
                                  "missing.txt");
  fs::remove_all(dir);
}

}  // namespace
