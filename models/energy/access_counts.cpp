#include "models/energy/access_counts.hpp"

#include <stdexcept>

namespace gm::energy {

AccessCounts& AccessCounts::operator+=(const AccessCounts& o) {
  weight_reads += o.weight_reads, weight_writes += o.weight_writes;
  activation_reads += o.activation_reads;
  accumulator_reads += o.accumulator_reads, accumulator_writes += o.accumulator_writes;
  output_writes += o.output_writes;
  param_reads += o.param_reads;
  dram_reads += o.dram_reads;
  return *this;
}

// Walks the tiles of the schedule rather than using the closed forms of the header, so the test's
// hand-derived totals check the schedule and the closed forms together.
AccessCounts gemm_accesses(const ArrayTiming& a, int64_t m, int64_t k, int64_t n) {
  if (m < 1 || k < 1 || n < 1 || a.rows < 1 || a.cols < 1)
    throw std::invalid_argument("gemm_accesses: empty GEMM or array");
  GemmTiling t;
  t.rows = a.rows, t.cols = a.cols, t.m = m, t.k = k, t.n = n, t.depth = a.acc_depth;
  AccessCounts c;
  for (int64_t i = 0; i < t.tiles(); ++i) {
    const uint64_t krows = static_cast<uint64_t>(t.real_rows(i));
    const int64_t left_cols = n - t.nt(i) * t.cols;
    const uint64_t ncols = static_cast<uint64_t>(left_cols < t.cols ? left_cols : t.cols);
    const uint64_t beats = static_cast<uint64_t>(t.beats(i));
    c.weight_reads += krows * ncols;
    c.activation_reads += beats * krows;
    if (!t.first_k(i)) c.accumulator_reads += beats * ncols;
    if (!t.last_k(i)) c.accumulator_writes += beats * ncols;
    if (t.last_k(i)) c.output_writes += beats * ncols;
    if (t.last_k(i) && a.out_stage) c.param_reads += ncols;
  }
  c.weight_writes = c.dram_reads = static_cast<uint64_t>(k) * static_cast<uint64_t>(n);
  return c;
}

}  // namespace gm::energy
