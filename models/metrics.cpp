#include "models/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <sstream>

#include "models/arith.hpp"

namespace gm {
namespace {

// ---- distribution text ------------------------------------------------------------------------

std::vector<std::string> split_fields(const std::string& line) {
  std::istringstream ss(line);
  std::vector<std::string> out;
  std::string f;
  while (ss >> f) out.push_back(f);
  return out;
}

bool parse_int64(const std::string& text, int64_t& out) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (first != last && *first == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, last, out);
  return ec == std::errc() && ptr == last && first != last;
}

// A finite number >= 0 in decimal or scientific notation: digits, an optional fraction, an optional
// exponent. strtod alone would also take hexadecimal ("0x10"), "inf" and "nan", which the format
// does not allow.
bool parse_weight(const std::string& text, double& out) {
  static const std::regex decimal(R"(^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$)");
  if (!std::regex_match(text, decimal)) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && !text.empty() && std::isfinite(out) && out >= 0;
}

std::string where(const std::string& origin, int line) { return origin + " line " + std::to_string(line) + ": "; }

// ---- accumulation -----------------------------------------------------------------------------

// Weighted sums of the error terms; every pair of an unweighted run has weight 1. long double keeps
// the integer sums exact up to 2^64 (w = 12: sum |e| <= 2^48) and rounds far below the printed
// precision beyond.
class ErrorSums {
 public:
  void add(int64_t approx, int64_t exact, long double p) {
    if (p == 0) return;  // a pair that never occurs contributes nothing, not even to the maxima
    const int64_t e = approx - exact;
    const int64_t mag = e < 0 ? -e : e;
    ++pairs_;
    total_ += p;
    if (e != 0) wrong_ += p;
    abs_ += p * mag;
    sum_ += p * e;
    sq_ += p * static_cast<long double>(e) * e;
    wce_ = std::max(wce_, mag);
    if (exact != 0) {
      const long double rel = static_cast<long double>(mag) / std::llabs(exact);
      nonzero_ += p;
      rel_ += p * rel;
      wcre_ = std::max(wcre_, rel);
    }
  }

  // Fills the error figures of m (not zero_ok / commutative).
  void finish(int w, bool is_signed, ErrorMetrics& m) const {
    m.pairs = pairs_;
    if (total_ == 0) return;
    m.er = static_cast<double>(wrong_ / total_);
    m.med = static_cast<double>(abs_ / total_);
    m.nmed = m.med / full_scale(w);
    m.nmed_max = m.med / largest_product(w, is_signed);
    m.mred = nonzero_ > 0 ? static_cast<double>(rel_ / nonzero_) : 0.0;
    m.wce = wce_;
    m.wcre = static_cast<double>(wcre_);
    const long double bias = sum_ / total_, mse = sq_ / total_;
    m.bias = static_cast<double>(bias);
    m.mse = static_cast<double>(mse);
    // mse - bias^2 can come out a rounding step below zero for an unbiased constant error
    m.var = std::max(0.0, static_cast<double>(mse - bias * bias));
  }

 private:
  uint64_t pairs_ = 0;
  long double total_ = 0, wrong_ = 0, abs_ = 0, sum_ = 0, sq_ = 0, nonzero_ = 0, rel_ = 0, wcre_ = 0;
  int64_t wce_ = 0;
};

std::string operand_range_text(int w, bool is_signed) {
  return std::to_string(operand_min(w, is_signed)) + ".." + std::to_string(operand_max(w, is_signed));
}

// zero_ok over every x, from the table.
bool zero_ok_table(const ProductTable& t) {
  for (uint64_t x = 0; x < t.side(); ++x)
    if (t.at(x, 0) != 0 || t.at(0, x) != 0) return false;
  return true;
}

bool commutative_table(const ProductTable& t) {
  for (uint64_t a = 0; a < t.side(); ++a)
    for (uint64_t b = a + 1; b < t.side(); ++b)
      if (t.at(a, b) != t.at(b, a)) return false;
  return true;
}

// Above the table width: every x for zero_ok (2^w each side), sampled pairs for the rest.
ErrorMetrics sampled_metrics(const ModelFn& model, int w, bool is_signed, const MetricOptions& opt) {
  ErrorMetrics m;
  m.exhaustive = false;
  m.weighted = opt.dist != nullptr;
  for (uint64_t x = 0; x < (uint64_t{1} << w) && m.zero_ok; ++x) {
    const int64_t v = wrap(static_cast<int64_t>(x), w, is_signed);
    m.zero_ok = model(v, 0) == 0 && model(0, v) == 0;
  }
  ErrorSums sums;
  PairStream stream(w, opt.random_pairs, opt.seed);
  for (uint64_t k = 0; k < stream.total(); ++k) {
    uint64_t ab = 0, bb = 0;
    stream.pair(k, ab, bb);
    const int64_t a = wrap(static_cast<int64_t>(ab), w, is_signed);
    const int64_t b = wrap(static_cast<int64_t>(bb), w, is_signed);
    const int64_t approx = model(a, b);
    if (m.commutative && model(b, a) != approx) m.commutative = false;
    if (!opt.dist) sums.add(approx, a * b, 1);
  }
  if (opt.dist)
    for (const auto& e : opt.dist->entries) sums.add(model(e.a, e.b), e.a * e.b, e.p);
  sums.finish(w, is_signed, m);
  return m;
}

std::string width_text(int w, bool is_signed) {
  return std::string(is_signed ? "signed" : "unsigned") + " w=" + std::to_string(w) + " operands";
}

}  // namespace

