// The per-layer operand counter of `dnn eval --trace-layers`: its histogram of a hand-made layer
// equals a triple loop over every product written here, the inner engine's results pass through
// unchanged, and on a two-layer network each layer's count is that layer's products alone and the
// layers add up to the whole network's trace.
#include <gtest/gtest.h>

#include <stdexcept>

#include "models/dnn/layer_operand_counter.hpp"
#include "models/product_table.hpp"
#include "models/spec.hpp"
#include "tests/support/seeded_network.hpp"

namespace gm {
namespace {

using Histogram = std::vector<uint64_t>;

// Every product of Y = X * W counted one by one: the definition the counter's outer products must match.
Histogram brute_force(const std::vector<int8_t>& x, int64_t m, int64_t k, const std::vector<int8_t>& w, int64_t n) {
  Histogram h(1 << 16, 0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t t = 0; t < k; ++t)
      for (int64_t j = 0; j < n; ++j)
        ++h[(uint32_t{static_cast<uint8_t>(x[i * k + t])} << 8) | static_cast<uint8_t>(w[t * n + j])];
  return h;
}

uint64_t total(const Histogram& h) {
  uint64_t s = 0;
  for (uint64_t c : h) s += c;
  return s;
}

// An fc layer 5 -> 3 with repeated values and both int8 extremes in its weights.
dnn::Layer hand_made_layer() {
  dnn::Layer l;
  l.kind = dnn::LayerKind::kFc;
  l.in_c = 5, l.in_h = 1, l.in_w = 1, l.out_c = 3, l.out_h = 1, l.out_w = 1;
  l.weights = {1, -128, 1, 127, 0, 1, -3, -3, -3, 5, 0, 127, 2, 2, -128};
  l.bias = {0, 10, -10};
  l.requant.assign(3, dnn::make_requant(0.01));
  return l;
}

TEST(DnnLayerCounter, HandMadeLayerCountsEqualATripleLoop) {
  dnn::Network net;
  net.layers = {hand_made_layer()};
  const dnn::Layer& l = net.layers[0];
  // 4 rows of 5 activations: repeats within a column, zeros, -128 and 127.
  const std::vector<int8_t> x = {0, 1, 2, 3, -128, 0, 1, 2, 127, -128, 7, 1, 0, 3, 4, 0, -1, 2, 127, 4};
  const ProductTable exact(parse_spec("exact:w=8,s=1"));
  dnn::TableGemm inner(exact, 1);
  dnn::LayerOperandCounter counter(net, inner);
  std::vector<int32_t> out(4 * 3), direct(4 * 3);
  counter.gemm_layer(x.data(), 4, 5, l, out.data());
  inner.gemm_layer(x.data(), 4, 5, l, direct.data());
  EXPECT_EQ(out, direct);  // passed on unchanged
  const Histogram expected = brute_force(x, 4, 5, l.weights, 3);
  EXPECT_EQ(counter.layer_trace(0).histogram, expected);
  EXPECT_EQ(total(expected), 4u * 5 * 3);
  // A second call adds to the first; a plain gemm on the layer's weights counts the same way.
  counter.gemm(x.data(), 4, 5, l.weights.data(), 3, out.data());
  Histogram twice = expected;
  for (auto& c : twice) c *= 2;
  EXPECT_EQ(counter.layer_trace(0).histogram, twice);
}

TEST(DnnLayerCounter, RandomGemmEqualsATripleLoop) {
  uint32_t s = 7;
  auto next = [&] { return static_cast<int8_t>((s = s * 1103515245u + 12345u) >> 24); };
  const int64_t m = 37, k = 11, n = 9;
  std::vector<int8_t> x(m * k), w(k * n);
  for (auto& v : x) v = next();
  for (auto& v : w) v = static_cast<int8_t>(next() % 5);  // few distinct weights, as after quantization
  Histogram h(1 << 16, 0);
  dnn::count_gemm_pairs(x.data(), m, k, w.data(), n, h);
  EXPECT_EQ(h, brute_force(x, m, k, w, n));
}

TEST(DnnLayerCounter, AGemmOnWeightsOfNoLayerIsALogicError) {
  dnn::Network net;
  net.layers = {hand_made_layer()};
  const ProductTable exact(parse_spec("exact:w=8,s=1"));
  dnn::TableGemm inner(exact, 1);
  dnn::LayerOperandCounter counter(net, inner);
  const std::vector<int8_t> x(5, 1), w(15, 1);
  std::vector<int32_t> y(3);
  EXPECT_THROW(counter.gemm(x.data(), 1, 5, w.data(), 3, y.data()), std::logic_error);
}

TEST(DnnLayerCounter, EachLayerOfANetworkCountsItsOwnProductsAndTheyAddUpToTheWhole) {
  uint32_t seed = 3;
  dnn::Network net;
  net.in_c = 1, net.in_h = 4, net.in_w = 4;
  net.layers = {test::seeded_fc_layer(1, 4, 4, 6, 0, 127, 1.0 / 127, 0.004, seed),
                test::seeded_fc_layer(6, 1, 1, 3, -128, 127, 0.01, 0.01, seed)};
  const size_t images = 5;
  std::vector<uint8_t> pixels(images * 16);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>((i * 37) % 256);
  const ProductTable exact(parse_spec("exact:w=8,s=1"));
  dnn::OperandTrace whole;
  dnn::TableGemm traced(exact, 1, &whole);
  dnn::LayerOperandCounter counter(net, traced);
  dnn::TableGemm plain(exact, 1);
  // Batches of 2 images: three calls per layer, the counts must add up across them.
  EXPECT_EQ(dnn::run_network(net, pixels.data(), images, counter, 2), dnn::run_network(net, pixels.data(), images, plain, 2));
  const Histogram& first = counter.layer_trace(0).histogram;
  const Histogram& second = counter.layer_trace(1).histogram;
  EXPECT_EQ(total(first), images * 16 * 6);  // K = 16 inputs, N = 6 outputs per image
  EXPECT_EQ(total(second), images * 6 * 3);
  // The first layer multiplies the quantized pixels round-half-up(127 p / 255) by its weights.
  std::vector<int8_t> x(pixels.size());
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<int8_t>((254 * pixels[i] + 255) / 510);
  EXPECT_EQ(first, brute_force(x, images, 16, net.layers[0].weights, 6));
  for (size_t i = 0; i < whole.histogram.size(); ++i)
    ASSERT_EQ(first[i] + second[i], whole.histogram[i]) << "pair index " << i;
}

}  // namespace
}  // namespace gm
