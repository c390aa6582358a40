// The golden GEMM of a weight-stationary systolic array and its closed-form cycle model.
//
// An R x C array computes Y = X * W (X is M x K, W is K x N) tile by tile: K is cut into
// KT = ceil(K/R) slices of R rows and N into NT = ceil(N/C) slices of C columns. Tile (nt, kt)
// loads W[kt*R + r][nt*C + c] into PE (r, c), then streams the M rows of X[., kt*R .. kt*R+R-1]
// through it; the host adds the partial results of the KT tiles of one column slice. So element
// X[m][k] * W[k][n] is always multiplied by PE (k mod R, n mod C), and the golden GEMM uses that
// PE's multiplier model for it:
//
//     Y[m][n] = wrap( sum_k M_{k mod R, n mod C}(X[m][k], W[k][n]), acc )
//
// where wrap keeps the low acc bits read as two's complement (the accumulators wrap around, and the
// host adds partial sums in the same acc-bit arithmetic, so the order of the additions does not
// matter). Padding rows (k >= K in the last K slice) carry x = 0 and w = 0; the array adds
// M(0, 0) for them, which the host subtracts again (pad_correction), so the result is exactly the
// formula above even for a multiplier with M(0, 0) != 0.
//
// The tiling helpers here are header-only: the Verilator driver (tb/harness/array_main.cpp) includes them
// without linking the models.
#pragma once

#include <cstdint>
#include <vector>

namespace gm {

class ProductTable;

// Keeps the low `bits` bits of v as a two's-complement value (bits 1..64).
inline int64_t wrap_acc(int64_t v, int bits) {
  if (bits >= 64) return v;
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  uint64_t u = static_cast<uint64_t>(v) & mask;
  if ((u >> (bits - 1)) & 1) u |= ~mask;
  return static_cast<int64_t>(u);
}

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The tile order of the array: column slices outside, K slices inside; tile i = nt * KT + kt.
struct GemmTiling {
  int rows = 1, cols = 1;
  int64_t m = 0, k = 0, n = 0;
  int64_t k_tiles() const { return ceil_div(k, rows); }
  int64_t n_tiles() const { return ceil_div(n, cols); }
  int64_t tiles() const { return k_tiles() * n_tiles(); }
  int64_t kt(int64_t tile) const { return tile % k_tiles(); }
  int64_t nt(int64_t tile) const { return tile / k_tiles(); }
  // Rows of the K slice that hold real data (the rest are padding).
  int real_rows(int64_t tile) const {
    const int64_t left = k - kt(tile) * rows;
    return static_cast<int>(left < rows ? left : rows);
  }
  // Weight of PE (r, c) in `tile`, 0 for padding. w is K x N, row-major.
  int32_t weight(const int32_t* w, int64_t tile, int r, int c) const {
    const int64_t kk = kt(tile) * rows + r, nn = nt(tile) * cols + c;
    return kk < k && nn < n ? w[kk * n + nn] : 0;
  }
  // Activation of array row r for X row `row` in `tile`, 0 for padding. x is M x K, row-major.
  int32_t activation(const int32_t* x, int64_t tile, int64_t row, int r) const {
    const int64_t kk = kt(tile) * rows + r;
    return kk < k ? x[row * k + kk] : 0;
  }
};

// The golden GEMM: pe[r * cols + c] is PE (r, c)'s product table; x is m x k and w is k x n,
// row-major, operands in their natural range. Returns Y (m x n, row-major).
std::vector<int64_t> golden_gemm(const std::vector<const ProductTable*>& pe, int rows, int cols, int acc_width,
                                 const int32_t* x, const int32_t* w, int64_t m, int64_t k, int64_t n);

// Cycles the array takes for the GEMM when every stream is offered at full rate and the result
// stream is never held (y_ready_i = 1): clock edges from the first edge after reset to the edge
// that accepts the last result. See docs/array.md for the derivation.
//
//   tile i: weights load in R beats, finishing at edge f_i; activations are accepted at edges
//   s_i .. e_i = s_i + M - 1; the bank a tile emptied at edge e takes its first new weight beat at
//   edge e + C (a countdown of C - 1 cycles; manifest latency bank_refill_after_last_activation = C);
//   the last result leaves R + C edges after the last activation enters.
//     f_0 = R, f_1 = 2R, f_i = max(f_{i-1} + R, e_{i-2} + C - 1 + R)
//     s_i = max(e_{i-1} + 1, f_i + 1)
//     cycles = e_{T-1} + R + C
//   When M >= R + C - 1 the loads hide behind the computation and this is the closed form
//     cycles = R + T*M + R + C      (T = ceil(K/R) * ceil(N/C) tiles)
uint64_t gemm_cycles(int rows, int cols, int64_t m, int64_t k, int64_t n);

// The closed form above, valid when m >= rows + cols - 1 (returns 0 otherwise).
uint64_t gemm_cycles_closed_form(int rows, int cols, int64_t m, int64_t k, int64_t n);

// The largest K for which an acc-bit two's-complement accumulator cannot overflow when every
// product has |M| <= max_abs_product: floor((2^(acc-1) - 1) / max_abs_product) (INT64_MAX when
// max_abs_product is 0).
int64_t k_max(int acc_width, int64_t max_abs_product);

}  // namespace gm
