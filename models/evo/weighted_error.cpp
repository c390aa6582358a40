#include "models/evo/weighted_error.hpp"

#include <cmath>
#include <cstdlib>
#include <map>

#include "models/arith.hpp"
#include "models/errors.hpp"
#include "models/pairs.hpp"

namespace gm::evo {
namespace {

constexpr const char* kNames[kErrorMetricCount] = {"er", "wmed", "wmred", "wce", "bias", "wmse"};

bool is_fraction(ErrorMetric m) { return m == ErrorMetric::kEr || m == ErrorMetric::kWmred; }

double parse_limit(const std::string& value, ErrorMetric m, int w, const std::string& whole) {
  const bool percent = !value.empty() && value.back() == '%';
  const std::string number = percent ? value.substr(0, value.size() - 1) : value;
  char* end = nullptr;
  const double x = number.empty() ? NAN : std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(x) || x < 0 ||
      number.find_first_of("eExXnN") != std::string::npos)
    throw UserError("--bound " + whole + ": '" + value + "' is not a non-negative number; write e.g. wmed=0.1% or wce=300");
  if (is_fraction(m)) return percent ? x / 100 : x;
  if (!percent) return x;
  const double scale = std::ldexp(1.0, 2 * w);
  return m == ErrorMetric::kWmse ? x / 100 * scale * scale : x / 100 * scale;
}

}  // namespace

const char* metric_name(ErrorMetric m) { return kNames[static_cast<int>(m)]; }

bool metric_from_name(const std::string& name, ErrorMetric& m) {
  for (int i = 0; i < kErrorMetricCount; ++i)
    if (name == kNames[i]) {
      m = static_cast<ErrorMetric>(i);
      return true;
    }
  return false;
}

double WeightedError::get(ErrorMetric m) const {
  switch (m) {
    case ErrorMetric::kEr: return er;
    case ErrorMetric::kWmed: return wmed;
    case ErrorMetric::kWmred: return wmred;
    case ErrorMetric::kWce: return wce;
    case ErrorMetric::kBias: return std::fabs(bias);
    case ErrorMetric::kWmse: return wmse;
  }
  return 0;
}

double ErrorBound::violation(const WeightedError& e) const {
  double v = 0;
  for (const Limit& l : limits) {
    const double x = e.get(l.metric);
    if (x <= l.value) continue;
    v += l.value > 0 ? x / l.value - 1 : 1e9 * x;
  }
  return v;
}

double ErrorBound::violation(const WeightedError& total, const std::vector<WeightedError>& layers) const {
  double v = violation(total);
  for (const WeightedError& e : layers) v += violation(e);
  return v;
}

ErrorBound parse_error_bound(const std::string& text, int w) {
  ErrorBound b;
  b.text = text;
  std::map<ErrorMetric, bool> seen;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const size_t eq = item.find('=');
    ErrorMetric m{};
    if (eq == std::string::npos || !metric_from_name(item.substr(0, eq), m))
      throw UserError("--bound " + text + ": '" + item +
                      "' is not METRIC=VALUE with METRIC one of er, wmed, wmred, wce, bias, wmse; write e.g. wmed=0.1%");
    if (seen[m]) throw UserError("--bound " + text + ": " + metric_name(m) + " is given twice; give each metric once");
    seen[m] = true;
    b.limits.push_back({m, parse_limit(item.substr(eq + 1), m, w, text)});
    start = comma + 1;
  }
  return b;
}

ErrorEvaluator::ErrorEvaluator(const Distribution& dist, int w, bool is_signed) {
  for (const auto& e : dist.entries) {
    if (e.p <= 0) continue;
    index_.push_back(static_cast<uint32_t>(pair_index(e.a, e.b, w)));
    p_.push_back(e.p);
    const int64_t exact = wrap(e.a, w, is_signed) * wrap(e.b, w, is_signed);
    exact_.push_back(exact);
    inv_exact_.push_back(exact == 0 ? 0.0 : 1.0 / static_cast<double>(std::llabs(exact)));
    if (exact != 0) nonzero_p_ += e.p;
  }
}

WeightedError ErrorEvaluator::evaluate(const std::vector<int64_t>& products) const {
  double total = 0, wrong = 0, abs_sum = 0, sum = 0, sq = 0, rel = 0;
  int64_t worst = 0;
  for (size_t i = 0; i < index_.size(); ++i) {
    const int64_t e = products[index_[i]] - exact_[i];
    const int64_t mag = e < 0 ? -e : e;
    const double p = p_[i];
    total += p;
    if (e != 0) wrong += p;
    abs_sum += p * static_cast<double>(mag);
    sum += p * static_cast<double>(e);
    sq += p * static_cast<double>(e) * static_cast<double>(e);
    rel += p * static_cast<double>(mag) * inv_exact_[i];
    worst = std::max(worst, mag);
  }
  WeightedError r;
  if (total <= 0) return r;
  r.er = wrong / total;
  r.wmed = abs_sum / total;
  r.bias = sum / total;
  r.wmse = sq / total;
  r.wmred = nonzero_p_ > 0 ? rel / nonzero_p_ : 0;
  r.wce = static_cast<double>(worst);
  return r;
}

}  // namespace gm::evo
