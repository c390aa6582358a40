#include "models/dnn/layer_gemm.hpp"

#include <stdexcept>

namespace gm::dnn {

LayerGemm::LayerGemm(const Network& net, const LayerMultipliers& layers, int threads, OperandTrace* trace)
    : net_(net), engine_of_layer_(net.layers.size(), -1) {
  for (const LayerSpec& l : layers.resolve(net)) {
    const std::string key = l.spec.canonical();
    int e = -1;
    for (size_t i = 0; i < specs_.size(); ++i)
      if (specs_[i].canonical() == key) e = static_cast<int>(i);
    if (e < 0) {
      e = static_cast<int>(specs_.size());
      specs_.push_back(l.spec);
      tables_.push_back(std::make_unique<ProductTable>(l.spec));
      engines_.push_back(std::make_unique<TableGemm>(*tables_.back(), threads, trace));
    }
    engine_of_layer_[l.index] = e;
  }
}

TableGemm& LayerGemm::engine_for(const int8_t* weights) {
  for (size_t i = 0; i < net_.layers.size(); ++i)
    if (engine_of_layer_[i] >= 0 && net_.layers[i].weights.data() == weights) return *engines_[engine_of_layer_[i]];
  throw std::logic_error("LayerGemm: a GEMM on weights that belong to no conv/fc layer of the network it was built for");
}

void LayerGemm::gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) {
  engine_for(w).gemm(x, m, k, w, n, y);
}

void LayerGemm::gemm_layer(const int8_t* x, int64_t m, int64_t k, const Layer& layer, int32_t* out) {
  engine_for(layer.weights.data()).gemm_layer(x, m, k, layer, out);
}

uint64_t LayerGemm::macs() const {
  uint64_t s = 0;
  for (const auto& e : engines_) s += e->macs();
  return s;
}

const Spec& LayerGemm::spec_of_layer(size_t index) const {
  if (index >= engine_of_layer_.size() || engine_of_layer_[index] < 0)
    throw std::out_of_range("LayerGemm: layer " + std::to_string(index) + " is not a conv/fc layer of the network");
  return specs_[engine_of_layer_[index]];
}

double layer_accuracy(const Network& net, const LayerMultipliers& layers, const ImageSet& images, int threads) {
  LayerGemm engine(net, layers, threads);
  const auto out = run_network(net, images.pixels.data(), images.count(), engine, 500);
  return accuracy(out, net.classes(), images.labels.data(), images.count());
}

}  // namespace gm::dnn
