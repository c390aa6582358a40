// RTL inference: every conv and fc layer runs whole on the Verilated array (accumulators and output
// stage); each layer's int8 outputs equal the golden layer's, the logits the golden inference's, bit
// for bit, and the array's cycle count equals the cycle model's.
#include <gtest/gtest.h>

#include <filesystem>

#include <random>

#include "tb/dnn_on_rtl.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/dnn/idx.hpp"
#include "tb/process.hpp"
#include <nlohmann/json.hpp>

#include "tests/support/cli_util.hpp"
#include "tests/support/tools.hpp"

namespace {


}  // namespace

TEST(DnnRtl, ArrayLogitsEqualGoldenForExactAndTwoApproximateMultipliers) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST not installed";
  for (const std::string mul : {"exact:s=1", "drum:k=4,s=1", "trunc:t=6,s=1"}) {
    gm::DnnRtlOptions opt;
    opt.rows = 4;
    opt.cols = 4;
    opt.mul = gm::parse_spec(mul);
    opt.images = 24;
    const auto r = gm::dnn_rtl(opt);
    EXPECT_EQ(r.images, 24u);
    EXPECT_EQ(r.mismatches, 0u) << mul;
    EXPECT_EQ(r.cycles, r.cycles_model) << mul;
    EXPECT_EQ(r.accuracy, r.golden_accuracy) << mul;
    EXPECT_EQ(r.macs, 24u * 787968u) << mul;  // the CNN's MACs per image
    EXPECT_EQ(r.acc_depth, 8) << mul;              // the default R + C
    ASSERT_EQ(r.layers.size(), 3u) << mul;         // the CNN's conv, conv, fc (pooling stays on the host)
    for (const auto& l : r.layers) {
      EXPECT_GT(l.outputs, 0u) << l.layer;
      EXPECT_EQ(l.mismatches, 0u) << mul << " " << l.layer;
      EXPECT_EQ(l.cycles, l.cycles_model) << mul << " " << l.layer;
    }
    EXPECT_EQ(r.layer_mismatches, 0u) << mul;
  }
}

// One conv layer of the shipped CNN on random int8 inputs: the array's output stage gives the golden
// layer's int8 outputs (gm::dnn::run_layer with the golden engine, a separate path), and a PE with a
// wrong partial sum (the generator's mutant hook) is caught by the per-layer check.
TEST(DnnRtl, ALayerLeavesTheArrayAsTheGoldenLayerAndAMutantIsCaught) {
  if (!gm::have_tool("verilator")) GTEST_SKIP() << "needs verilator";
  const gm::dnn::Network net = gm::load_dnn_model("cnn");
  size_t idx = 0;
  while (net.layers[idx].kind != gm::dnn::LayerKind::kConv) ++idx;
  const gm::dnn::Layer& conv = net.layers[idx];
  const size_t images = 2;
  std::vector<int32_t> in(images * conv.in_size());
  std::mt19937_64 rng(3);
  for (auto& v : in) v = static_cast<int32_t>(rng() % 128);
  const gm::Spec spec = gm::parse_spec("drum:k=4,s=1");
  const gm::ProductTable table(spec);
  gm::dnn::TableGemm golden(table);
  const auto want = gm::dnn::run_layer(conv, in, images, golden);

  const gm::GemmRunner runner(gm::make_array_config(3, 4, spec, "", 32, false, 5, true));
  gm::ArrayGemm engine(runner, net, golden);
  EXPECT_EQ(gm::dnn::run_layer(conv, in, images, engine), want);
  EXPECT_EQ(engine.layers[idx].outputs, images * conv.out_size());
  EXPECT_EQ(engine.layers[idx].mismatches, 0u);
  EXPECT_EQ(engine.layers[idx].cycles, engine.layers[idx].cycles_model);

  gm::ArrayConfig bad = gm::make_array_config(3, 4, spec, "", 32, false, 5, true);
  bad.mutant_row = 2;
  bad.mutant_col = 1;
  const gm::GemmRunner mutant(bad);
  gm::ArrayGemm wrong(mutant, net, golden);
  EXPECT_NE(gm::dnn::run_layer(conv, in, images, wrong), want);
  EXPECT_GT(wrong.layers[idx].mismatches, 0u);
}

TEST(DnnRtl, CliJsonKeysAndMlpOnA2x3Array) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST not installed";
  const auto r = gm::test::run_cli("dnn rtl --array 2x3 --mul 'mitchell:s=1' --model mlp --images 20 --json");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"spec", "array", "images", "accuracy", "mismatches", "cycles", "cycles_model", "acc_depth",
                          "layer_mismatches", "layers"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["array"], "2x3");
  EXPECT_EQ(j["mismatches"], 0);
  EXPECT_EQ(j["cycles"], j["cycles_model"]);
  EXPECT_EQ(j["layer_mismatches"], 0);
  EXPECT_EQ(j["acc_depth"], 5);
  ASSERT_EQ(j["layers"].size(), 3u);  // the MLP's three fc layers
  for (const auto& l : j["layers"]) EXPECT_EQ(l["mismatches"], 0);
}

TEST(DnnRtl, RejectsUnsignedMultiplier) {
  const auto r = gm::test::run_cli("dnn rtl --array 2x2 --mul 'exact:s=0' --images 20");
  gm::test::expect_one_line_error(r, "");
}
