// `greenmac dnn tune` from the command line: the lever recovers accuracy (trunc:t=6 loses it by a bias
// that adds up over K; tuned weights, from training images, win it back on the test images), layers
// left exact keep their weights, the tuned file is a model the golden path reads, and bad input is one
// line and exit 2 before any work.
#include <gtest/gtest.h>

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

TEST(DnnTuneCli, TunedWeightsRecoverTestAccuracyAndExactLayersKeepTheirs) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST missing";
  const fs::path dir = gm::test::temp_dir("gm-dnn-tune");
  const std::string out = (dir / "tuned.json").string();
  auto r = run_cli("dnn tune --mul-layer conv2=trunc:t=6,s=1 --mul-layer fc1=trunc:t=6,s=1 --calib-images 1000 "
                   "--images 1000 --json -o " + out);
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["accuracy_after"].get<double>(), j["accuracy_before"].get<double>() + 0.01) << r.out;
  EXPECT_EQ(j["calib_split"], "train") << "never the validation split, on which levers choose";
  ASSERT_EQ(j["layers"].size(), 2u);
  for (const auto& l : j["layers"]) EXPECT_LT(l["error_after"].get<double>(), l["error_before"].get<double>());

  const gm::dnn::Network shipped = gm::load_dnn_model("cnn");
  const gm::dnn::Network tuned = gm::dnn::load_network(out);
  ASSERT_EQ(tuned.layers.size(), shipped.layers.size());
  EXPECT_EQ(tuned.layers[0].weights, shipped.layers[0].weights);  // conv1 stayed exact
  EXPECT_NE(tuned.layers[2].weights, shipped.layers[2].weights);  // conv2 was tuned
  EXPECT_NE(tuned.training.find("dnn tune"), std::string::npos);

  // The file is a model: the golden path evaluates it with the same multipliers and gets the
  // accuracy the tune command reported.
  auto ev = run_cli("dnn eval --model " + out + " --images 1000 --json --mul-layer conv2=trunc:t=6,s=1 "
                    "--mul-layer fc1=trunc:t=6,s=1");
  ASSERT_EQ(ev.rc, 0) << ev.err;
  const auto e = nlohmann::json::parse(ev.out);
  EXPECT_DOUBLE_EQ(e.back()["accuracy"].get<double>(), j["accuracy_after"].get<double>());
}

TEST(DnnTuneCli, BadInputIsOneLineBeforeAnyWork) {
  const fs::path dir = gm::test::temp_dir("gm-dnn-tune-bad");
  const std::string out = (dir / "t.json").string();
  expect_one_line_error(run_cli("dnn tune --mul-layer conv9=drum:k=4,s=1 -o " + out), "conv9");
  expect_one_line_error(run_cli("dnn tune -o " + out), "--mul-layer");
  expect_one_line_error(run_cli("dnn tune --mul-layer conv1=drum:k=4,s=0 -o " + out), "signed");
  expect_one_line_error(run_cli("dnn tune --mul-layer conv1=drum:k=4,s=1 -o " + dir.string()), "directory");
  EXPECT_FALSE(fs::exists(out));
}
