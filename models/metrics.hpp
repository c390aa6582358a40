// Error metrics of an approximate multiplier against the exact product.
//
// For every operand pair (a, b) in the natural range (signed: -2^(w-1) .. 2^(w-1)-1) the error is
// e = approx - exact, with approx the design's product (the value of its 2w-bit output word) and exact
// the true mathematical product a*b. Conventions follow EvoApproxLib's current metadata and the
// Jiang/Han/Lombardi survey (see docs/metrics.md and shared/reference/approx-multipliers.md):
//
//   er        share of pairs with e != 0                      (EvoApproxLib "EP")
//   med       mean |e|                                        (EvoApproxLib "MAE")
//   nmed      med / 2^(2w)                                    (EvoApproxLib MAE% / 100)
//   nmed_max  med / largest |exact|: (2^w-1)^2 unsigned, 2^(2w-2) signed
//   mred      mean |e|/|exact| over the pairs with exact != 0 (EvoApproxLib "MRE", current)
//   wce       max |e|;  wcre  max |e|/|exact| over exact != 0
//   bias      mean e;   mse  mean e^2;   var  mse - bias^2
//   zero_ok   model(x, 0) == 0 and model(0, x) == 0 for every x
//   commutative model(a, b) == model(b, a) for every pair
//
// Pairs: every pair for w <= 12; above, the corner pairs plus uniform random pairs with a fixed seed
// (the same stream `greenmac verify` uses), reported with exhaustive = false. With a distribution
// every pair is weighted by its probability: means become weighted means, maxima are taken over the
// pairs of non-zero probability; zero_ok and commutative are properties of the design and are still
// checked over all pairs (sampled pairs above w = 12).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/pairs.hpp"
#include "models/product_table.hpp"
#include "models/spec.hpp"

namespace gm {

// An operand-pair distribution, e.g. the operands a DNN layer actually multiplies.
// Text format (docs/metrics.md): '#' starts a comment, blank lines are ignored, every other line is
// "a b weight" with a, b integers in the operand range and weight a finite number >= 0. Weights are
// normalised to sum 1; a pair listed twice counts with the sum of its weights.
struct Distribution {
  struct Entry {
    int64_t a = 0, b = 0;
    double p = 0;  // normalised probability
    int line = 0;  // line in the source, for messages
  };
  std::string origin;  // file name, for messages
  std::vector<Entry> entries;
};

// Parses the text format; throws SpecError naming origin and line for a malformed line, and for a
// file whose weights are all zero (or that has no entries).
Distribution parse_distribution(const std::string& text, const std::string& origin);

// A distribution from pairs held in memory, each Entry::p a raw weight (e.g. a count): normalised
// exactly as parse_distribution normalises a file's weights (same order, same sum), so a file and
// the pairs it was written from give the same probabilities. Throws SpecError like parse_distribution.
Distribution normalised_distribution(std::vector<Distribution::Entry> weighted, const std::string& origin);

// Throws SpecError when an operand of the distribution is outside the range of w-bit operands of the
// given signedness; `who` names the design in the message.
void check_distribution(const Distribution& dist, int w, bool is_signed, const std::string& who);

struct ErrorMetrics {
  std::string spec;          // canonical spec (empty for a bare model)
  std::string name;          // design name (empty for a bare model)
  uint64_t pairs = 0;        // pairs evaluated; with a distribution, its pairs of non-zero weight
  bool exhaustive = true;    // every operand pair examined (w <= 12)
  bool weighted = false;     // computed under a distribution
  double er = 0, med = 0, nmed = 0, nmed_max = 0, mred = 0;
  int64_t wce = 0;
  double wcre = 0, bias = 0, mse = 0, var = 0;
  bool zero_ok = true, commutative = true;
};

struct MetricOptions {
  const Distribution* dist = nullptr;  // null: every pair weighs the same
  uint64_t random_pairs = kDefaultRandomPairs;  // w > 12 only
  uint64_t seed = 1;                            // w > 12 only; verify's default seed
};

// The two NMED normalisers.
double full_scale(int w);                      // 2^(2w)
double largest_product(int w, bool is_signed);  // (2^w-1)^2 unsigned, 2^(2w-2) signed

ErrorMetrics compute_metrics(const ProductTable& table, const MetricOptions& opt = {});
ErrorMetrics compute_metrics(const ModelFn& model, int w, bool is_signed, const MetricOptions& opt = {});
ErrorMetrics compute_metrics(const Spec& spec, const MetricOptions& opt = {});

}  // namespace gm
