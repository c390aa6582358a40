// The float network greenmac-train trains, shaped layer for layer like its quantized counterpart
// (models/dnn/network.hpp), and the two conversions between them: quantize (docs/quantization.md)
// and from_quantized (a model file back to float weights, the start of fine-tuning).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "models/dnn/idx.hpp"
#include "models/dnn/network.hpp"

namespace gm::train {

// One layer of the float network.
struct Op {
  dnn::Layer shape;  // kind, shapes, kernel, pad, pool, relu (the integer fields are filled by quantize)
  torch::nn::Conv2d conv{nullptr};
  torch::nn::Linear fc{nullptr};
  torch::Tensor& weight() { return shape.kind == dnn::LayerKind::kConv ? conv->weight : fc->weight; }
  torch::Tensor& bias() { return shape.kind == dnn::LayerKind::kConv ? conv->bias : fc->bias; }
};

struct NetImpl : torch::nn::Module {
  std::vector<Op> ops;
  // taps (optional) receives the output of every conv / fc layer after its ReLU, before pooling:
  // the tensors the requantization maps to int8.
  torch::Tensor forward(torch::Tensor x, std::vector<torch::Tensor>* taps = nullptr);
};
TORCH_MODULE(Net);

// The shipped architectures: "cnn" or "mlp" (docs/dnn.md).
std::vector<dnn::Layer> architecture(const std::string& model);
Net make_net(const std::vector<dnn::Layer>& layers);
// The float network of a quantized one: w = w_q * w_scale, b = bias * in_scale * w_scale.
Net from_quantized(const dnn::Network& q);

// Images as float tensors of the quantized input: x_q / 127, shape (n, 1, rows, cols).
torch::Tensor images_tensor(const ImageSet& set, const std::vector<size_t>& idx);
torch::Tensor images_tensor(const ImageSet& set, size_t first, size_t n);
torch::Tensor labels_tensor(const ImageSet& set, const std::vector<size_t>& idx);

// The largest |value| of every conv/fc layer's output over the calibration images, divided by the
// layer's largest integer output (127 hidden, 32767 for the scores): its activation scale.
std::vector<double> calibrate_scales(Net& net, const ImageSet& calib);
// The largest code of a w-bit signed operand, 2^(w-1)-1: 127 for int8.
inline int max_code(int w) { return (1 << (w - 1)) - 1; }

// Post-training quantization with the given activation scales (one per conv/fc layer, in order) and
// operand widths (one per conv/fc layer; empty: all 8): per-output-channel symmetric weights of
// layer g (max |w| / max_code(w_g)), int32 bias, fixed-point requantization, and every hidden
// layer's output clamped to 0 .. max_code(w_{g+1}), the next layer's activation width.
std::vector<dnn::Layer> quantize(Net& net, const std::vector<double>& out_scales, const std::vector<int>& widths = {});
// The activation scales a quantized network was built with (its layers' out_scale).
std::vector<double> scales_of(const dnn::Network& q);
// The same activation ranges re-expressed for new operand widths (one per conv/fc layer): a hidden
// layer's scale becomes its calibrated peak (out_scale * out_max) / max_code(next layer's width).
std::vector<double> activation_scales(const dnn::Network& q, const std::vector<int>& widths);

}  // namespace gm::train
