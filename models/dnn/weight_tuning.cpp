#include "models/dnn/weight_tuning.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <memory>
#include <stdexcept>

namespace gm::dnn {

namespace {

// The int8-exact golden engine that also counts every activation its layers multiply: the rows of
// X (im2col for a conv) are the operands the products see, each row entry once.
class HistogramEngine : public GemmEngine {
 public:
  HistogramEngine(const Network& net, const ProductTable& exact, std::vector<ActivationHistogram>& out)
      : net_(net), golden_(exact, 0), out_(out) {}
  void gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) override {
    golden_.gemm(x, m, k, w, n, y);
  }
  void gemm_layer(const int8_t* x, int64_t m, int64_t k, const Layer& l, int32_t* out) override {
    const auto at = std::find_if(net_.layers.begin(), net_.layers.end(), [&](const Layer& q) { return &q == &l; });
    if (at == net_.layers.end()) throw std::logic_error("HistogramEngine: the layer is not in the network");
    ActivationHistogram& h = out_[static_cast<size_t>(at - net_.layers.begin())];
    for (int64_t i = 0; i < m * k; ++i) ++h[static_cast<size_t>(x[i] + 128)];
    GemmEngine::gemm_layer(x, m, k, l, out);
  }

 private:
  const Network& net_;
  TableGemm golden_;
  std::vector<ActivationHistogram>& out_;
};

}  // namespace

std::vector<ActivationHistogram> activation_histograms(const Network& net, const uint8_t* pixels, size_t count,
                                                       size_t batch) {
  std::vector<ActivationHistogram> out(net.layers.size(), ActivationHistogram{});
  const ProductTable exact(parse_spec("exact:s=1"));
  HistogramEngine engine(net, exact, out);
  run_network(net, pixels, count, engine, batch);
  return out;
}

TuningError tuning_error(const ProductTable& m, const ActivationHistogram& h, int64_t k, int w, int w_prime) {
  double total = 0, sum = 0, sum2 = 0;
  for (int a = -128; a < 128; ++a) {
    const double c = static_cast<double>(h[static_cast<size_t>(a + 128)]);
    if (c == 0) continue;
    const double e = static_cast<double>(m.value(a, w_prime)) - static_cast<double>(a) * w;
    total += c, sum += c * e, sum2 += c * e * e;
  }
  TuningError r;
  if (total == 0) return r;
  r.mean = sum / total;
  r.second = sum2 / total;
  const double kd = static_cast<double>(k);
  r.dot_product = kd * r.second + kd * (kd - 1) * r.mean * r.mean;
  return r;
}

std::array<int8_t, 256> tune_weight_map(const ProductTable& m, const ActivationHistogram& h, int64_t k) {
  if (m.w() != 8 || !m.is_signed()) throw std::invalid_argument("tune_weight_map: the table must be w=8, s=1");
  std::array<int8_t, 256> map{};
  for (int w = -128; w < 128; ++w) {
    int best = std::clamp(w, -127, 127);
    double best_err = tuning_error(m, h, k, w, best).dot_product;
    for (int c = -127; c <= 127; ++c) {
      const double e = tuning_error(m, h, k, w, c).dot_product;
      const bool nearer = std::abs(c - w) < std::abs(best - w) || (std::abs(c - w) == std::abs(best - w) && c < best);
      if (e < best_err || (e == best_err && nearer)) best = c, best_err = e;
    }
    map[static_cast<size_t>(w + 128)] = static_cast<int8_t>(best);
  }
  return map;
}

Network tune_network(const Network& net, const std::vector<const ProductTable*>& tables,
                     const std::vector<ActivationHistogram>& histograms, std::vector<LayerTuning>* report) {
  if (tables.size() != net.layers.size() || histograms.size() != net.layers.size())
    throw std::invalid_argument("tune_network: one table slot and one histogram per layer");
  Network out = net;
  for (size_t i = 0; i < net.layers.size(); ++i) {
    if (!tables[i] || !net.layers[i].is_gemm()) continue;
    const Layer& l = net.layers[i];
    const auto map = tune_weight_map(*tables[i], histograms[i], l.k());
    // The error of each weight value, before and after, once: a layer has thousands of weights
    // and at most 256 values.
    std::array<double, 256> before{}, after{};
    for (int w = -128; w < 128; ++w) {
      const size_t v = static_cast<size_t>(w + 128);
      before[v] = tuning_error(*tables[i], histograms[i], l.k(), w, w).dot_product;
      after[v] = tuning_error(*tables[i], histograms[i], l.k(), w, map[v]).dot_product;
    }
    LayerTuning t;
    t.layer = i;
    for (size_t j = 0; j < l.weights.size(); ++j) {
      const size_t v = static_cast<size_t>(l.weights[j] + 128);
      out.layers[i].weights[j] = map[v];
      ++t.weights;
      t.changed += map[v] != l.weights[j];
      t.error_before += before[v];
      t.error_after += after[v];
    }
    if (t.weights) t.error_before /= static_cast<double>(t.weights), t.error_after /= static_cast<double>(t.weights);
    if (report) report->push_back(t);
  }
  return out;
}

Network tune_network(const Network& net, const std::vector<LayerSpec>& layers,
                     const std::vector<ActivationHistogram>& histograms, std::vector<LayerTuning>* report) {
  std::vector<std::unique_ptr<ProductTable>> owned;
  std::vector<const ProductTable*> tables(net.layers.size(), nullptr);
  for (const auto& l : layers)
    if (l.spec.family != "exact") {
      owned.push_back(std::make_unique<ProductTable>(l.spec));
      tables[l.index] = owned.back().get();
    }
  return tune_network(net, tables, histograms, report);
}

}  // namespace gm::dnn
