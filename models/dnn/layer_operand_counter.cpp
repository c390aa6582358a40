#include "models/dnn/layer_operand_counter.hpp"

#include <array>
#include <stdexcept>

namespace gm::dnn {

void count_gemm_pairs(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n,
                      std::vector<uint64_t>& histogram) {
  std::array<uint64_t, 256> col{}, row{};
  std::vector<uint32_t> as, bs;  // the patterns present in this column and row
  for (int64_t t = 0; t < k; ++t) {
    col.fill(0), row.fill(0);
    as.clear(), bs.clear();
    for (int64_t i = 0; i < m; ++i) {
      const uint8_t a = static_cast<uint8_t>(x[i * k + t]);
      if (col[a]++ == 0) as.push_back(a);
    }
    for (int64_t j = 0; j < n; ++j) {
      const uint8_t b = static_cast<uint8_t>(w[t * n + j]);
      if (row[b]++ == 0) bs.push_back(b);
    }
    for (const uint32_t a : as)
      for (const uint32_t b : bs) histogram[(a << 8) | b] += col[a] * row[b];
  }
}

LayerOperandCounter::LayerOperandCounter(const Network& net, GemmEngine& inner) : net_(net), inner_(inner) {
  for (size_t i = 0; i < net.layers.size(); ++i)
    if (net.layers[i].is_gemm()) traces_[i];  // a zero histogram for every conv/fc layer
}

size_t LayerOperandCounter::index_of(const int8_t* weights) const {
  for (const auto& [i, trace] : traces_)
    if (net_.layers[i].weights.data() == weights) return i;
  throw std::logic_error("LayerOperandCounter: a GEMM on weights of no conv/fc layer of the network");
}

void LayerOperandCounter::gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) {
  count_gemm_pairs(x, m, k, w, n, traces_.at(index_of(w)).histogram);
  inner_.gemm(x, m, k, w, n, y);
}

void LayerOperandCounter::gemm_layer(const int8_t* x, int64_t m, int64_t k, const Layer& layer, int32_t* out) {
  count_gemm_pairs(x, m, k, layer.weights.data(), layer.n(), traces_.at(index_of(layer.weights.data())).histogram);
  inner_.gemm_layer(x, m, k, layer, out);
}

}  // namespace gm::dnn
