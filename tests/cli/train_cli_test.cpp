// `greenmac train --finetune` from the command line (models/dnn/train/finetune.hpp), on the MLP and a
// few thousand images so that each case takes seconds: approximation-aware fine-tuning wins back
// accuracy that trunc:t=7 loses (measured by the golden path on test images the trainer never
// chose on), channel pruning removes channels from the model file, weight pruning leaves zeros, and
// bad input is one line and exit 2 with no file written. Needs greenmac-train (libtorch).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "models/dnn/evaluate.hpp"
#include "models/dnn/network.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;
using gm::test::expect_one_line_error;
using gm::test::run_cli;

namespace {

bool trainer_built() { return fs::is_regular_file(fs::path(GM_BINARY).parent_path() / "greenmac-train"); }

#define REQUIRE_TRAINER()                                                                   \
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST missing";        \
  if (!trainer_built()) GTEST_SKIP() << "greenmac-train not built (libtorch missing)"

// A quick fine-tuning run of the MLP; returns its JSON.
nlohmann::json finetune(const std::string& args, const std::string& out) {
  const auto r = run_cli("train --finetune mlp --train-images 6000 --val-images 2000 --test-images 2000 --epochs 2 "
                         "--json " + args + " -o " + out);
  EXPECT_EQ(r.rc, 0) << r.err;
  return r.rc == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
}

}  // namespace

TEST(TrainCli, ApproximationAwareFinetuningWinsBackAccuracy) {
  REQUIRE_TRAINER();
  const fs::path dir = gm::test::temp_dir("gm-train-approx");
  const std::string out = (dir / "ft.json").string();
  const auto j = finetune("--mul-layer default=trunc:t=7,s=1 --lr 1e-3", out);
  ASSERT_TRUE(j.contains("test_accuracy")) << j;
  // trunc:t=7 costs the shipped MLP about 25 pp; fine-tuning with the multiplier in the forward
  // pass wins back more than 10 of them on the test images.
  EXPECT_GT(j["test_accuracy"].get<double>(), j["test_accuracy_start"].get<double>() + 0.10) << j;
  EXPECT_GE(j["epoch_kept"].get<int>(), 1);
  EXPECT_GE(j["val_accuracy"].get<double>(), j["val_accuracy_start"].get<double>());

  // The file is a model the golden path reads, and it measures the accuracy the trainer reported.
  const auto ev = run_cli("dnn eval --model " + out + " --images 2000 --json --mul-layer default=trunc:t=7,s=1");
  ASSERT_EQ(ev.rc, 0) << ev.err;
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(ev.out).back()["accuracy"].get<double>(), j["test_accuracy"].get<double>());
  EXPECT_NE(gm::dnn::load_network(out).training.find("fine-tuned"), std::string::npos);
}

// Lower precision (lever 5): quantization-aware fine-tuning to 4-bit operands behind the 8-bit first
// layer writes a model whose narrow layers' weights and inputs fit in 4 bits (checked here on the
// file, not through the code that wrote it), which the golden path then runs on 4-bit multipliers.
TEST(TrainCli, QuantizationAwareFinetuningWritesOperandsOfTheLayersWidth) {
  REQUIRE_TRAINER();
  const fs::path dir = gm::test::temp_dir("gm-train-narrow");
  const std::string out = (dir / "w4.json").string();
  const std::string config = "--mul-layer fc1=exact:s=1 --mul-layer default=exact:w=4,s=1";
  const auto j = finetune(config + " --lr 1e-3", out);
  ASSERT_TRUE(j.contains("test_accuracy")) << j;
  const gm::dnn::Network net = gm::dnn::load_network(out);
  ASSERT_EQ(net.layers.size(), 3u);
  EXPECT_EQ(net.layers[0].out_max, 7) << "fc1 feeds a 4-bit layer";
  EXPECT_EQ(net.layers[1].out_max, 7) << "fc2 feeds a 4-bit layer";
  EXPECT_EQ(net.layers[2].out_max, 32767) << "the scores keep 16 bits";
  const auto [lo0, hi0] = std::minmax_element(net.layers[0].weights.begin(), net.layers[0].weights.end());
  EXPECT_GT(*hi0 - *lo0, 100) << "the first layer keeps 8-bit weights";
  for (size_t i : {1u, 2u}) {
    const auto [lo, hi] = std::minmax_element(net.layers[i].weights.begin(), net.layers[i].weights.end());
    EXPECT_GE(*lo, -7) << "layer " << i;
    EXPECT_LE(*hi, 7) << "layer " << i;
    EXPECT_EQ(std::max(-int{*lo}, int{*hi}), 7) << "each channel's largest weight is +-7, layer " << i;
  }
  EXPECT_GT(j["test_accuracy"].get<double>(), 0.75) << "4-bit hidden layers still classify";
  const auto ev = run_cli("dnn eval --model " + out + " --images 2000 --json " + config);
  ASSERT_EQ(ev.rc, 0) << ev.err;
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(ev.out).back()["accuracy"].get<double>(), j["test_accuracy"].get<double>());
  // The shipped 8-bit model on 4-bit multipliers is refused by layer, and so is a narrow first layer.
  expect_one_line_error(run_cli("dnn eval --model mlp --images 5 " + config), "layer fc2");
  expect_one_line_error(run_cli("train --finetune mlp --mul-layer default=exact:w=6,s=1 -o " + (dir / "x.json").string()),
                        "first layer");
  EXPECT_FALSE(fs::exists(dir / "x.json"));
}

