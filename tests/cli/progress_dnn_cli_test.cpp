// Progress on stderr from the DNN commands that can run long (dnn sensitivity, dnn tune, train), as
// a log sees it (stderr not a terminal): the last line counts every stage to its total, and
// --quiet leaves stderr empty without changing stdout. Small inputs: the MLP, tens of images.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/cli_util.hpp"
#include "tests/support/progress_lines.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;
using gm::test::contains;
using gm::test::expect_every_stage_done;
using gm::test::expect_only_progress_lines;
using gm::test::final_progress_line;
using gm::test::run_cli;

namespace {

// A JSON report without its timing, which differs between two runs.
nlohmann::json without_seconds(const std::string& out) {
  nlohmann::json j = nlohmann::json::parse(out);
  j.erase("seconds");
  return j;
}

TEST(ProgressCli, DnnSensitivityCountsItsImagesAndQuietSilencesIt) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST missing";
  // 30 images in batches of 20: two steps, the second a partial batch.
  const std::string args = "dnn sensitivity --model mlp --images 30 --batch 20 --mul drum:k=4,s=1 --json";
  const auto loud = run_cli(args);
  ASSERT_EQ(loud.rc, 0) << loud.err;
  const std::string last = final_progress_line(loud.err, "dnn sensitivity");
  EXPECT_TRUE(contains(last, "images 30/30 images")) << loud.err;
  expect_every_stage_done(last);
  expect_only_progress_lines(loud.err, "dnn sensitivity");

  const auto quiet = run_cli(args + " --quiet");
  ASSERT_EQ(quiet.rc, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(without_seconds(quiet.out), without_seconds(loud.out));
}

TEST(ProgressCli, DnnTuneCountsItsStepsAndQuietSilencesIt) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST missing";
  const fs::path dir = gm::test::temp_dir("gm-test-progress-tune");
  const std::string args = "dnn tune --model mlp --mul-layer fc1=trunc:t=6,s=1 --calib-images 50 --images 40 --json -o ";
  const auto loud = run_cli(args + (dir / "loud.json").string());
  ASSERT_EQ(loud.rc, 0) << loud.err;
  const std::string last = final_progress_line(loud.err, "dnn tune");
  // The histograms, the tuning, and the accuracy of the exact, untuned and tuned networks.
  EXPECT_TRUE(contains(last, "steps 5/5 steps")) << loud.err;
  expect_every_stage_done(last);
  expect_only_progress_lines(loud.err, "dnn tune");

  const auto quiet = run_cli("--quiet " + args + (dir / "quiet.json").string());  // the app's --quiet
  ASSERT_EQ(quiet.rc, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  nlohmann::json a = without_seconds(loud.out), b = without_seconds(quiet.out);
  a.erase("output"), b.erase("output");
  EXPECT_EQ(a, b);
  fs::remove_all(dir);
}

// greenmac train runs greenmac-train in its place: the trainer reports its epochs under the same
// name, and --quiet given to greenmac reaches it.
TEST(ProgressCli, TrainCountsItsEpochsAndQuietReachesTheTrainer) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST missing";
  if (!fs::is_regular_file(fs::path(GM_BINARY).parent_path() / "greenmac-train"))
    GTEST_SKIP() << "greenmac-train not built (libtorch missing)";
  const fs::path dir = gm::test::temp_dir("gm-test-progress-train");
  const std::string args = "train --finetune mlp --train-images 640 --val-images 100 --test-images 100 --epochs 2 --json -o ";
  const auto loud = run_cli(args + (dir / "loud.json").string());
  ASSERT_EQ(loud.rc, 0) << loud.err;
  EXPECT_TRUE(contains(loud.err, "greenmac: train: epoch 1/2: loss ")) << loud.err;
  EXPECT_TRUE(contains(loud.err, "greenmac: train: epoch 2/2: loss ")) << loud.err;
  const std::string last = final_progress_line(loud.err, "train");
  EXPECT_TRUE(contains(last, "epochs 2/2 epochs")) << loud.err;
  expect_every_stage_done(last);

  const auto quiet = run_cli(args + (dir / "quiet.json").string() + " --quiet");
  ASSERT_EQ(quiet.rc, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  // The same seed: the same fine-tuning, whatever the progress did.
  const auto a = nlohmann::json::parse(loud.out), b = nlohmann::json::parse(quiet.out);
  EXPECT_EQ(a.at("test_accuracy"), b.at("test_accuracy"));
  EXPECT_EQ(a.at("epoch_kept"), b.at("epoch_kept"));
  fs::remove_all(dir);
}

}  // namespace
