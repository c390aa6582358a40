// Weight tuning for an approximate multiplier, without retraining (the "weight update" of ALWANN:
// Mrazek et al., ICCAD 2019, arXiv 1907.07229). docs/dnn.md, "Weight tuning".
//
// A layer's products are M(a, w) instead of a*w. For each weight value w, tuning picks the int8 w'
// whose products M(a, w') come closest to a*w under the layer's own activations: the activation
// histogram h(a) measured by running the network on calibration images (never the test set). The
// criterion is the expected squared error of one output's dot product over the layer's K terms,
// taking the terms' errors as independent with mean mu(w') and second moment s(w') under h:
//
//     E[(sum of K errors)^2] = K * s(w') + K * (K - 1) * mu(w')^2
//
// so a bias, which adds up over K terms, weighs K times more than the noise around it. Every w is
// mapped on its own (a lookup table per layer); ties keep the w' nearest to w, then the smaller.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/dnn/layer_multipliers.hpp"
#include "models/dnn/network.hpp"
#include "models/product_table.hpp"

namespace gm::dnn {

// Counts of each int8 activation value (index a + 128) entering one layer's products.
using ActivationHistogram = std::array<uint64_t, 256>;

// The activation histograms of every layer (index = layer index; maxpool layers stay empty), from
// the int8-exact network on `count` images: the operands the layer's products really see, padding
// taps included (they are multiplied like any other tap, docs/dnn.md).
std::vector<ActivationHistogram> activation_histograms(const Network& net, const uint8_t* pixels, size_t count,
                                                       size_t batch = 500);

// The error of products M(a, w') against a * w under h, for a layer of K terms per output.
struct TuningError {
  double mean = 0;         // mu: E[M(a, w') - a*w]
  double second = 0;       // s: E[(M(a, w') - a*w)^2]
  double dot_product = 0;  // K * s + K * (K - 1) * mu^2
};
TuningError tuning_error(const ProductTable& m, const ActivationHistogram& h, int64_t k, int w, int w_prime);

// map[w + 128] = the tuned w' of weight w (w = -128 .. 127; candidates w' = -127 .. 127, the range
// of the network's symmetric int8 weights).
std::array<int8_t, 256> tune_weight_map(const ProductTable& m, const ActivationHistogram& h, int64_t k);

// One layer's tuning, summed over its weights.
struct LayerTuning {
  size_t layer = 0;
  int64_t weights = 0, changed = 0;         // weights, and how many the map moved
  double error_before = 0, error_after = 0;  // mean dot-product error over the layer's weights
};

// The network with the weights of every layer that has a table (tables[i] != nullptr) replaced by
// their tuned values; other layers are copied as they are. `report` gets one entry per tuned layer.
Network tune_network(const Network& net, const std::vector<const ProductTable*>& tables,
                     const std::vector<ActivationHistogram>& histograms, std::vector<LayerTuning>* report = nullptr);

// The same for resolved per-layer multipliers: every layer whose multiplier is not exact is tuned
// for it (an exact layer's map is the identity, so it keeps its weights).
Network tune_network(const Network& net, const std::vector<LayerSpec>& layers,
                     const std::vector<ActivationHistogram>& histograms, std::vector<LayerTuning>* report = nullptr);

}  // namespace gm::dnn
