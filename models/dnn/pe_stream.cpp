#include "models/dnn/pe_stream.hpp"

#include "models/golden_gemm.hpp"

namespace gm::dnn {

void append_pe_stream(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, const PeStreamOptions& opt,
                      PePairs& out) {
  GemmTiling t;
  t.rows = opt.rows;
  t.cols = opt.cols;
  t.m = m;
  t.k = k;
  t.n = n;
  t.depth = opt.depth;
  const int r = opt.pe_row, c = opt.pe_col;
  for (int64_t tile = 0; tile < t.tiles() && out.size() < opt.limit; ++tile) {
    const int64_t kk = t.kt(tile) * t.rows + r, nn = t.nt(tile) * t.cols + c;
    const int8_t weight = kk < k && nn < n ? w[kk * n + nn] : 0;
    const int64_t row0 = t.chunk_row0(t.mc(tile));
    for (int64_t beat = 0; beat < t.beats(tile) && out.size() < opt.limit; ++beat)
      out.emplace_back(kk < k ? x[(row0 + beat) * k + kk] : int8_t{0}, weight);
  }
}

PeStreamRecorder::PeStreamRecorder(const ProductTable& table, const PeStreamOptions& opt)
    : inner_(table, 1), opt_(opt) {}

void PeStreamRecorder::gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) {
  inner_.gemm(x, m, k, w, n, y);
  append_pe_stream(x, m, k, w, n, opt_, pairs);
}

PePairs network_pe_stream(const Network& net, const uint8_t* pixels, size_t count, const ProductTable& table,
                          const PeStreamOptions& opt) {
  PeStreamRecorder rec(table, opt);
  const size_t image_bytes = static_cast<size_t>(net.in_c) * net.in_h * net.in_w;
  for (size_t i = 0; i < count && !rec.full(); ++i) run_network(net, pixels + i * image_bytes, 1, rec, 1);
  return std::move(rec.pairs);
}

}  // namespace gm::dnn
