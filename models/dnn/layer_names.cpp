#include "models/dnn/layer_names.hpp"

#include <stdexcept>

namespace gm::dnn {

const char* layer_name_prefix(LayerKind kind) {
  switch (kind) {
    case LayerKind::kConv:
      return "conv";
    case LayerKind::kFc:
      return "fc";
    case LayerKind::kMaxPool:
      return "pool";
  }
  return "layer";
}

std::string layer_name(const Network& net, size_t index) {
  if (index >= net.layers.size())
    throw std::out_of_range("layer index " + std::to_string(index) + " outside a network of " +
                            std::to_string(net.layers.size()) + " layers");
  const LayerKind kind = net.layers[index].kind;
  int ordinal = 0;
  for (size_t i = 0; i <= index; ++i) ordinal += net.layers[i].kind == kind;
  return layer_name_prefix(kind) + std::to_string(ordinal);
}

std::vector<GemmLayerInfo> gemm_layers(const Network& net) {
  std::vector<GemmLayerInfo> out;
  const int64_t total = net.macs_per_image();
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (!l.is_gemm()) continue;
    GemmLayerInfo g;
    g.index = i;
    g.name = layer_name(net, i);
    g.description = l.describe();
    g.k = l.k();
    g.n = l.n();
    g.macs_per_image = l.macs_per_image();
    g.mac_share = total > 0 ? static_cast<double>(g.macs_per_image) / static_cast<double>(total) : 0;
    out.push_back(std::move(g));
  }
  return out;
}

std::string gemm_layer_name_list(const Network& net) {
  std::string s;
  for (const auto& g : gemm_layers(net)) s += (s.empty() ? "" : ", ") + g.name;
  return s;
}

}  // namespace gm::dnn
