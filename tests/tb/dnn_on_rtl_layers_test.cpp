// Per-layer multipliers on the Verilated array (`dnn rtl --mul-layer`): each conv/fc layer runs on
// an array of its own multiplier and is checked against the golden per-layer inference
// (dnn::LayerGemm); an array built with the wrong multiplier for one layer is caught in that layer.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "models/dnn/evaluate.hpp"
#include "models/dnn/layer_gemm.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "tb/dnn_on_rtl.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/tools.hpp"

namespace {

using gm::test::expect_one_line_error;
using gm::test::run_cli;

std::string canon(const std::string& spec) { return gm::parse_spec(spec).canonical(); }

// Two approximate multipliers and the exact default on the CNN: no mismatch anywhere, each layer
// reports the multiplier it was given, and the accuracy is `dnn eval`'s per-layer row's on the
// same images (a separate command, the golden product-table inference).
TEST(DnnRtlLayers, TwoSpecCnnOnA4x4ArrayEqualsTheGoldenPerLayerEval) {
  if (!gm::have_tool("verilator") || !gm::test::fashion_mnist_present())
    GTEST_SKIP() << "needs verilator and Fashion-MNIST";
  const std::string layers = "--mul-layer conv1=drum:k=3,s=1 --mul-layer fc1=trunc:t=7,s=1";
  const auto r = run_cli("dnn rtl --array 4x4 --images 8 --mul-model lut --json " + layers);
  ASSERT_EQ(r.rc, 0) << r.out << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["mismatches"], 0);
  EXPECT_EQ(j["layer_mismatches"], 0);
  EXPECT_EQ(j["cycles"], j["cycles_model"]);
  const std::string conv1 = canon("drum:k=3,s=1"), conv2 = canon("exact:s=1"), fc1 = canon("trunc:t=7,s=1");
  EXPECT_EQ(j["spec"], "conv1=" + conv1 + ";conv2=" + conv2 + ";fc1=" + fc1);
  EXPECT_EQ(j["layer_specs"], (nlohmann::json{{"conv1", conv1}, {"conv2", conv2}, {"fc1", fc1}}));
  EXPECT_EQ(j["name"].get<std::string>().rfind("gm_layers_", 0), 0u) << j["name"];
  ASSERT_EQ(j["layers"].size(), 3u);
  for (const auto& l : j["layers"]) {
    EXPECT_GT(l["outputs"], 0);
    EXPECT_EQ(l["mismatches"], 0) << l["name"];
    EXPECT_EQ(l["spec"], j["layer_specs"][l["name"].get<std::string>()]);
  }
  const auto eval = run_cli("dnn eval --images 8 --json " + layers);
  ASSERT_EQ(eval.rc, 0) << eval.err;
  const auto rows = nlohmann::json::parse(eval.out);
  const auto& row = rows.back();  // the per-layer row comes last
  ASSERT_TRUE(row.contains("layers")) << eval.out;
  EXPECT_EQ(j["accuracy"], row["accuracy"]);
  EXPECT_EQ(j["golden_accuracy"], row["accuracy"]);

  const auto text = run_cli("dnn rtl --array 4x4 --images 8 --mul-model lut " + layers);
  ASSERT_EQ(text.rc, 0) << text.out << text.err;
  EXPECT_NE(text.out.find("conv1 (conv"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(") on " + fc1 + ": 0 of "), std::string::npos) << text.out;
}

// The per-layer runner slots with the MLP on a 2x2 array: the right arrays give the golden
// per-layer logits; an array of the wrong multiplier (exact where fc2 wants drum) in fc2's slot
// gives mismatches in fc2's check and in no earlier layer, and logits that differ.
TEST(DnnRtlLayers, AnArrayOfTheWrongMultiplierForOneLayerIsCaughtInThatLayer) {
  if (!gm::have_tool("verilator") || !gm::test::fashion_mnist_present())
    GTEST_SKIP() << "needs verilator and Fashion-MNIST";
  const gm::dnn::Network net = gm::load_dnn_model("mlp");
  const gm::ImageSet test = gm::load_dnn_test_set("", 6, net);
  const gm::dnn::LayerMultipliers config = gm::dnn::layer_multipliers_from_options({"fc2=drum:k=3,s=1"}, "");
  gm::dnn::LayerGemm golden_engine(net, config);
  const auto golden = gm::dnn::run_network(net, test.pixels.data(), test.count(), golden_engine, 3);
  const auto array_of = [](const std::string& spec) {
    return gm::GemmRunner(gm::make_array_config(2, 2, gm::parse_spec(spec), "", 32, false, 0, true));
  };
  const gm::GemmRunner exact = array_of("exact:s=1"), drum = array_of("drum:k=3,s=1");
  const auto golden_factory = [&] { return std::make_unique<gm::dnn::LayerGemm>(net, config, 1); };
  ASSERT_EQ(net.layers.size(), 3u);  // fc1, fc2, fc3

  const auto right = gm::run_batches_on_arrays({&exact, &drum, &exact}, net, test, 3, 2, golden_factory);
  EXPECT_EQ(right.logits, golden);
  for (const auto& l : right.totals.layers) {
    EXPECT_GT(l.outputs, 0u);
    EXPECT_EQ(l.mismatches, 0u) << l.layer;
    EXPECT_EQ(l.cycles, l.cycles_model) << l.layer;
  }

  const auto wrong = gm::run_batches_on_arrays({&exact, &exact, &exact}, net, test, 3, 2, golden_factory);
  EXPECT_EQ(wrong.totals.layers[0].mismatches, 0u);
  EXPECT_GT(wrong.totals.layers[1].mismatches, 0u);
  EXPECT_EQ(wrong.totals.layers[2].mismatches, 0u);  // fc3 is checked on the inputs it got
  EXPECT_NE(wrong.logits, golden);
}

TEST(DnnRtlLayers, CliRefusesAnUnknownLayerAndMulWithMulLayer) {
  // Refused before any harness is built or any image read.
  expect_one_line_error(run_cli("dnn rtl --array 2x2 --images 2 --mul-layer conv9=drum:k=4,s=1"), "conv1, conv2, fc1");
  expect_one_line_error(run_cli("dnn rtl --array 2x2 --images 2 --mul exact:s=1 --mul-layer fc1=drum:k=4,s=1"),
                        "--mul");
  expect_one_line_error(
      run_cli("dnn rtl --array 2x2 --images 2 --mul-layer fc1=drum:k=4,s=1 --mul-rtl /nonexistent.v"), "--mul-rtl");
}

}  // namespace
