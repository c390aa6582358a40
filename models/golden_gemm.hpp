// The golden GEMM of a weight-stationary systolic array, its output stage and its cycle model.
//
// An R x C array with D accumulator entries per column computes Y = X * W (X is M x K, W is K x N)
// tile by tile: K is cut into KT = ceil(K/R) slices of R rows, N into NT = ceil(N/C) slices of C
// columns and M into MC = ceil(M/D) chunks of at most D rows. Tile (nt, mc, kt) loads
// W[kt*R + r][nt*C + c] into PE (r, c), then streams the chunk's rows of X[., kt*R .. kt*R+R-1]
// through it. The accumulator bank at the south edge adds the partial rows of the KT tiles of one
// (nt, mc) in acc-bit wrap-around arithmetic; only the last K slice's tile (last_k) lets its rows
// leave the array. Element X[m][k] * W[k][n] is always multiplied by PE (k mod R, n mod C), and the
// golden GEMM uses that PE's multiplier model for it:
//
//     Y[m][n] = wrap( sum_k M_{k mod R, n mod C}(X[m][k], W[k][n]), acc )
//
// where wrap keeps the low acc bits read as two's complement (the order of the additions does not
// matter). Padding rows (k >= K in the last K slice) are flagged on the weight stream (w_pad_i) and
// add nothing in hardware, so the formula holds even for a multiplier with M(0, 0) != 0.
//
// With the output stage (ArrayConfig::out_stage, acc = 32), each result goes through the
// requantization of docs/quantization.md with per-column parameters (OutParams, output_stage()).
//
// The tiling helpers and OutParams are header-only: the simulator adapters (tb/harness/*) include
// them without linking the models.
#pragma once

#include <algorithm>
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

// The tile order of the array: column slice nt outermost, then M chunk mc, then K slice kt:
// tile i = (nt * MC + mc) * KT + kt. depth = D, the accumulator entries per column (0: one chunk of
// all M rows, the order before the accumulators, kept for callers that tile without an array).
struct GemmTiling {
  int rows = 1, cols = 1;
  int64_t m = 0, k = 0, n = 0;
  int64_t depth = 0;
  int64_t chunk() const { return depth > 0 ? depth : m; }  // rows of a full chunk
  int64_t k_tiles() const { return ceil_div(k, rows); }
  int64_t n_tiles() const { return ceil_div(n, cols); }
  int64_t m_chunks() const { return ceil_div(m, chunk()); }
  int64_t tiles() const { return k_tiles() * m_chunks() * n_tiles(); }
  int64_t kt(int64_t tile) const { return tile % k_tiles(); }
  int64_t mc(int64_t tile) const { return tile / k_tiles() % m_chunks(); }
  int64_t nt(int64_t tile) const { return tile / k_tiles() / m_chunks(); }
  bool first_k(int64_t tile) const { return kt(tile) == 0; }
  bool last_k(int64_t tile) const { return kt(tile) == k_tiles() - 1; }
  // The tiles that produce results (last_k), one per (nt, mc): result tile q is (q / MC, q % MC).
  int64_t result_tiles() const { return m_chunks() * n_tiles(); }
  // First X row of the chunk of M chunk `c`, and its rows (D, or fewer for the last chunk).
  int64_t chunk_row0(int64_t c) const { return c * chunk(); }
  int64_t chunk_rows(int64_t c) const { return std::min(chunk(), m - c * chunk()); }
  // Activation beats of `tile`: its chunk's rows.
  int64_t beats(int64_t tile) const { return chunk_rows(mc(tile)); }
  // Rows of the K slice that hold real data (the rest are padding).
  int real_rows(int64_t tile) const {
    const int64_t left = k - kt(tile) * rows;
    return static_cast<int>(left < rows ? left : rows);
  }
  // Array row r of `tile` is K padding (w_pad_i): it must add nothing.
  bool pad_row(int64_t tile, int r) const { return r >= real_rows(tile); }
  // Weight of PE (r, c) in `tile`, 0 for padding. w is K x N, row-major.
  int32_t weight(const int32_t* w, int64_t tile, int r, int c) const {
    const int64_t kk = kt(tile) * rows + r, nn = nt(tile) * cols + c;
    return kk < k && nn < n ? w[kk * n + nn] : 0;
  }
  // Activation of array row r for beat `beat` of `tile`, 0 for padding. x is M x K, row-major.
  int32_t activation(const int32_t* x, int64_t tile, int64_t beat, int r) const {
    const int64_t kk = kt(tile) * rows + r, row = chunk_row0(mc(tile)) + beat;
    return kk < k ? x[row * k + kk] : 0;
  }
};

