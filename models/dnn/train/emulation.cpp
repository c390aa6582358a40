#include "models/dnn/train/emulation.hpp"

#include <algorithm>
#include <map>

#include "models/dnn/network.hpp"

namespace gm::train {

using dnn::LayerKind;

torch::Tensor fake_quantize(const torch::Tensor& v, const torch::Tensor& s, double lo, double hi) {
  const torch::Tensor q = (v / s).round().clamp(lo, hi) * s;
  return v + (q - v).detach();
}

Emulation::Emulation(const dnn::Network& shape, const std::vector<double>& out_scales,
                     const dnn::LayerMultipliers& layers, int threads)
    : threads_(threads) {
  const std::vector<dnn::LayerSpec> resolved = layers.assignments(shape);
  // One error table per distinct spec; null for a multiplier without error.
  std::map<std::string, std::shared_ptr<const ProductTable>> errors;
  for (const Spec& spec : dnn::distinct_specs(resolved)) {
    const ProductTable m(spec);
    auto error = std::make_shared<const ProductTable>(8, true, [&](int64_t a, int64_t b) { return m.value(a, b) - a * b; });
    const auto& e = error->entries();
    if (std::all_of(e.begin(), e.end(), [](int32_t v) { return v == 0; })) error = nullptr;
    errors[spec.canonical()] = error;
  }
  double in_scale = dnn::kInputScale;
  size_t g = 0;
  for (const dnn::LayerSpec& ls : resolved) {
    LayerEmulation le;
    le.in_scale = in_scale;
    in_scale = out_scales.at(g++);
    le.error = errors.at(ls.spec.canonical());
    le.width = ls.spec.w;
    layers_.push_back(le);
  }
}

torch::Tensor Emulation::error_term(const Op& op, const LayerEmulation& le, const torch::Tensor& a_q,
                                    const torch::Tensor& w_q, const torch::Tensor& w_scale, int64_t out_h,
                                    int64_t out_w) const {
  const bool conv = op.shape.kind == LayerKind::kConv;
  const int64_t batch = a_q.size(0), n = w_q.size(0), k = w_q.size(1);
  torch::Tensor x;  // M x K int8, rows = (image, output position)
  if (conv) {
    namespace F = torch::nn::functional;
    const auto cols = F::unfold(a_q, F::UnfoldFuncOptions({op.shape.kernel, op.shape.kernel}).padding(op.shape.pad));
    x = cols.transpose(1, 2).reshape({-1, k});
  } else {
    x = a_q.flatten(1);
  }
  x = x.to(torch::kInt8).contiguous();
  const torch::Tensor w = w_q.t().to(torch::kInt8).contiguous();  // K x N
  const int64_t m = x.size(0);
  torch::Tensor y = torch::empty({m, n}, torch::kInt32);
  dnn::TableGemm engine(*le.error, threads_);
  engine.gemm(x.data_ptr<int8_t>(), m, k, w.data_ptr<int8_t>(), n, y.data_ptr<int32_t>());
  torch::Tensor out = y.to(torch::kFloat) * (w_scale * le.in_scale);
  if (conv) out = out.reshape({batch, out_h * out_w, n}).permute({0, 2, 1}).reshape({batch, n, out_h, out_w});
  return out;
}

torch::Tensor Emulation::forward(Net& net, torch::Tensor x) const {
  size_t g = 0;
  for (auto& op : net->ops) {
    const dnn::Layer& l = op.shape;
    if (l.kind == LayerKind::kMaxPool) {
      x = torch::max_pool2d(x, l.pool);
      continue;
    }
    const LayerEmulation& le = layers_.at(g++);
    const torch::Tensor s_in = torch::full({}, le.in_scale);
    const double q = max_code(le.width);
    // Every layer's input is a ReLU output (0 .. q) or the pixels (0 .. 127, docs/quantization.md;
    // the first layer keeps 8 bits).
    const torch::Tensor a = fake_quantize(x, s_in, 0, q);
    const torch::Tensor w2 = op.weight().reshape({l.out_c, -1});
    const torch::Tensor s_w = (w2.detach().abs().amax(1) / q).clamp_min(1e-12);
    const torch::Tensor w_fq = fake_quantize(w2, s_w.unsqueeze(1), -q, q);
    torch::Tensor y;
    if (l.kind == LayerKind::kConv)
      y = torch::conv2d(a, w_fq.reshape(op.weight().sizes()), op.bias(), 1, l.pad);
    else
      y = torch::nn::functional::linear(a.flatten(1), w_fq, op.bias());
    if (le.error) {
      torch::Tensor error;
      {
        torch::NoGradGuard ng;  // a constant of the backward pass
        const torch::Tensor a_q = (a / s_in).round();
        const torch::Tensor w_q = (w_fq / s_w.unsqueeze(1)).round();
        error = error_term(op, le, a_q, w_q, s_w, l.out_h, l.out_w);
      }
      y = y + error;
    }
    if (l.relu) y = torch::relu(y);
    x = y;
  }
  return x;
}

}  // namespace gm::train
