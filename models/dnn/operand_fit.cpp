#include "models/dnn/operand_fit.hpp"

#include <algorithm>

#include "models/dnn/layer_names.hpp"
#include "models/errors.hpp"

namespace gm::dnn {

OperandRange input_range(const Network& net, size_t index) {
  for (size_t i = index; i-- > 0;)
    if (net.layers[i].is_gemm()) return {net.layers[i].out_min, net.layers[i].out_max};
  return {0, 127};  // the quantized pixels
}

OperandRange weight_range(const Layer& layer) {
  if (layer.weights.empty()) return {0, 0};
  const auto [lo, hi] = std::minmax_element(layer.weights.begin(), layer.weights.end());
  return {*lo, *hi};
}

OperandRange signed_range(int w) { return {-(int64_t{1} << (w - 1)), (int64_t{1} << (w - 1)) - 1}; }

namespace {

bool inside(OperandRange r, OperandRange bounds) { return r.lo >= bounds.lo && r.hi <= bounds.hi; }
std::string text(OperandRange r) { return std::to_string(r.lo) + ".." + std::to_string(r.hi); }

}  // namespace

void check_operands_fit(const Network& net, size_t index, const Spec& spec) {
  if (spec.w >= 8) return;
  const OperandRange bounds = signed_range(spec.w);
  const OperandRange in = input_range(net, index), w = weight_range(net.layers[index]);
  const std::string name = layer_name(net, index);
  const std::string head = "layer " + name + " of model " + net.name + ": " + spec.canonical() + " takes operands " +
                           text(bounds) + ", but ";
  if (!inside(in, bounds)) {
    bool first = true;  // no conv/fc layer before it: its input is the pixels
    for (size_t i = 0; i < index; ++i) first = first && !net.layers[i].is_gemm();
    if (first)
      throw UserError(head + "its input is the pixel (0..127); the first layer keeps 8 bits: give it a w=8 multiplier");
    throw UserError(head + "its input activations range " + text(in) +
                    "; quantize the model to these widths first: greenmac train --finetune MODEL --mul-layer " + name +
                    "=" + spec.canonical() + " (docs/levers.md)");
  }
  if (!inside(w, bounds))
    throw UserError(head + "its weights range " + text(w) +
                    "; quantize the model to these widths first: greenmac train --finetune MODEL --mul-layer " + name +
                    "=" + spec.canonical() + " (docs/levers.md)");
}

void check_operands_fit(const Network& net, const Spec& spec) {
  for (size_t i = 0; i < net.layers.size(); ++i)
    if (net.layers[i].is_gemm()) check_operands_fit(net, i, spec);
}

}  // namespace gm::dnn
