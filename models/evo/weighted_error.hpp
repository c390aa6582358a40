// The error of a candidate multiplier under the network's operand distribution: the figures the
// evolutionary search bounds (Mrazek et al., ICCAD 2016, evolved multipliers for neural networks
// under a weighted mean error distance; Vasicek et al. 2019). Definitions as models/metrics.hpp with
// a distribution: e = approx - exact, every figure weighted by the pair's probability and taken over
// the pairs of non-zero weight only (wce is the worst case the network can meet, wmred leaves out
// exact = 0 and renormalises).
//
// The evaluator reads a whole truth table (BitSim::products) and sums over the distribution's
// entries only, so its cost is the number of distinct pairs the network multiplies.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/metrics.hpp"

namespace gm::evo {

enum class ErrorMetric : uint8_t { kEr, kWmed, kWmred, kWce, kBias, kWmse };
inline constexpr int kErrorMetricCount = 6;
const char* metric_name(ErrorMetric m);  // "er", "wmed", "wmred", "wce", "bias", "wmse"
bool metric_from_name(const std::string& name, ErrorMetric& m);

struct WeightedError {
  double er = 0;     // probability of a wrong product
  double wmed = 0;   // E|e|
  double wmred = 0;  // E(|e| / |exact|) over exact != 0
  double wce = 0;    // max |e| over the pairs of non-zero weight
  double bias = 0;   // E e (signed; bounds take |bias|)
  double wmse = 0;   // E e^2
  double get(ErrorMetric m) const;  // the bounded magnitude: |bias| for kBias
};

// One error bound: every listed metric at most its limit. `text` is as the user wrote it.
struct ErrorBound {
  struct Limit {
    ErrorMetric metric = ErrorMetric::kWmed;
    double value = 0;  // in the metric's own unit (absolute products, or a fraction for er/wmred)
  };
  std::vector<Limit> limits;
  std::string text;
  // How far outside the bound: the sum over limits of max(0, value/limit - 1) (0 = inside). A
  // limit of 0 counts any excess as 1e9 times it.
  double violation(const WeightedError& e) const;
  // The same over several distributions at once (evolve --dist-layer: the whole network's and each
  // listed layer's): the sum of their violations, so 0 only when every one is inside the bound.
  double violation(const WeightedError& total, const std::vector<WeightedError>& layers) const;
};

// "wmed=0.1%,wce=300": METRIC=VALUE joined by commas. For wmed, wce, bias and wmse a value ending
// in '%' is a share of the full scale 2^(2w) (its square for wmse), EvoApproxLib's convention
// (MAE% = MAE / 65536 x 100 at w = 8); without it, an absolute product difference. For er and
// wmred '%' means per cent and a bare value a fraction. Throws UserError with one line naming the
// bound and the fix.
ErrorBound parse_error_bound(const std::string& text, int w);

class ErrorEvaluator {
 public:
  // dist: the operand distribution (checked against w and s by the caller).
  ErrorEvaluator(const Distribution& dist, int w, bool is_signed);
  // products: the truth table, index (a_bits << w) | b_bits, as BitSim::products writes it.
  WeightedError evaluate(const std::vector<int64_t>& products) const;
  size_t entries() const { return index_.size(); }

 private:
  std::vector<uint32_t> index_;
  std::vector<double> p_;
  std::vector<int64_t> exact_;
  std::vector<double> inv_exact_;  // 1/|exact|, 0 for exact = 0
  double nonzero_p_ = 0;
};

}  // namespace gm::evo
