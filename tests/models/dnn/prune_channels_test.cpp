// Dropping dead channels (models/dnn/prune_channels.hpp): the compacted network must give the same
// class scores as the network with the zeroed channels still in it, with fewer MACs, on the shipped
// CNN (conv -> pool -> conv -> pool -> fc: the drops cross a pooling layer and the flatten) and MLP.
#include "models/dnn/prune_channels.hpp"

#include <gtest/gtest.h>

#include "models/dnn/evaluate.hpp"
#include "models/dnn/idx.hpp"

namespace gm::dnn {
namespace {

// Zeroes the weights and the bias of output channel j of net.layers[i].
void kill_channel(Network& net, size_t i, int j) {
  Layer& l = net.layers[i];
  for (int64_t r = 0; r < l.k(); ++r) l.weights[r * l.n() + j] = 0;
  l.bias[j] = 0;
}

std::vector<int32_t> scores(const Network& net, const ImageSet& images) {
  const ProductTable exact(8, true, [](int64_t a, int64_t b) { return a * b; });
  TableGemm engine(exact, 1);
  return run_network(net, images.pixels.data(), images.count(), engine, 50);
}

std::vector<size_t> gemm_layer_indices(const Network& net) {
  std::vector<size_t> out;
  for (size_t i = 0; i < net.layers.size(); ++i)
    if (net.layers[i].is_gemm()) out.push_back(i);
  return out;
}

void expect_same_scores_after_dropping(const std::string& model) {
  SCOPED_TRACE(model);
  Network net = load_dnn_model(model);
  const ImageSet images = load_dnn_test_set("", 40, net);
  const auto gemm = gemm_layer_indices(net);
  kill_channel(net, gemm[0], 0);
  kill_channel(net, gemm[0], 5);
  kill_channel(net, gemm[1], 3);
  kill_channel(net, gemm.back(), 2);  // a class: never dropped
  const std::vector<int32_t> before = scores(net, images);
  const int64_t macs_before = net.macs_per_image();
  const int out0 = net.layers[gemm[0]].out_c, out1 = net.layers[gemm[1]].out_c;

  Network compact = net;
  EXPECT_EQ(drop_dead_channels(compact), 3);
  EXPECT_NO_THROW(compact.validate("compacted"));
  EXPECT_EQ(compact.layers[gemm[0]].out_c, out0 - 2);
  EXPECT_EQ(compact.layers[gemm[1]].out_c, out1 - 1);
  EXPECT_EQ(compact.classes(), net.classes());
  EXPECT_LT(compact.macs_per_image(), macs_before);
  EXPECT_EQ(scores(compact, images), before);
  EXPECT_EQ(drop_dead_channels(compact), 0);  // nothing dead is left
}

TEST(DnnPruneChannels, DroppingDeadChannelsKeepsEveryScore) {
  expect_same_scores_after_dropping("cnn");
  expect_same_scores_after_dropping("mlp");
}

TEST(DnnPruneChannels, AChannelWithABiasIsAlive) {
  Network net = load_dnn_model("cnn");
  const size_t first = gemm_layer_indices(net)[0];
  kill_channel(net, first, 1);
  net.layers[first].bias[1] = 7;  // outputs requantize(7) on every position: not removable
  EXPECT_TRUE(dead_channels(net, first).empty());
  EXPECT_EQ(drop_dead_channels(net), 0);
}

}  // namespace
}  // namespace gm::dnn
