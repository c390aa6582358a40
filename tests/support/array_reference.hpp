// The tests' independent reference for a GEMM on the array: each product through its PE's ModelFn
// (PE (k mod R, n mod C)), summed in 64 bits, cut to the accumulator width, and, when the array has
// an output stage, requantized by the tests' own requant_ref. Shared by the array tests so that
// there is one reference, written apart from the code under test.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tb/array_runner.hpp"
#include "tests/support/requant_ref.hpp"

namespace gm::test {

inline std::vector<int64_t> array_reference(const ArrayConfig& cfg, const GemmProblem& p) {
  std::map<std::string, ModelFn> models;
  for (const auto& s : cfg.pe) models.emplace(s.canonical(), s.def().make_model(s));
  std::vector<int64_t> y(p.m * p.n);
  for (int64_t i = 0; i < p.m; ++i)
    for (int64_t j = 0; j < p.n; ++j) {
      uint64_t sum = 0;
      for (int64_t q = 0; q < p.k; ++q) {
        const ModelFn& f = models.at(cfg.at(q % cfg.rows, j % cfg.cols).canonical());
        sum += static_cast<uint64_t>(f(p.x[i * p.k + q], p.w[q * p.n + j]));
      }
      const int64_t acc = wrap_bits(static_cast<int64_t>(sum), cfg.acc_width);
      y[i * p.n + j] = cfg.out_stage ? requant_ref(acc, p.params[j]) : acc;
    }
  return y;
}

}  // namespace gm::test
