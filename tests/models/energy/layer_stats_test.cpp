// Per-layer statistics of a network on the array: a hand-built network with counts derived by hand,
// and the shipped CNN against its shapes.
#include <gtest/gtest.h>

#include <filesystem>

#include "generator/array/array.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/energy/layer_stats.hpp"
#include "models/spec.hpp"

namespace gm::energy {
namespace {

ArrayTiming array(int rows, int cols, int64_t depth, bool out_stage) {
  ArrayTiming a;
  a.rows = rows, a.cols = cols, a.acc_depth = depth, a.out_stage = out_stage;
  return a;
}

// maxpool 2 (1x28x28 -> 1x14x14), then fc 196 -> 2 with w[t][0] = t odd ? 1 : 0 and w[t][1] = 1.
dnn::Network pool_fc_network() {
  dnn::Network net;
  net.name = "hand";
  dnn::Layer pool;
  pool.kind = dnn::LayerKind::kMaxPool;
  pool.in_c = pool.out_c = 1, pool.in_h = pool.in_w = 28, pool.out_h = pool.out_w = 14, pool.pool = 2;
  dnn::Layer fc;
  fc.kind = dnn::LayerKind::kFc;
  fc.in_c = 1, fc.in_h = fc.in_w = 14, fc.out_c = 2, fc.out_h = fc.out_w = 1;
  fc.out_min = -32768, fc.out_max = 32767;
  for (int t = 0; t < 196; ++t) fc.weights.push_back(t % 2), fc.weights.push_back(1);
  fc.bias = {0, 0};
  fc.requant = {dnn::Requant{}, dnn::Requant{}};
  net.layers = {pool, fc};
  return net;
}

// Image 0: rows 0..13 white (x = 127), rows 14..27 black (x = 0) -> pooled, pixels 0..97 non-zero
// and 98..195 zero. Image 1: all white.
std::vector<uint8_t> two_images() {
  std::vector<uint8_t> px(2 * 784, 255);
  for (int i = 14 * 28; i < 784; ++i) px[i] = 0;
  return px;
}

// By hand, 2 images x 196 x 2 = 784 MACs. Zero activations: image 0's 98 zeros x 2 columns = 196.
// Zero weights: 98 per image x 2 images = 196. Either operand zero: image 0: 196 + the even t among
// the 98 non-zero pixels (49) = 245; image 1: 98; 343 in all.
// Accesses on 4x4, D = 8, one image per GEMM (M = 1, K = 196, N = 2 -> KT = 49, NT = 1, MC = 1):
// weight reads 392 per image, activation reads 196, accumulator 2 x 48 each way, 2 outputs, and
// the 392 weights written and fetched from DRAM once per GEMM.
TEST(StorageLayerStats, HandBuiltNetworkCountsByHand) {
  const dnn::Network net = pool_fc_network();
  const std::vector<uint8_t> px = two_images();
  const ProductTable exact(parse_spec("exact:s=1"));
  const ArrayTiming a = array(4, 4, 8, true);
  const StorageReport rep = layer_stats(net, px.data(), 2, exact, a, default_mem_energy_table(), 1);
  ASSERT_EQ(rep.layers.size(), 1u);
  const LayerEnergyStats& l = rep.layers[0];
  EXPECT_EQ(l.index, 1);
  EXPECT_EQ(l.gemm_runs, 2u);
  EXPECT_EQ(l.macs, 784u);
  EXPECT_EQ(l.zero_activation_macs, 196u);
  EXPECT_EQ(l.zero_weight_macs, 196u);
  EXPECT_EQ(l.zero_operand_macs, 343u);
  EXPECT_DOUBLE_EQ(l.zero_operand_share(), 343.0 / 784);
  EXPECT_EQ(l.cycles, 2 * gemm_cycles(a, 1, 196, 2));
  EXPECT_DOUBLE_EQ(l.utilization, 784.0 / (double(l.cycles) * 16));
  EXPECT_EQ(l.accesses.weight_reads, 784u);
  EXPECT_EQ(l.accesses.activation_reads, 392u);
  EXPECT_EQ(l.accesses.accumulator_reads, 192u);
  EXPECT_EQ(l.accesses.accumulator_writes, 192u);
  EXPECT_EQ(l.accesses.output_writes, 4u);
  EXPECT_EQ(l.accesses.dram_reads, 784u);
  EXPECT_EQ(l.accesses.param_reads, 4u);  // 2 columns per image with the output stage
  // Default table, 2.5 pJ per on-chip bit: weights (784 reads + 784 writes) x 8 bits; outputs are
  // 16-bit (the scores' range); accumulators 32-bit; DRAM 1950 pJ per 64 bits.
  EXPECT_DOUBLE_EQ(l.int8.weight, 1568 * 8 * 2.5);
  EXPECT_DOUBLE_EQ(l.int8.activation, 392 * 8 * 2.5);
  EXPECT_DOUBLE_EQ(l.int8.accumulator, 384 * 32 * 2.5);
  EXPECT_DOUBLE_EQ(l.int8.output, 4 * 16 * 2.5);
  EXPECT_DOUBLE_EQ(l.int8.dram, 784 * 8 * 1950.0 / 64);
  EXPECT_DOUBLE_EQ(l.fp32.weight, 1568 * 32 * 2.5);
  EXPECT_DOUBLE_EQ(l.fp32.output, 4 * 32 * 2.5);
  EXPECT_DOUBLE_EQ(l.int8.param, 4 * 136 * 2.5);  // the array's 136-bit parameter field
  EXPECT_DOUBLE_EQ(l.fp32.param, 4 * 32 * 2.5);   // fp32: a bias per column
  EXPECT_NEAR(l.compute_int8_pj, 784 * 4.8, 1e-9);
  EXPECT_NEAR(l.compute_fp32_pj, 784 * 73.6, 1e-9);
}

// Two images in one GEMM (M = 2): the weights are read, written and fetched once, not twice;
// everything that streams per row stays the same.
TEST(StorageLayerStats, BatchingSharesTheWeightLoads) {
  const dnn::Network net = pool_fc_network();
  const std::vector<uint8_t> px = two_images();
  const ProductTable exact(parse_spec("exact:s=1"));
  const ArrayTiming a = array(4, 4, 8, true);
  const StorageReport rep = layer_stats(net, px.data(), 2, exact, a, default_mem_energy_table(), 2);
  const LayerEnergyStats& l = rep.layers.at(0);
  EXPECT_EQ(l.gemm_runs, 1u);
  EXPECT_EQ(l.m, 2);
  EXPECT_EQ(l.accesses.weight_reads, 392u);
  EXPECT_EQ(l.accesses.dram_reads, 392u);
  EXPECT_EQ(l.accesses.activation_reads, 392u);
  EXPECT_EQ(l.accesses.output_writes, 4u);
  EXPECT_EQ(l.zero_operand_macs, 343u);
  EXPECT_EQ(l.cycles, gemm_cycles(a, 2, 196, 2));
}

TEST(StorageLayerStats, ParamWidthIsTheArrays) { EXPECT_EQ(kOutParamBits, gm::kParamFieldBits); }

bool have_data() { return std::filesystem::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"); }

// The shipped CNN on 8x8, D = 16, 3 images one at a time. MACs per image from the shapes
// (docs/dnn.md): conv1 784 x 9 x 16, conv2 144 x 144 x 32, fc 1152 x 10. conv1 accesses per image:
// see StorageAccesses.CnnFirstConvOnEightByEight. Zero weights: counted here from the weights.
TEST(StorageLayerStats, ShippedCnnMatchesItsShapes) {
  if (!have_data()) GTEST_SKIP() << "no Fashion-MNIST";
  const dnn::Network net = load_dnn_model("cnn");
  const ImageSet set = load_dnn_test_set("", 3, net);
  const ArrayTiming a = array(8, 8, 16, true);
  const StorageReport rep = layer_stats(net, set.pixels.data(), 3, ProductTable(parse_spec("exact:s=1")), a,
                                        default_mem_energy_table(), 1);
  ASSERT_EQ(rep.layers.size(), 3u);
  EXPECT_EQ(rep.layers[0].macs, 3u * 784 * 9 * 16);
  EXPECT_EQ(rep.layers[1].macs, 3u * 144 * 144 * 32);
  EXPECT_EQ(rep.layers[2].macs, 3u * 1152 * 10);
  EXPECT_EQ(rep.layers[0].accesses.weight_reads, 3u * 7056);
  EXPECT_EQ(rep.layers[0].accesses.activation_reads, 3u * 14112);
  EXPECT_EQ(rep.layers[0].cycles, 3 * gemm_cycles(a, 784, 9, 16));
  for (const LayerEnergyStats& l : rep.layers) {
    const dnn::Layer& layer = net.layers[l.index];
    uint64_t zeros = 0;
    for (int8_t w : layer.weights) zeros += w == 0;
    EXPECT_DOUBLE_EQ(l.zero_weight_share(), double(zeros) / layer.weights.size()) << l.layer;
    EXPECT_GE(l.zero_operand_macs, std::max(l.zero_activation_macs, l.zero_weight_macs)) << l.layer;
    EXPECT_LE(l.zero_operand_macs, l.zero_activation_macs + l.zero_weight_macs) << l.layer;
    EXPECT_GT(l.utilization, 0.0);
    EXPECT_LE(l.utilization, 1.0);
  }
  // conv1 pads 28x28 by 1: per image, the 104 edge pixels that are not corners each have 3 padded
  // (zero) taps and the 4 corners 5: at least 332 zero activations, each multiplied by 16 columns.
  EXPECT_GE(rep.layers[0].zero_activation_macs, 3u * (4 * 26 * 3 + 4 * 5) * 16);
}

}  // namespace
}  // namespace gm::energy