Distribution parse_distribution(const std::string& text, const std::string& origin) {
  Distribution dist;
  dist.origin = origin;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    const auto fields = split_fields(line);
    if (fields.empty()) continue;
    if (fields.size() != 3)
      throw SpecError(where(origin, number) + "expected three fields 'a b weight', found " +
                      std::to_string(fields.size()));
    Distribution::Entry e;
    e.line = number;
    if (!parse_int64(fields[0], e.a))
      throw SpecError(where(origin, number) + "operand a '" + fields[0] + "' is not an integer");
    if (!parse_int64(fields[1], e.b))
      throw SpecError(where(origin, number) + "operand b '" + fields[1] + "' is not an integer");
    if (!parse_weight(fields[2], e.p))
      throw SpecError(where(origin, number) + "weight '" + fields[2] + "' is not a finite decimal number >= 0 (e.g. 3, 0.25, 1e-3)");
    dist.entries.push_back(e);
  }
  return normalised_distribution(std::move(dist.entries), origin);
}

Distribution normalised_distribution(std::vector<Distribution::Entry> weighted, const std::string& origin) {
  Distribution dist;
  dist.origin = origin;
  dist.entries = std::move(weighted);
  long double total = 0;
  for (const auto& e : dist.entries) total += e.p;
  if (dist.entries.empty())
    throw SpecError(origin + " has no 'a b weight' lines; give one operand pair and its weight per line");
  if (!(total > 0) || !std::isfinite(static_cast<double>(total)))
    throw SpecError("the weights in " + origin + " " + (total > 0 ? "overflow" : "are all zero") +
                    "; give the pairs finite weights, at least one of them positive");
  for (auto& e : dist.entries) e.p = static_cast<double>(e.p / total);
  return dist;
}

void check_distribution(const Distribution& dist, int w, bool is_signed, const std::string& who) {
  const int64_t lo = operand_min(w, is_signed), hi = operand_max(w, is_signed);
  for (const auto& e : dist.entries) {
    const bool a_bad = e.a < lo || e.a > hi;
    if (a_bad || e.b < lo || e.b > hi)
      throw SpecError(where(dist.origin, e.line) + "operand " + (a_bad ? "a=" + std::to_string(e.a) : "b=" + std::to_string(e.b)) +
                      " is outside the range of " + who + " (" + operand_range_text(w, is_signed) +
                      "); write operands as " + (is_signed ? "signed" : "unsigned") + " values of that range");
  }
}

double full_scale(int w) { return std::ldexp(1.0, 2 * w); }

double largest_product(int w, bool is_signed) {
  if (is_signed) return std::ldexp(1.0, 2 * w - 2);  // (-2^(w-1))^2
  const double top = std::ldexp(1.0, w) - 1;
  return top * top;
}

ErrorMetrics compute_metrics(const ProductTable& t, const MetricOptions& opt) {
  const int w = t.w();
  const bool s = t.is_signed();
  ErrorMetrics m;
  m.weighted = opt.dist != nullptr;
  m.zero_ok = zero_ok_table(t);
  m.commutative = commutative_table(t);
  ErrorSums sums;
  if (opt.dist) {
    check_distribution(*opt.dist, w, s, width_text(w, s));
    for (const auto& e : opt.dist->entries) sums.add(t.value(e.a, e.b), e.a * e.b, e.p);
  } else {
    std::vector<int64_t> value(t.side());
    for (uint64_t bits = 0; bits < t.side(); ++bits) value[bits] = t.operand(bits);
    for (uint64_t a = 0; a < t.side(); ++a)
      for (uint64_t b = 0; b < t.side(); ++b) sums.add(t.at(a, b), value[a] * value[b], 1);
  }
  sums.finish(w, s, m);
  return m;
}

ErrorMetrics compute_metrics(const ModelFn& model, int w, bool is_signed, const MetricOptions& opt) {
  if (w <= kMaxTableWidth) return compute_metrics(ProductTable(w, is_signed, model), opt);
  if (opt.dist) check_distribution(*opt.dist, w, is_signed, width_text(w, is_signed));
  return sampled_metrics(model, w, is_signed, opt);
}

ErrorMetrics compute_metrics(const Spec& spec, const MetricOptions& opt) {
  if (opt.dist) check_distribution(*opt.dist, spec.w, spec.is_signed, spec.canonical());
  ErrorMetrics m = compute_metrics(spec.def().make_model(spec), spec.w, spec.is_signed, opt);
  m.spec = spec.canonical();
  m.name = spec.name();
  return m;
}

}  // namespace gm
