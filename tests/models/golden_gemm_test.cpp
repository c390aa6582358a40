// models/golden_gemm: the tile order with M chunks, the output stage and the cycle model's closed
// form. Expected values are worked out by hand or by brute-force enumeration here; the cycle model
// itself is checked against an independent cycle-level fake in tests/tb/array_stream_test.cpp and
// against the Verilated array in tests/tb/array_gemm_test.cpp.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <tuple>
#include <vector>

#include "models/golden_gemm.hpp"

namespace gm {
namespace {

TEST(ArrayModel, TileOrderIsColumnSliceThenChunkThenKSlice) {
  // 2x3 array, D = 4: M = 10 -> chunks of 4, 4, 2; K = 5 -> KT = 3; N = 7 -> NT = 3.
  const GemmTiling t{2, 3, 10, 5, 7, 4};
  ASSERT_EQ(t.k_tiles(), 3);
  ASSERT_EQ(t.m_chunks(), 3);
  ASSERT_EQ(t.n_tiles(), 3);
  ASSERT_EQ(t.tiles(), 27);
  ASSERT_EQ(t.result_tiles(), 9);
  int64_t i = 0;
  for (int64_t nt = 0; nt < 3; ++nt)
    for (int64_t mc = 0; mc < 3; ++mc)
      for (int64_t kt = 0; kt < 3; ++kt, ++i) {
        EXPECT_EQ(std::make_tuple(t.nt(i), t.mc(i), t.kt(i)), std::make_tuple(nt, mc, kt)) << "tile " << i;
        EXPECT_EQ(t.first_k(i), kt == 0);
        EXPECT_EQ(t.last_k(i), kt == 2);
        EXPECT_EQ(t.beats(i), mc < 2 ? 4 : 2);
        EXPECT_EQ(t.real_rows(i), kt < 2 ? 2 : 1);
        EXPECT_EQ(t.pad_row(i, 1), kt == 2);
      }
  // depth 0: one chunk of all M rows (the order without accumulators).
  const GemmTiling whole{2, 3, 10, 5, 7};
  EXPECT_EQ(whole.m_chunks(), 1);
  EXPECT_EQ(whole.beats(0), 10);
}

TEST(ArrayModel, EveryProductIsStreamedOnceThroughItsPe) {
  // Enumerate what the tiles stream: each (m, k, n) with k < K, n < N is multiplied exactly once, in
  // PE (k mod R, n mod C), and weight() / activation() give X and W's values for it.
  for (const auto& [R, C, M, K, N, D] : {std::tuple<int, int, int64_t, int64_t, int64_t, int64_t>{2, 3, 7, 5, 4, 3},
                                         {3, 2, 5, 3, 5, 1}, {1, 1, 3, 2, 2, 2}, {4, 4, 9, 9, 9, 8}}) {
    std::vector<int32_t> x(M * K), w(K * N);
    for (size_t q = 0; q < x.size(); ++q) x[q] = static_cast<int32_t>(q + 1);
    for (size_t q = 0; q < w.size(); ++q) w[q] = -static_cast<int32_t>(q + 1);
    const GemmTiling t{R, C, M, K, N, D};
    std::multiset<std::tuple<int64_t, int64_t, int64_t>> seen;
    for (int64_t i = 0; i < t.tiles(); ++i)
      for (int64_t b = 0; b < t.beats(i); ++b)
        for (int r = 0; r < R; ++r)
          for (int c = 0; c < C; ++c) {
            const int64_t mm = t.chunk_row0(t.mc(i)) + b, kk = t.kt(i) * R + r, nn = t.nt(i) * C + c;
            if (t.pad_row(i, r)) {
              EXPECT_GE(kk, K);
              EXPECT_EQ(t.weight(w.data(), i, r, c), 0);
              EXPECT_EQ(t.activation(x.data(), i, b, r), 0);
              continue;
            }
            if (nn >= N) continue;
            seen.insert({mm, kk, nn});
            EXPECT_EQ(t.activation(x.data(), i, b, r), x[mm * K + kk]);
            EXPECT_EQ(t.weight(w.data(), i, r, c), w[kk * N + nn]);
          }
    EXPECT_EQ(seen.size(), static_cast<size_t>(M * K * N));
    for (int64_t mm = 0; mm < M; ++mm)
      for (int64_t kk = 0; kk < K; ++kk)
        for (int64_t nn = 0; nn < N; ++nn) EXPECT_EQ(seen.count({mm, kk, nn}), 1u);
  }
}

TEST(ArrayModel, OutputStageByHand) {
  // t = wrap32(s + bias); v = (t * m0 + 2^(shift-1)) >> shift (floor); clamp.
  const OutParams half{0, 1 << 30, 31, -32768, 32767};  // v = t / 2 rounded half up
  EXPECT_EQ(output_stage(3, half), 2);                   // 1.5 -> 2
  EXPECT_EQ(output_stage(-3, half), -1);                 // -1.5 -> -1
  EXPECT_EQ(output_stage(-5, half), -2);                 // -2.5 -> -2
  EXPECT_EQ(output_stage(-4, half), -2);
  const OutParams quarter{0, 1 << 30, 32, -32768, 32767};  // t / 4
  EXPECT_EQ(output_stage(-9, quarter), -2);                // -2.25 -> -2
  EXPECT_EQ(output_stage(-10, quarter), -2);               // -2.5 -> -2
  EXPECT_EQ(output_stage(-11, quarter), -3);               // -2.75 -> -3
  // Bias add and the hidden layer's clamp (ReLU at 0, int8 at 127).
  const OutParams relu{-100, 1 << 30, 31, 0, 127};
  EXPECT_EQ(output_stage(300, relu), 100);
  EXPECT_EQ(output_stage(99, relu), 0);
  EXPECT_EQ(output_stage(1000, relu), 127);
  // The bias add wraps at 32 bits: (2^31 - 1) + 1 = -2^31; -2^31 * (2^31 - 1) / 2^62 = -1 + 2^-31,
  // rounded half up: floor(-0.5 + 2^-31) = -1. Without the wrap it would be +1.
  const OutParams wrap{1, 0x7FFFFFFF, 62, -32768, 32767};
  EXPECT_EQ(output_stage(0x7FFFFFFF, wrap), -1);
  // m0 near 2^31, shift 62: 2^31 - 1 times itself over 2^62 is just under 1: rounds to 1.
  EXPECT_EQ(output_stage(0x7FFFFFFF, OutParams{0, 0x7FFFFFFF, 62, -32768, 32767}), 1);
  // Only the low 32 bits of the sum count (the 32-bit accumulator's value).
  EXPECT_EQ(output_stage((int64_t{1} << 32) + 3, half), 2);
  // shift 1: v = t * m0 / 2 + 1/2 rounded down.
  EXPECT_EQ(output_stage(5, OutParams{0, 3, 1, -32768, 32767}), 8);  // (15 + 1) >> 1
  const std::vector<int64_t> y = {3, -3, 300, 99};
  EXPECT_EQ(apply_output_stage(y, 2, 2, {half, relu}), (std::vector<int64_t>{2, 0, 150, 0}));
}

ArrayTiming timing(int R, int C, int64_t D, bool out, int lw, int lp, int ly) {
  ArrayTiming a;
  a.rows = R, a.cols = C, a.acc_depth = D, a.out_stage = out;
  a.bank_refill_after_last_activation = lw;
  a.param_refill_after_last_activation = lp;
  a.result_after_activation = ly;
  return a;
}

TEST(ArrayModel, CycleModelByHand) {
  // 1x1, Lw = 1, Ly = 2: weight at edge 1, activation at 2, result at 4.
  EXPECT_EQ(gemm_cycles(timing(1, 1, 1, false, 1, 0, 2), 1, 1, 1), 4u);
  // 1x1, D = 2, M = 3: chunk 0 (2 rows) at edges 2, 3; chunk 1's weight at edge 2 (the other bank),
  // its row at 4; result at 6.
  EXPECT_EQ(gemm_cycles(timing(1, 1, 2, false, 1, 0, 2), 3, 1, 1), 6u);
  // 2x2, D = 1, M = 1, K = 4 (two K slices), Lw = 2, Ly = 4: tile 0 weights at 1-2, row at 3; tile 1
  // weights at 3-4, row at 5; result at 9.
  EXPECT_EQ(gemm_cycles(timing(2, 2, 1, false, 2, 0, 4), 1, 4, 1), 9u);
  // ... three K slices: tile 2 reuses tile 0's bank, free from 3 + 2 = 5: weights at 5-6, row at 7.
  EXPECT_EQ(gemm_cycles(timing(2, 2, 1, false, 2, 0, 4), 1, 6, 1), 11u);
  // Out stage, 1x1, D = 1, M = 3, K = 1, Lw = 1, Lp = 5, Ly = 2: params at edges 1, 2; rows at 2, 3;
  // the third param waits for the first tile's bank: 2 + 5 = 7, its row at 8, result at 10.
  EXPECT_EQ(gemm_cycles(timing(1, 1, 1, true, 1, 5, 2), 3, 1, 1), 10u);
  EXPECT_EQ(gemm_cycles(timing(1, 1, 1, false, 1, 0, 2), 3, 1, 1), 6u);
}

TEST(ArrayModel, CycleModelClosedFormAgrees) {
  int checked = 0;
  for (int R : {1, 2, 4, 8})
    for (int C : {1, 3, 8})
      for (const bool out : {false, true})
        for (int64_t D : {int64_t{1}, int64_t{R + C - 1}, int64_t{R + C}, int64_t{40}})
          for (int64_t m : {int64_t{1}, int64_t{R + C - 1}, int64_t{R + C + 5}, int64_t{100}})
            for (int64_t k : {int64_t{1}, int64_t{37}})
              for (int64_t n : {int64_t{1}, int64_t{11}}) {
                const ArrayTiming a = timing(R, C, D, out, C, out ? R + C + 4 : 0, R + C + (out ? 4 : 1));
                const uint64_t closed = gemm_cycles_closed_form(a, m, k, n);
                const uint64_t full = gemm_cycles(a, m, k, n);
                // The closed form is the least possible count: every tile back to back.
                const GemmTiling t{R, C, m, k, n, D};
                const uint64_t least = static_cast<uint64_t>(R + t.k_tiles() * t.n_tiles() * m) +
                                       static_cast<uint64_t>(a.result_after_activation);
                EXPECT_GE(full, least);
                if (closed) {
                  ++checked;
                  EXPECT_EQ(closed, full) << R << "x" << C << " D=" << D << " out=" << out << " " << m << "x" << k
                                          << "x" << n;
                  EXPECT_EQ(closed, least);
                }
              }
  EXPECT_GT(checked, 200);
  // With the default D = R + C and M a multiple of D, the loads always hide.
  EXPECT_NE(gemm_cycles_closed_form(timing(8, 8, 16, false, 8, 0, 17), 64, 300, 70), 0u);
  // One row per tile cannot hide an 8-beat load: the closed form does not apply, and more cycles pass.
  EXPECT_EQ(gemm_cycles_closed_form(timing(8, 8, 16, false, 8, 0, 17), 1, 300, 70), 0u);
  EXPECT_GT(gemm_cycles(timing(8, 8, 16, false, 8, 0, 17), 1, 300, 70), 8u + 38 * 9 + 17);
}

}  // namespace
}  // namespace gm
