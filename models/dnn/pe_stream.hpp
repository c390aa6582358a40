// The operand stream one PE of a weight-stationary array multiplies (issue 11), as the
// single-multiplier characterization feeds it to the synthesized multiplier (characterize --dnn).
//
// The array (models/golden_gemm.hpp GemmTiling) loads W[kt*R + r][nt*C + c] into PE (r, c) and keeps
// it there while the M chunk's activation rows X[m][kt*R + r] stream past, one per cycle; then the
// next tile. So PE (r, c) sees, tile after tile (column slice outermost, then M chunk, then K slice),
// the pairs (activation, weight) with the weight constant for the chunk's rows (D, fewer in the last
// chunk). K padding (a row past K) gives activation 0 and weight 0; a column past N gives weight 0
// with the row's real activations. The operands are the network's own: each conv/fc layer's GEMM
// as the network runs it with the design's product table, one image at a time (batch 1).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "models/dnn/network.hpp"
#include "models/product_table.hpp"

namespace gm::dnn {

struct PeStreamOptions {
  int rows = 8, cols = 8;   // the array R x C
  int64_t depth = 16;       // D, the M chunk (the array's accumulator entries per column)
  int pe_row = 0, pe_col = 0;
  size_t limit = 20000;     // pairs kept (the first ones, in the PE's order)
};

// (activation, weight) = (a, b) operands of the multiplier, in the PE's order.
using PePairs = std::vector<std::pair<int8_t, int8_t>>;

// Appends PE (pe_row, pe_col)'s pairs of one GEMM (x: m x k, w: k x n, row-major) to `out`, at most
// up to opt.limit pairs in all.
void append_pe_stream(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, const PeStreamOptions& opt,
                      PePairs& out);

// A GemmEngine that computes with the product table (the golden engine) and records the PE's pairs.
class PeStreamRecorder : public GemmEngine {
 public:
  PeStreamRecorder(const ProductTable& table, const PeStreamOptions& opt);
  void gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) override;
  bool full() const { return pairs.size() >= opt_.limit; }
  PePairs pairs;

 private:
  TableGemm inner_;
  PeStreamOptions opt_;
};

// Runs the network on the images (pixels: count x in_c x in_h x in_w), one image at a time, until the PE has
// opt.limit pairs or the images run out; returns the pairs.
PePairs network_pe_stream(const Network& net, const uint8_t* pixels, size_t count, const ProductTable& table,
                          const PeStreamOptions& opt);

}  // namespace gm::dnn
