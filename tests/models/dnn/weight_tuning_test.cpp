// Weight tuning (models/dnn/weight_tuning.hpp): hand-worked tables and histograms, and on the shipped
// CNN the lever's claim: tuned weights, chosen from training images, recover test accuracy that a
// biased multiplier loses.
#include "models/dnn/weight_tuning.hpp"

#include <gtest/gtest.h>

#include "models/dnn/evaluate.hpp"
#include "models/dnn/idx.hpp"
#include "tests/support/tools.hpp"

namespace gm::dnn {
namespace {

ActivationHistogram uniform_histogram() {
  ActivationHistogram h{};
  for (auto& c : h) c = 1;
  return h;
}

TEST(WeightTuning, AnExactMultiplierKeepsEveryWeight) {
  const ProductTable exact(parse_spec("exact:s=1"));
  const auto map = tune_weight_map(exact, uniform_histogram(), 9);
  for (int w = -127; w < 128; ++w) EXPECT_EQ(map[w + 128], w);
  EXPECT_EQ(map[0], -127);  // -128 is outside the symmetric weights: its nearest candidate
}

// M(a, b) = a * (b + 1): weight w' = w - 1 gives a*w exactly, so tuning must find it.
TEST(WeightTuning, AMultiplierOffByOneWeightIsUndone) {
  const ProductTable off(8, true, [](int64_t a, int64_t b) { return a * (b + 1); });
  const auto map = tune_weight_map(off, uniform_histogram(), 16);
  for (int w = -126; w < 128; ++w) EXPECT_EQ(map[w + 128], w - 1) << "w = " << w;
}

// By hand: activations +1 and -1 once each, M(a, b) = a * (b + 1), w = w' = 3: the errors are a
// itself, so mean 0, second moment 1, and over K = 10 terms 10 * 1 + 90 * 0 = 10. With a = +1
// only, mean 1 and second moment 1: 10 * 1 + 90 * 1 = 100 (the bias adds up over the terms).
TEST(WeightTuning, DotProductErrorByHand) {
  const ProductTable off(8, true, [](int64_t a, int64_t b) { return a * (b + 1); });
  ActivationHistogram h{};
  h[1 + 128] = 1, h[-1 + 128] = 1;
  const TuningError e = tuning_error(off, h, 10, 3, 3);
  EXPECT_DOUBLE_EQ(e.mean, 0);
  EXPECT_DOUBLE_EQ(e.second, 1);
  EXPECT_DOUBLE_EQ(e.dot_product, 10);
  h[-1 + 128] = 0;
  EXPECT_DOUBLE_EQ(tuning_error(off, h, 10, 3, 3).dot_product, 100);
}

// The histograms count every entry of each layer's X (im2col rows for a conv, padding taps
// included): images x rows per image x K per layer; maxpool layers multiply nothing.
TEST(WeightTuning, HistogramsCountEveryOperandOfEveryLayer) {
  if (!test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST missing";
  const Network net = load_dnn_model("cnn");
  const ImageSet images = load_dnn_test_set("", 20, net);
  const auto hist = activation_histograms(net, images.pixels.data(), images.count(), 7);
  ASSERT_EQ(hist.size(), net.layers.size());
  for (size_t i = 0; i < net.layers.size(); ++i) {
    uint64_t total = 0;
    for (const uint64_t c : hist[i]) total += c;
    const Layer& l = net.layers[i];
    EXPECT_EQ(total, l.is_gemm() ? 20u * static_cast<uint64_t>(l.rows_per_image() * l.k()) : 0u) << "layer " << i;
  }
  EXPECT_GT(hist[0][128], 0u);  // zero pixels and padding taps
}

// The lever: trunc:t=6,s=1 drops six product columns, a bias that adds up over K. Weights tuned on
// 2,000 training images (the last of the training set, never the test set) give higher test
// accuracy than the same multiplier on the shipped weights, and the dot-product error goes down.
TEST(WeightTuning, TunedWeightsRecoverAccuracyOnTheTestSet) {
  if (!test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST missing";
  const Network net = load_dnn_model("cnn");
  const ImageSet train = load_fashion_mnist(fashion_mnist_dir(), "train");
  const size_t calib = 2000, first = train.count() - calib;
  const auto hist = activation_histograms(net, train.image(first), calib);
  const ProductTable trunc(parse_spec("trunc:t=6,s=1"));
  std::vector<const ProductTable*> tables(net.layers.size(), nullptr);
  for (size_t i = 0; i < net.layers.size(); ++i)
    if (net.layers[i].is_gemm()) tables[i] = &trunc;
  std::vector<LayerTuning> report;
  const Network tuned = tune_network(net, tables, hist, &report);
  ASSERT_EQ(report.size(), 3u);
  for (const auto& t : report) EXPECT_LT(t.error_after, t.error_before) << "layer " << t.layer;

  const ImageSet test = load_dnn_test_set("", 2000, net);
  TableGemm engine(trunc);
  const double before = accuracy(run_network(net, test.pixels.data(), test.count(), engine), net.classes(),
                                 test.labels.data(), test.count());
  const double after = accuracy(run_network(tuned, test.pixels.data(), test.count(), engine), net.classes(),
                                test.labels.data(), test.count());
  EXPECT_GT(after, before + 0.005) << "before " << before << " after " << after;
}

}  // namespace
}  // namespace gm::dnn
