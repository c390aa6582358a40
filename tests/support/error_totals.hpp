// Integer error totals of a model over every operand pair, e = model(a, b) - a*b, for the family
// tests that pin published or hand-derived figures. Integer sums keep the pinned values exact.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "models/arith.hpp"

namespace gm::test {

struct ErrorTotals {
  int64_t pairs = 0;
  int64_t errors = 0;   // pairs with e != 0
  int64_t sum = 0;      // sum of e
  int64_t sum_abs = 0;  // sum of |e|
  int64_t worst = 0;    // max |e|
  double mean() const { return static_cast<double>(sum) / static_cast<double>(pairs); }
  double mean_abs() const { return static_cast<double>(sum_abs) / static_cast<double>(pairs); }
};

inline ErrorTotals error_totals(const ModelFn& model, int w, bool is_signed) {
  ErrorTotals t;
  for (int64_t a = operand_min(w, is_signed); a <= operand_max(w, is_signed); ++a)
    for (int64_t b = operand_min(w, is_signed); b <= operand_max(w, is_signed); ++b) {
      const int64_t e = model(a, b) - a * b;
      ++t.pairs;
      t.errors += e != 0;
      t.sum += e;
      t.sum_abs += std::llabs(e);
      t.worst = std::max<int64_t>(t.worst, std::llabs(e));
    }
  return t;
}

}  // namespace gm::test
