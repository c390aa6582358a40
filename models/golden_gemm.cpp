#include "models/golden_gemm.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "models/dnn/network.hpp"
#include "models/product_table.hpp"

namespace gm {

std::vector<int64_t> golden_gemm(const std::vector<const ProductTable*>& pe, int rows, int cols, int acc_width,
                                 const int32_t* x, const int32_t* w, int64_t m, int64_t k, int64_t n) {
  if (static_cast<int64_t>(pe.size()) != int64_t{rows} * cols)
    throw std::invalid_argument("golden_gemm: need one product table per PE");
  std::vector<int64_t> y(m * n, 0);
  // Sums are kept in 64-bit (wrapping as unsigned) and cut to acc bits at the end: addition
  // modulo 2^64 then modulo 2^acc equals addition modulo 2^acc all along.
  for (int64_t kk = 0; kk < k; ++kk) {
    const int r = static_cast<int>(kk % rows);
    for (int64_t nn = 0; nn < n; ++nn) {
      const ProductTable& t = *pe[r * cols + static_cast<int>(nn % cols)];
      const int32_t wv = w[kk * n + nn];
      for (int64_t mm = 0; mm < m; ++mm) {
        uint64_t& acc = reinterpret_cast<uint64_t&>(y[mm * n + nn]);
        acc += static_cast<uint64_t>(static_cast<int64_t>(t.value(x[mm * k + kk], wv)));
      }
    }
  }
  for (auto& v : y) v = wrap_acc(v, acc_width);
  return y;
}

int64_t output_stage(int64_t s, const OutParams& p) {
  const int32_t t = dnn::add_wrap(static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(s))), p.bias);
  return dnn::saturate(dnn::requantize(t, dnn::Requant{p.m0, p.shift}), p.out_min, p.out_max);
}

std::vector<int64_t> apply_output_stage(const std::vector<int64_t>& y, int64_t m, int64_t n,
                                        const std::vector<OutParams>& params) {
  if (static_cast<int64_t>(params.size()) != n || static_cast<int64_t>(y.size()) != m * n)
    throw std::invalid_argument("apply_output_stage: need one OutParams per column of Y");
  std::vector<int64_t> out(y.size());
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) out[i * n + j] = output_stage(y[i * n + j], params[j]);
  return out;
}

uint64_t gemm_cycles(const ArrayTiming& a, int64_t m, int64_t k, int64_t n) {
  const GemmTiling t{a.rows, a.cols, m, k, n, a.acc_depth};
  const int64_t tiles = t.tiles(), R = a.rows, L1 = a.first_activation_after_last_weight_beat;
  // f: edge of a tile's last weight beat; e: edge of its last activation; g: edge of the param beat
  // of a last_k tile, E: e of that tile (indexed by the last_k tiles' own count q).
  std::vector<int64_t> f(tiles), e(tiles), g, E;
  for (int64_t i = 0; i < tiles; ++i) {
    const int64_t first_w = i == 0 ? 1 : i == 1 ? f[0] + 1 : std::max(f[i - 1] + 1, e[i - 2] + a.bank_refill_after_last_activation);
    f[i] = first_w + R - 1;
    int64_t s = std::max(i ? e[i - 1] + 1 : 0, f[i] + L1);
    if (a.out_stage && t.last_k(i)) {
      const size_t q = g.size();
      g.push_back(q == 0 ? 1 : q == 1 ? g[0] + 1 : std::max(g[q - 1] + 1, E[q - 2] + a.param_refill_after_last_activation));
      s = std::max(s, g[q] + L1);
    }
    e[i] = s + t.beats(i) - 1;
    if (a.out_stage && t.last_k(i)) E.push_back(e[i]);
  }
  return static_cast<uint64_t>(e[tiles - 1] + a.result_after_activation);
}

// Tiles run back to back (s_i = e_{i-1} + 1) when tile i-1 has at least
//   R                    beats: tile i's R weight beats follow tile i-1's;
//   R + Lw + L1 - 2      beats: tile i's bank (tile i-2's) is free at e_{i-2} + Lw, full R - 1 edges later;
//   Lp + L1 - 1          beats (out stage): the param bank of two last_k tiles back is free at E + Lp.
// Then e_{T-1} = s_0 - 1 + (all beats) with s_0 = f_0 + L1 = R + L1, and all beats = KT * NT * M.
uint64_t gemm_cycles_closed_form(const ArrayTiming& a, int64_t m, int64_t k, int64_t n) {
  const GemmTiling t{a.rows, a.cols, m, k, n, a.acc_depth};
  const int64_t R = a.rows, L1 = a.first_activation_after_last_weight_beat;
  int64_t need = std::max(R, R + a.bank_refill_after_last_activation + L1 - 2);
  if (a.out_stage) need = std::max(need, int64_t{a.param_refill_after_last_activation} + L1 - 1);
  // The fewest beats of a tile that is not the last: the last chunk's rows appear before the last
  // tile unless it is the only tile of its chunk and column slice... i.e. unless KT = NT = 1.
  const int64_t last_chunk = t.chunk_rows(t.m_chunks() - 1);
  int64_t fewest = t.m_chunks() > 1 ? t.chunk() : m;
  if (t.k_tiles() > 1 || t.n_tiles() > 1) fewest = std::min(fewest, last_chunk);
  if (t.tiles() > 1 && fewest < need) return 0;
  return static_cast<uint64_t>(R + L1 - 1 + t.k_tiles() * t.n_tiles() * m + a.result_after_activation);
}

int64_t k_max(int acc_width, int64_t max_abs_product) {
  if (max_abs_product <= 0) return INT64_MAX;
  const int64_t top = acc_width >= 64 ? INT64_MAX : (int64_t{1} << (acc_width - 1)) - 1;
  return top / max_abs_product;
}

}  // namespace gm
