#include "models/dnn/train/float_net.hpp"

#include <algorithm>
#include <cmath>

namespace gm::train {

using dnn::Layer;
using dnn::LayerKind;

torch::Tensor NetImpl::forward(torch::Tensor x, std::vector<torch::Tensor>* taps) {
  for (auto& op : ops) {
    switch (op.shape.kind) {
      case LayerKind::kConv:
        x = op.conv->forward(x);
        break;
      case LayerKind::kFc:
        x = op.fc->forward(x.flatten(1));
        break;
      case LayerKind::kMaxPool:
        x = torch::max_pool2d(x, op.shape.pool);
        continue;
    }
    if (op.shape.relu) x = torch::relu(x);
    if (taps) taps->push_back(x);
  }
  return x;
}

namespace {

// Layer list builder: tracks the running (C, H, W) shape.
struct Builder {
  int c = 1, h = 28, w = 28;
  std::vector<Layer> layers;
  void conv(int out, int k, int pad) {
    Layer l;
    l.kind = LayerKind::kConv;
    l.in_c = c, l.in_h = h, l.in_w = w, l.kernel = k, l.pad = pad, l.relu = true;
    l.out_c = out, l.out_h = h + 2 * pad - k + 1, l.out_w = w + 2 * pad - k + 1;
    push(l);
  }
  void pool(int p) {
    Layer l;
    l.kind = LayerKind::kMaxPool;
    l.in_c = c, l.in_h = h, l.in_w = w, l.pool = p, l.out_c = c, l.out_h = h / p, l.out_w = w / p;
    push(l);
  }
  void fc(int out, bool relu) {
    Layer l;
    l.kind = LayerKind::kFc;
    l.in_c = c, l.in_h = h, l.in_w = w, l.relu = relu, l.out_c = out, l.out_h = 1, l.out_w = 1;
    push(l);
  }
  void push(const Layer& l) {
    layers.push_back(l);
    c = l.out_c, h = l.out_h, w = l.out_w;
  }
};

}  // namespace

std::vector<Layer> architecture(const std::string& model) {
  Builder b;
  if (model == "cnn") {
    b.conv(16, 3, 1);  // 28x28x16
    b.pool(2);         // 14x14x16
    b.conv(32, 3, 0);  // 12x12x32
    b.pool(2);         // 6x6x32
    b.fc(10, false);   // 1152 -> 10
  } else {
    b.fc(128, true);  // 784 -> 128
    b.fc(64, true);   // 128 -> 64
    b.fc(10, false);  // 64 -> 10
  }
  return b.layers;
}

Net make_net(const std::vector<Layer>& layers) {
  Net net;
  int i = 0;
  for (const auto& l : layers) {
    Op op;
    op.shape = l;
    const std::string name = "l" + std::to_string(i++);
    if (l.kind == LayerKind::kConv)
      op.conv = net->register_module(name, torch::nn::Conv2d(torch::nn::Conv2dOptions(l.in_c, l.out_c, l.kernel).padding(l.pad)));
    if (l.kind == LayerKind::kFc) op.fc = net->register_module(name, torch::nn::Linear(l.in_size(), l.out_c));
    net->ops.push_back(op);
  }
  return net;
}

Net from_quantized(const dnn::Network& q) {
  std::vector<Layer> shapes;
  for (const Layer& l : q.layers) {
    Layer s = l;
    s.weights.clear(), s.bias.clear(), s.requant.clear(), s.w_scale.clear();
    shapes.push_back(s);
  }
  Net net = make_net(shapes);
  torch::NoGradGuard ng;
  for (size_t i = 0; i < q.layers.size(); ++i) {
    const Layer& l = q.layers[i];
    if (!l.is_gemm()) continue;
    const int64_t k = l.k(), n = l.n();
    auto w = torch::empty({n, k});
    auto b = torch::empty({n});
    for (int64_t j = 0; j < n; ++j) {
      for (int64_t t = 0; t < k; ++t) w[j][t] = l.weights[t * n + j] * l.w_scale[j];
      b[j] = l.bias[j] * l.in_scale * l.w_scale[j];
    }
    Op& op = net->ops[i];
    op.weight().copy_(w.reshape(op.weight().sizes()));
    op.bias().copy_(b);
  }
  return net;
}

torch::Tensor images_tensor(const ImageSet& set, const std::vector<size_t>& idx) {
  const int px = set.rows * set.cols;
  auto t = torch::empty({static_cast<int64_t>(idx.size()), 1, set.rows, set.cols});
  float* p = t.data_ptr<float>();
  for (size_t i = 0; i < idx.size(); ++i)
    for (int j = 0; j < px; ++j)
      p[i * px + j] = static_cast<float>(dnn::quantize_pixel(set.pixels[idx[i] * px + j]) * dnn::kInputScale);
  return t;
}

torch::Tensor images_tensor(const ImageSet& set, size_t first, size_t n) {
  std::vector<size_t> idx(n);
  for (size_t i = 0; i < n; ++i) idx[i] = first + i;
  return images_tensor(set, idx);
}

torch::Tensor labels_tensor(const ImageSet& set, const std::vector<size_t>& idx) {
  auto t = torch::empty({static_cast<int64_t>(idx.size())}, torch::kLong);
  for (size_t i = 0; i < idx.size(); ++i) t[i] = static_cast<int64_t>(set.labels[idx[i]]);
  return t;
}

std::vector<double> calibrate_scales(Net& net, const ImageSet& calib) {
  torch::NoGradGuard ng;
  net->eval();
  std::vector<torch::Tensor> taps;
  net->forward(images_tensor(calib, 0, calib.count()), &taps);
  std::vector<double> scales;
  for (size_t i = 0; i < taps.size(); ++i) {
    // Hidden layers: int8 (0..127 after ReLU). The class scores keep 16 bits so that argmax ties
    // are rare; they never feed another multiplier.
    const double out_max = i + 1 == taps.size() ? 32767 : 127;
    const double peak = taps[i].abs().max().item<double>();
    scales.push_back(peak > 0 ? peak / out_max : 1.0);
  }
  return scales;
}

std::vector<double> scales_of(const dnn::Network& q) {
  std::vector<double> scales;
  for (const Layer& l : q.layers)
    if (l.is_gemm()) scales.push_back(l.out_scale);
  return scales;
}

std::vector<double> activation_scales(const dnn::Network& q, const std::vector<int>& widths) {
  std::vector<const Layer*> gemm;
  for (const Layer& l : q.layers)
    if (l.is_gemm()) gemm.push_back(&l);
  std::vector<double> scales;
  for (size_t g = 0; g < gemm.size(); ++g) {
    const Layer& l = *gemm[g];
    const bool last = g + 1 == gemm.size();
    scales.push_back(last ? l.out_scale : l.out_scale * l.out_max / max_code(widths.at(g + 1)));
  }
  return scales;
}

std::vector<Layer> quantize(Net& net, const std::vector<double>& out_scales, const std::vector<int>& widths) {
  torch::NoGradGuard ng;
  auto width = [&](size_t g) { return widths.empty() ? 8 : widths.at(g); };
  std::vector<Layer> out;
  double in_scale = dnn::kInputScale;
  size_t g = 0;
  for (auto& op : net->ops) {
    Layer l = op.shape;
    if (l.kind == LayerKind::kMaxPool) {
      out.push_back(l);
      continue;
    }
    const bool last = &op == &net->ops.back();
    const int code = max_code(width(g));  // this layer's weights
    l.out_max = last ? 32767 : max_code(width(g + 1));
    l.out_min = l.relu ? 0 : -l.out_max - 1;
    l.out_scale = out_scales.at(g++);
    l.in_scale = in_scale;
    torch::Tensor w = op.weight().detach().reshape({l.out_c, -1}).to(torch::kDouble);
    torch::Tensor b = op.bias().detach().to(torch::kDouble);
    const int64_t k = l.k(), n = l.n();
    l.weights.assign(k * n, 0);
    for (int64_t j = 0; j < n; ++j) {
      const double wmax = w[j].abs().max().item<double>();
      const double ws = wmax > 0 ? wmax / code : 1.0;
      l.w_scale.push_back(ws);
      auto wj = w[j].contiguous();
      const double* wp = wj.data_ptr<double>();
      for (int64_t t = 0; t < k; ++t)
        l.weights[t * n + j] = static_cast<int8_t>(std::clamp<int>(dnn::quantize_weight(wp[t], ws), -code, code));
      const double bq = std::round(b[j].item<double>() / (in_scale * ws));
      l.bias.push_back(static_cast<int32_t>(std::clamp(bq, -2147483648.0, 2147483647.0)));
      l.requant.push_back(dnn::make_requant(in_scale * ws / l.out_scale));
    }
    in_scale = l.out_scale;
    out.push_back(l);
  }
  return out;
}

}  // namespace gm::train
