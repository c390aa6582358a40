// The weight-stationary operand stream of one PE (models/dnn/pe_stream.hpp): on a GEMM worked out by
// hand, and on the shipped CNN, whose layer shapes (docs/dnn.md) fix where the weight may change.
#include <gtest/gtest.h>

#include <filesystem>

#include "models/dnn/evaluate.hpp"
#include "models/dnn/pe_stream.hpp"
#include "models/product_table.hpp"

namespace fs = std::filesystem;

namespace gm::dnn {
namespace {

TEST(DnnPeStream, SmallGemmInTheArraysTileOrder) {
  // 2x2 array, D = 3; X is 5 x 3 with X[m][k] = 10m + k + 1, W is 3 x 3 with W[k][n] = -(10k + n + 1).
  // PE (1, 1): K slices {0,1} and {2,pad}, column slices {0,1} and {2,pad}, M chunks {0,1,2} and {3,4}.
  // Tile order: column slice, then M chunk, then K slice. Its row is k = 1 in K slice 0 and padding
  // (k = 3) in K slice 1; its column is n = 1 in column slice 0 and padding (n = 3) in slice 1.
  int8_t x[5 * 3], w[3 * 3];
  for (int m = 0; m < 5; ++m)
    for (int k = 0; k < 3; ++k) x[m * 3 + k] = static_cast<int8_t>(10 * m + k + 1);
  for (int k = 0; k < 3; ++k)
    for (int n = 0; n < 3; ++n) w[k * 3 + n] = static_cast<int8_t>(-(10 * k + n + 1));
  PeStreamOptions opt;
  opt.rows = 2;
  opt.cols = 2;
  opt.depth = 3;
  opt.pe_row = 1;
  opt.pe_col = 1;
  PePairs got;
  append_pe_stream(x, 5, 3, w, 3, opt, got);
  const PePairs want = {
      {2, -12}, {12, -12}, {22, -12},  // nt 0, chunk 0, K slice 0: X[0..2][1] with W[1][1]
      {0, 0},   {0, 0},    {0, 0},     // K slice 1: the PE's row is padding
      {32, -12}, {42, -12},            // chunk 1: X[3..4][1]
      {0, 0},   {0, 0},
      {2, 0},   {12, 0},   {22, 0},    // nt 1: column padding, weight 0, real activations
      {0, 0},   {0, 0},    {0, 0},
      {32, 0},  {42, 0},
      {0, 0},   {0, 0}};
  EXPECT_EQ(got, want);
  // The limit keeps the first pairs.
  opt.limit = 4;
  PePairs cut;
  append_pe_stream(x, 5, 3, w, 3, opt, cut);
  EXPECT_EQ(cut, PePairs(want.begin(), want.begin() + 4));
}

bool have_data() { return fs::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"); }

TEST(DnnPeStream, CnnWeightHeldForEachTilesChunkOfActivations) {
  if (!have_data()) GTEST_SKIP() << "no Fashion-MNIST";
  // The CNN (docs/dnn.md) on an 8x8 array with D = 16, one image: conv1 m=784 k=9 n=16, conv2 m=144
  // k=144 n=32, fc m=1 k=1152 n=10. PE (0,0) multiplies m * ceil(k/8) * ceil(n/8) pairs per layer:
  // 784*2*2 = 3136, 144*18*4 = 10368 and 1*144*2 = 288; the conv layers' chunks are all full (784 and
  // 144 are multiples of 16), so there the weight may change only every 16 cycles.
  const int64_t conv1 = 3136, conv2 = 10368, fc = 288, per_image = conv1 + conv2 + fc;
  const Network net = load_dnn_model("cnn");
  const ImageSet img = load_dnn_test_set("", 2, net);
  const ProductTable table(parse_spec("exact:w=8,s=1"));
  PeStreamOptions opt;
  opt.depth = 16;
  opt.limit = per_image + 100;  // the whole first image and the start of the second
  const PePairs s = network_pe_stream(net, img.pixels.data(), img.count(), table, opt);
  ASSERT_EQ(static_cast<int64_t>(s.size()), per_image + 100);
  int64_t b_toggles = 0, a_toggles = 0;
  for (int64_t t = 1; t < per_image; ++t) {
    const bool b_changed = s[t].second != s[t - 1].second;
    b_toggles += b_changed;
    a_toggles += s[t].first != s[t - 1].first;
    if (t < conv1 + conv2) {
      EXPECT_FALSE(b_changed && t % 16 != 0) << "the weight changed inside a tile at cycle " << t;
    }
  }
  // Tiles of the image: 2*49*2 + 18*9*4 + 144*1*2 = 196 + 648 + 288 = 1132; at most one change each.
  EXPECT_LE(b_toggles, 1131);
  EXPECT_GT(a_toggles, 4 * b_toggles);  // the activations stream, the weights stay
  // Each column slice streams the same activations again: conv1's two column slices (49 chunks x 2
  // K slices x 16 rows = 1568 cycles each) see the same activations, and the weights of column 8.
  for (int64_t t = 0; t < 1568; ++t) ASSERT_EQ(s[t].first, s[t + 1568].first) << t;
  // The second image starts again with conv1: same shape, so its first 100 pairs hold the weights of
  // the first image's first 100.
  for (int64_t t = 0; t < 100; ++t) EXPECT_EQ(s[per_image + t].second, s[t].second) << t;
}

}  // namespace
}  // namespace gm::dnn
