#include "models/golden_gemm.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

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

uint64_t gemm_cycles(int rows, int cols, int64_t m, int64_t k, int64_t n) {
  const GemmTiling t{rows, cols, m, k, n};
  const int64_t tiles = t.tiles();
  const int64_t R = rows, C = cols;
  // f: edge that accepts the last weight beat of a tile; e: edge that accepts its last activation.
  std::vector<int64_t> f(tiles), e(tiles);
  for (int64_t i = 0; i < tiles; ++i) {
    if (i == 0)
      f[i] = R;
    else if (i == 1)
      f[i] = f[0] + R;
    else
      f[i] = std::max(f[i - 1] + R, e[i - 2] + C - 1 + R);
    const int64_t s = std::max(i ? e[i - 1] + 1 : 0, f[i] + 1);
    e[i] = s + m - 1;
  }
  return static_cast<uint64_t>(e[tiles - 1] + R + C);
}

uint64_t gemm_cycles_closed_form(int rows, int cols, int64_t m, int64_t k, int64_t n) {
  if (m < rows + cols - 1) return 0;
  const GemmTiling t{rows, cols, m, k, n};
  return static_cast<uint64_t>(2 * int64_t{rows} + cols + t.tiles() * m);
}

int64_t k_max(int acc_width, int64_t max_abs_product) {
  if (max_abs_product <= 0) return INT64_MAX;
  const int64_t top = acc_width >= 64 ? INT64_MAX : (int64_t{1} << (acc_width - 1)) - 1;
  return top / max_abs_product;
}

}  // namespace gm
