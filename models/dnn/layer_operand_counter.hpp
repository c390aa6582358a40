// The operand pairs of each conv/fc layer, counted as the network runs: `dnn eval --trace-layers`
// writes them as one histogram per layer beside the whole network's (docs/dnn.md), and `evolve
// --dist-layer` bounds a circuit's error on each of them (docs/evolve.md).
//
// A wrapper engine: every gemm_layer call is counted for its layer and then passed on unchanged to
// the row's own engine. So the pairs are those that row's network really multiplied, after its
// approximate earlier layers, and the results are the inner engine's, bit for bit.
//
// Counting: the products of one GEMM are every (X[i][t], W[t][j]). For one t the pairs are the
// activation column X[.][t] crossed with the weight row W[t][.], so their histogram is the outer
// product of the column's histogram (m values) and the row's (n values). Summed over t, that costs
// k x (m + n + distinct_a x distinct_b) instead of m x k x n increments.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "models/dnn/network.hpp"

namespace gm::dnn {

// Adds the m x k x n products of Y = X * W (X m x k, W k x n, row-major) to `histogram`, indexed
// (a_bits << 8) | b_bits as OperandTrace::histogram (a = activation, b = weight). 65,536 entries.
void count_gemm_pairs(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n,
                      std::vector<uint64_t>& histogram);

class LayerOperandCounter : public GemmEngine {
 public:
  // `net` must outlive the counter: a call is matched to its layer by address (run_layer passes
  // net.layers[i] itself, and its weights to gemm). `inner` computes every product.
  LayerOperandCounter(const Network& net, GemmEngine& inner);

  // A GEMM on weights of no conv/fc layer of `net` is a programming error (std::logic_error).
  void gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) override;
  void gemm_layer(const int8_t* x, int64_t m, int64_t k, const Layer& layer, int32_t* out) override;

  // The pairs counted for net.layers[index] so far (only its histogram is filled; all zero when the
  // layer was not run). std::out_of_range for a layer that is not conv/fc.
  const OperandTrace& layer_trace(size_t index) const { return traces_.at(index); }

 private:
  size_t index_of(const int8_t* weights) const;
  const Network& net_;
  GemmEngine& inner_;
  std::map<size_t, OperandTrace> traces_;  // per conv/fc layer index
};

}  // namespace gm::dnn
