// Small fc networks with seeded weights for tests that run whole inferences on a gate-level array
// (a few thousand cycles per image on a 1x1 array instead of the CNN's hundreds of thousands).
#pragma once

#include <cstdint>

#include "models/dnn/network.hpp"

namespace gm::test {

// An fc layer in_c x in_h x in_w -> out_c with weights in -127..127 and biases in -2048..2047 from
// a linear congruential generator (`seed` advances), requantized by `requant` (outputs clamped to
// [lo, hi]).
inline dnn::Layer seeded_fc_layer(int in_c, int in_h, int in_w, int out_c, int64_t lo, int64_t hi, double in_scale,
                                  double requant, uint32_t& seed) {
  auto next = [&] { return seed = seed * 1103515245u + 12345u; };
  dnn::Layer l;
  l.kind = dnn::LayerKind::kFc;
  l.in_c = in_c, l.in_h = in_h, l.in_w = in_w;
  l.out_c = out_c, l.out_h = 1, l.out_w = 1;
  l.out_min = lo, l.out_max = hi;
  for (int i = 0; i < in_c * in_h * in_w * out_c; ++i)
    l.weights.push_back(static_cast<int8_t>(static_cast<int>(next() >> 16) % 255 - 127));
  for (int j = 0; j < out_c; ++j) {
    l.bias.push_back(static_cast<int32_t>(next() >> 20) - 2048);
    l.requant.push_back(dnn::make_requant(requant));
    l.w_scale.push_back(0.01);
  }
  l.in_scale = in_scale;
  l.out_scale = in_scale * 0.01 / requant;
  return l;
}

}  // namespace gm::test