// --min-epoch 1: the start is never kept, even when no epoch beats it on validation (exact int8
// fine-tuning at a tiny learning rate barely moves it).
TEST(TrainCli, MinEpochNeverKeepsTheStart) {
  REQUIRE_TRAINER();
  const fs::path dir = gm::test::temp_dir("gm-train-min-epoch");
  const auto r = run_cli("train --finetune mlp --train-images 2000 --val-images 1000 --test-images 500 --epochs 1 "
                         "--min-epoch 1 --lr 1e-6 --json -o " + (dir / "m.json").string());
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["epoch_kept"], 1);
}

TEST(TrainCli, ChannelPruningRemovesChannelsAndWeightPruningLeavesZeros) {
  REQUIRE_TRAINER();
  const fs::path dir = gm::test::temp_dir("gm-train-prune");
  const gm::dnn::Network shipped = gm::load_dnn_model("mlp");

  const std::string ch = (dir / "channel.json").string();
  const auto c = finetune("--prune 0.5 --prune-mode channel", ch);
  const gm::dnn::Network pruned = gm::dnn::load_network(ch);
  ASSERT_EQ(pruned.layers.size(), shipped.layers.size());
  EXPECT_EQ(pruned.layers[0].out_c, shipped.layers[0].out_c / 2);  // fc1 128 -> 64
  EXPECT_EQ(pruned.layers[1].out_c, shipped.layers[1].out_c / 2);  // fc2 64 -> 32
  EXPECT_EQ(pruned.classes(), shipped.classes());
  EXPECT_EQ(c["macs_per_image"].get<int64_t>(), pruned.macs_per_image());
  EXPECT_LT(pruned.macs_per_image(), shipped.macs_per_image() * 6 / 10);
  EXPECT_GT(c["test_accuracy"].get<double>(), 0.75) << c;  // half the channels cost a few points, not the network

  const std::string wt = (dir / "weight.json").string();
  finetune("--prune 0.6 --prune-mode weight", wt);
  const gm::dnn::Network sparse = gm::dnn::load_network(wt);
  for (size_t i = 0; i < sparse.layers.size(); ++i) {
    const auto& w = sparse.layers[i].weights;
    // Magnitude pruning drops floor(0.6 n) of a layer's n weights (docs/dnn.md, "Pruning"); quantization may add zeros.
    const auto zeros = static_cast<size_t>(std::count(w.begin(), w.end(), 0));
    EXPECT_GE(zeros, static_cast<size_t>(0.6 * static_cast<double>(w.size()))) << "layer " << i;
    EXPECT_EQ(sparse.layers[i].out_c, shipped.layers[i].out_c);
  }
}

TEST(TrainCli, BadInputIsOneLineAndWritesNothing) {
  REQUIRE_TRAINER();
  const fs::path dir = gm::test::temp_dir("gm-train-bad");
  const std::string out = (dir / "m.json").string();
  expect_one_line_error(run_cli("train --finetune mlp --prune 1.5 -o " + out), "--prune");
  expect_one_line_error(run_cli("train --finetune mlp --mul-layer conv9=drum:k=4,s=1 -o " + out), "conv9");
  expect_one_line_error(run_cli("train --finetune mlp --prune-mode rows --prune 0.5 -o " + out), "--prune-mode");
  expect_one_line_error(run_cli("train --finetune mlp --train-images 60000 -o " + out), "--train-images");
  expect_one_line_error(run_cli("train --prune 0.5 -o " + out), "--finetune");
  expect_one_line_error(run_cli("train --finetune mlp --epochs 2 --min-epoch 3 -o " + out), "--min-epoch");
  EXPECT_FALSE(fs::exists(out));
}
