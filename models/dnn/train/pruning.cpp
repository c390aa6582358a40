#include "models/dnn/train/pruning.hpp"

#include <cmath>
#include <cstdio>

#include "models/dnn/layer_names.hpp"

namespace gm::train {

PruneMode parse_prune_mode(const std::string& text) {
  if (text == "weight") return PruneMode::kWeight;
  if (text == "channel") return PruneMode::kChannel;
  throw DataError("--prune-mode '" + text + "': use weight (unstructured) or channel (whole output channels)");
}

Pruning::Pruning(Net& net, double sparsity, PruneMode mode) {
  torch::NoGradGuard ng;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s pruning, %.0f %%:", mode == PruneMode::kWeight ? "weight" : "channel",
                100 * sparsity);
  text_ = buf;
  dnn::Network shapes;  // for the layers' names
  for (const Op& op : net->ops) shapes.layers.push_back(op.shape);
  size_t last = 0;
  for (size_t i = 0; i < net->ops.size(); ++i)
    if (net->ops[i].shape.is_gemm()) last = i;
  for (size_t i = 0; i < net->ops.size(); ++i) {
    Op& op = net->ops[i];
    if (!op.shape.is_gemm()) continue;
    const torch::Tensor w = op.weight().detach();
    Mask m{i, torch::ones_like(w), {}};
    if (mode == PruneMode::kWeight) {
      const int64_t drop = static_cast<int64_t>(std::floor(sparsity * w.numel()));
      if (drop > 0) {
        const double cut = std::get<0>(w.abs().flatten().kthvalue(drop)).item<double>();
        m.weight = (w.abs() > cut).to(w.dtype());
      }
      std::snprintf(buf, sizeof buf, " %s %lld/%lld weights kept", dnn::layer_name(shapes, i).c_str(), static_cast<long long>(m.weight.sum().item<double>()),
                    static_cast<long long>(w.numel()));
    } else {
      const int64_t n = op.shape.out_c;
      const int64_t drop = i == last ? 0 : std::min<int64_t>(n - 1, static_cast<int64_t>(std::floor(sparsity * n)));
      m.bias = torch::ones({n});
      if (drop > 0) {
        const torch::Tensor norms = w.reshape({n, -1}).norm(2, 1);
        const torch::Tensor order = norms.argsort();
        for (int64_t r = 0; r < drop; ++r) {
          const int64_t j = order[r].item<int64_t>();
          m.weight[j].zero_();
          m.bias[j] = 0;
        }
      }
      std::snprintf(buf, sizeof buf, " %s %lld/%lld channels kept", dnn::layer_name(shapes, i).c_str(), static_cast<long long>(n - drop),
                    static_cast<long long>(n));
    }
    text_ += (masks_.empty() ? "" : ",") + std::string(buf);
    masks_.push_back(m);
  }
  apply(net);
}

void Pruning::apply(Net& net) const {
  torch::NoGradGuard ng;
  for (const Mask& m : masks_) {
    Op& op = net->ops[m.op];
    op.weight().mul_(m.weight);
    if (m.bias.defined()) op.bias().mul_(m.bias);
  }
}

std::string Pruning::describe() const { return text_; }

}  // namespace gm::train
