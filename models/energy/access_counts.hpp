// Buffer accesses of one GEMM on the weight-stationary array, from its tiling schedule
// (models/golden_gemm.hpp GemmTiling: KT = ceil(K/R) K slices, NT = ceil(N/C) column slices,
// MC = ceil(M/D) M chunks). Counts are ELEMENTS (one weight, one activation, one partial sum, one
// result); the energy model multiplies them by the element width. Derivation (docs/energy.md):
//
//   weight reads       MC * K * N      every tile loads its R x C weights once; padding (K or N past
//                                      the edge) is not read, so each W[k][n] is read once per M chunk
//   weight writes      K * N           the layer's weights written into the weight buffer once
//   activation reads   NT * M * K      every column slice streams the chunk rows' K-slice values once
//                                      (im2col order: overlapping conv windows are read again)
//   accumulator reads  M * N * (KT-1)  a partial row is read back for every K slice but the first
//   accumulator writes M * N * (KT-1)  and written for every K slice but the last (the last sum
//                                      leaves the array; docs/array.md "Accumulators")
//   output writes      M * N           one write per result
//   param reads        MC * N          with the output stage: each result tile loads its columns'
//                                      parameters (bias, m0, shift, clamp) once; 0 without it
//   dram reads         K * N           the weights fetched once per GEMM (one batch of images)
#pragma once

#include <cstdint>

#include "models/golden_gemm.hpp"

namespace gm::energy {

struct AccessCounts {
  uint64_t weight_reads = 0, weight_writes = 0;
  uint64_t activation_reads = 0;
  uint64_t accumulator_reads = 0, accumulator_writes = 0;
  uint64_t output_writes = 0;
  uint64_t param_reads = 0;  // output-stage parameters, one per column per result tile
  uint64_t dram_reads = 0;
  AccessCounts& operator+=(const AccessCounts& o);
};

// The accesses of Y = X * W (X m x k, W k x n) on the array `a` (rows, cols, acc_depth, out_stage).
// m, k, n >= 1.
AccessCounts gemm_accesses(const ArrayTiming& a, int64_t m, int64_t k, int64_t n);

}  // namespace gm::energy
