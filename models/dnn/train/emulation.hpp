// The forward pass of fine-tuning: the float network computes what the int8 network computes.
//
// Per conv/fc layer of multiplier width w (8, or 4..7 for lower precision) with q = 2^(w-1)-1, the
// activation scale s_in of its input and per-output-channel weight scales s_w = max |w| / q:
//   a_q = clamp(round(a / s_in), 0, q)              the activations (the input is exact: x_q / 127)
//   w_q = clamp(round(w / s_w), -q, q)              the weights
//   y   = F(a_q s_in, w_q s_w) + b                  F: the layer's conv or matrix product, exact
//       + s_in s_w * sum_k E(a_q, w_q)              E = M(a, w) - a w: the multiplier's error table
// so y / (s_in s_w) is the int8 layer's accumulator with the multiplier M (before bias rounding and
// the output stage's rounding). The error term is a constant of the backward pass, and the roundings
// pass the gradient straight through (the straight-through estimator of quantization-aware training,
// Jacob et al., CVPR 2018; the same for the multiplier's error, as in approximation-aware retraining:
// Mrazek et al., ICCAD 2019, and the AdaPT / TFApprox emulators). The error sums run on the golden
// engine (TableGemm) over an error table, the same product-table machinery as `dnn eval`.
#pragma once

#include <memory>
#include <vector>

#include "models/dnn/layer_multipliers.hpp"
#include "models/dnn/train/float_net.hpp"
#include "models/product_table.hpp"

namespace gm::train {

struct LayerEmulation {
  double in_scale = 0;                       // s_in of the layer's input
  int width = 8;                             // the multiplier's operand bits (lower precision: 4..7)
  std::shared_ptr<const ProductTable> error;  // M - a*b; null for an exact layer
};

class Emulation {
 public:
  // out_scales: one per conv/fc layer (activation_scales: the next layer's input scale); `layers`:
  // their multipliers, whose widths set every clamp (w bits: activations 0 .. 2^(w-1)-1, weights
  // +-(2^(w-1)-1)); the model `shape` need not fit them yet: that is what fine-tuning is for.
  Emulation(const dnn::Network& shape, const std::vector<double>& out_scales, const dnn::LayerMultipliers& layers,
            int threads);
  // The emulated forward pass (above) of `net`, whose layers match `shape`.
  torch::Tensor forward(Net& net, torch::Tensor x) const;

 private:
  torch::Tensor error_term(const Op& op, const LayerEmulation& le, const torch::Tensor& a_q,
                           const torch::Tensor& w_q, const torch::Tensor& w_scale, int64_t out_h, int64_t out_w) const;
  std::vector<LayerEmulation> layers_;  // per conv/fc layer, in order
  int threads_;
};

// clamp(round(v / s), lo, hi) * s, gradient passed straight through (s a scalar or broadcastable).
torch::Tensor fake_quantize(const torch::Tensor& v, const torch::Tensor& s, double lo, double hi);

}  // namespace gm::train
