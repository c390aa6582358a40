// Lower precision (docs/levers.md, lever 5): a conv/fc layer may run on a w-bit signed multiplier,
// 4 <= w <= 8. Its operands stay int8 values everywhere (model file, golden path, array harness);
// a narrow layer is one whose int8 values all fit in w bits: its weights in -(2^(w-1)-1) ..
// 2^(w-1)-1 (symmetric, as the int8 weights), and its input activations inside w bits, which the
// model file says through the previous conv/fc layer's clamp (out_min .. out_max; max pooling keeps
// the range). The first layer's input is the pixel, 0..127 (docs/quantization.md), so the first
// layer keeps 8 bits, as in most mixed-precision work (HAQ, Wang et al., CVPR 2019; PACT).
//
// A model quantized that way is written by `greenmac train --finetune MODEL --mul-layer
// LAYER=exact:w=6,s=1` (quantization-aware fine-tuning); running a model on multipliers narrower
// than its operands is refused here, by layer name, before any work.
#pragma once

#include <cstdint>
#include <string>

#include "models/dnn/network.hpp"
#include "models/spec.hpp"

namespace gm::dnn {

struct OperandRange {
  int64_t lo = 0, hi = 0;
};

// The values the activations entering net.layers[index] (a conv/fc layer) can take.
OperandRange input_range(const Network& net, size_t index);
// The smallest and largest weight of a conv/fc layer.
OperandRange weight_range(const Layer& layer);
// The values a w-bit signed operand holds: -2^(w-1) .. 2^(w-1)-1.
OperandRange signed_range(int w);

// Throws UserError naming the layer when `spec` (w bits) cannot take net.layers[index]'s operands.
void check_operands_fit(const Network& net, size_t index, const Spec& spec);
// The same for one multiplier on every conv/fc layer.
void check_operands_fit(const Network& net, const Spec& spec);

}  // namespace gm::dnn