// The output stage's parameters of one output column (docs/quantization.md, field layout in
// docs/array.md): t = wrap32(s + bias); v = (t * m0 + 2^(shift-1)) >> shift (int64, floor);
// y = clamp(v, out_min, out_max).
struct OutParams {
  int32_t bias = 0;
  int32_t m0 = 1 << 30;  // 0 .. 2^31 - 1
  int shift = 31;        // 1 .. 62
  int32_t out_min = -128, out_max = 127;
};

// The golden GEMM: pe[r * cols + c] is PE (r, c)'s product table; x is m x k and w is k x n,
// row-major, operands in their natural range. Returns Y (m x n, row-major).
std::vector<int64_t> golden_gemm(const std::vector<const ProductTable*>& pe, int rows, int cols, int acc_width,
                                 const int32_t* x, const int32_t* w, int64_t m, int64_t k, int64_t n);

// One value through the output stage: gm::dnn's requantization (models/dnn/network.hpp) of the
// 32-bit sum s (its low 32 bits, as the 32-bit accumulator holds it).
int64_t output_stage(int64_t s, const OutParams& p);

// Y (m x n) through the output stage, column j with params[j].
std::vector<int64_t> apply_output_stage(const std::vector<int64_t>& y, int64_t m, int64_t n,
                                        const std::vector<OutParams>& params);

// The array's timing as the cycle model needs it: sides, D, and the latencies of the manifest
// (gm::array_latency in generator/array/array.hpp fills these; the model itself stays free of the
// generator). All in clock edges.
struct ArrayTiming {
  int rows = 1, cols = 1;
  int64_t acc_depth = 1;
  bool out_stage = false;
  int first_activation_after_last_weight_beat = 1;
  int result_after_activation = 2;            // edge of an activation row -> edge of its result row
  int bank_refill_after_last_activation = 1;  // a tile's last activation -> its bank's first new weight beat
  int param_refill_after_last_activation = 0; // out stage: a last_k tile's last activation -> its param bank's refill
};

// Cycles the array takes for the GEMM when every stream is offered at full rate and the result
// stream is never held (y_ready_i = 1): clock edges from the first edge after reset to the edge
// that accepts the last result. See docs/array.md ("Cycle model") for the derivation:
//
//   tile i (GemmTiling order, b_i activation beats): weights load in R beats at edges
//   a_i .. f_i = a_i + R - 1; activations are accepted at edges s_i .. e_i = s_i + b_i - 1; with the
//   out stage the q-th last_k tile's param beat is accepted at edge g_q. Lw, Lp: the refill
//   latencies, L1 = first_activation_after_last_weight_beat, Ly = result_after_activation.
//     a_0 = 1, a_1 = f_0 + 1, a_i = max(f_{i-1} + 1, e_{i-2} + Lw)
//     g_0 = 1, g_1 = 2,       g_q = max(g_{q-1} + 1, E_{q-2} + Lp)   (E_q: e of the q-th last_k tile)
//     s_i = max(e_{i-1} + 1, f_i + L1, last_k(i) ? g_q + L1 : 0)
//     cycles = e_{T-1} + Ly
uint64_t gemm_cycles(const ArrayTiming& a, int64_t m, int64_t k, int64_t n);

// The closed form of gemm_cycles when no tile waits for its weights or params:
//     cycles = R + L1 - 1 + KT * NT * M + Ly
// It holds when there is one tile, or when every tile but the last has at least
// max(R, R + Lw + L1 - 2, out stage ? Lp + L1 - 1 : 0) activation beats (with the default
// D = R + C: every chunk but a ragged last one); returns 0 when that condition fails.
uint64_t gemm_cycles_closed_form(const ArrayTiming& a, int64_t m, int64_t k, int64_t n);

// The largest K for which an acc-bit two's-complement accumulator cannot overflow when every
// product has |M| <= max_abs_product: floor((2^(acc-1) - 1) / max_abs_product) (INT64_MAX when
// max_abs_product is 0).
int64_t k_max(int acc_width, int64_t max_abs_product);

}  // namespace gm
