// Buffer accesses of the weight-stationary schedule, against counts derived by hand tile by tile.
#include <gtest/gtest.h>

#include "models/energy/access_counts.hpp"

namespace gm::energy {
namespace {

ArrayTiming array(int rows, int cols, int64_t depth) {
  ArrayTiming a;
  a.rows = rows, a.cols = cols, a.acc_depth = depth;
  return a;
}

// R = C = 2, D = 3, M = 5, K = 3, N = 3. K slices: rows {0,1} and {2} (1 pad row); column slices
// {0,1} and {2}; M chunks: rows 0..2 (3 beats) and 3..4 (2 beats). Tiles (nt, mc, kt):
//   weights read per tile = real K rows x real columns: kt0 2, kt1 1; nt0 2, nt1 1
//     -> per (mc): (2 + 1) * (2 + 1) = 9, two chunks: 18
//   activations per tile = beats x real K rows: per nt: (3 + 2) * (2 + 1) = 15, two slices: 30
//   accumulator: only kt1 reads (beats x real columns), only kt0 writes: (3 + 2) * (2 + 1) = 15 each
//   outputs: kt1 tiles write beats x real columns = 15 = M * N
TEST(StorageAccesses, TwoByTwoWithRaggedSlicesAndChunks) {
  const AccessCounts c = gemm_accesses(array(2, 2, 3), 5, 3, 3);
  EXPECT_EQ(c.weight_reads, 18u);
  EXPECT_EQ(c.weight_writes, 9u);
  EXPECT_EQ(c.dram_reads, 9u);
  EXPECT_EQ(c.activation_reads, 30u);
  EXPECT_EQ(c.accumulator_reads, 15u);
  EXPECT_EQ(c.accumulator_writes, 15u);
  EXPECT_EQ(c.output_writes, 15u);
}

// K fits in one slice (KT = 1): the accumulators are never read or written back; R = C = 4, D = 8,
// M = 10 (chunks of 8 and 2), K = 3, N = 4: weights 12 per chunk -> 24, activations 10 * 3 = 30.
TEST(StorageAccesses, OneKSliceNeverTouchesTheAccumulators) {
  const AccessCounts c = gemm_accesses(array(4, 4, 8), 10, 3, 4);
  EXPECT_EQ(c.weight_reads, 24u);
  EXPECT_EQ(c.activation_reads, 30u);
  EXPECT_EQ(c.accumulator_reads, 0u);
  EXPECT_EQ(c.accumulator_writes, 0u);
  EXPECT_EQ(c.output_writes, 40u);
}

// R = 2, C = 3, D = 4, M = 4 (one chunk), K = 5 (KT = 3: 2, 2, 1 rows), N = 7 (NT = 3: 3, 3, 1 columns):
//   weights 5 * 7 = 35 (one chunk); activations: each of the 3 column slices reads 4 * 5 = 20 -> 60;
//   accumulator reads: kt1 and kt2 tiles, 4 beats x 7 columns each -> 56; writes: kt0 and kt1 -> 56.
TEST(StorageAccesses, ThreeKSlicesReadModifyWriteTwice) {
  const AccessCounts c = gemm_accesses(array(2, 3, 4), 4, 5, 7);
  EXPECT_EQ(c.weight_reads, 35u);
  EXPECT_EQ(c.activation_reads, 60u);
  EXPECT_EQ(c.accumulator_reads, 56u);
  EXPECT_EQ(c.accumulator_writes, 56u);
  EXPECT_EQ(c.output_writes, 28u);
}

// The shipped CNN's first conv on an 8x8 array, D = 16, one image: M = 28 * 28 = 784, K = 9, N = 16
// -> KT = 2, NT = 2, MC = 49: weights 49 * 144 = 7056, activations 2 * 784 * 9 = 14112,
// accumulator 784 * 16 * 1 = 12544 each way, outputs 12544.
TEST(StorageAccesses, CnnFirstConvOnEightByEight) {
  const AccessCounts c = gemm_accesses(array(8, 8, 16), 784, 9, 16);
  EXPECT_EQ(c.weight_reads, 7056u);
  EXPECT_EQ(c.activation_reads, 14112u);
  EXPECT_EQ(c.accumulator_reads, 12544u);
  EXPECT_EQ(c.accumulator_writes, 12544u);
  EXPECT_EQ(c.output_writes, 12544u);
  EXPECT_EQ(c.dram_reads, 144u);
}

// A 1x1 array is the degenerate schedule: every MAC is its own tile row, so every weight is read
// once per chunk and the accumulator is read-modify-written K - 1 times per result.
TEST(StorageAccesses, OneByOneArray) {
  const AccessCounts c = gemm_accesses(array(1, 1, 2), 3, 4, 2);  // MC = 2, KT = 4, NT = 2
  EXPECT_EQ(c.weight_reads, 2u * 4 * 2);
  EXPECT_EQ(c.activation_reads, 2u * 3 * 4);
  EXPECT_EQ(c.accumulator_reads, 3u * 2 * 3);
  EXPECT_EQ(c.accumulator_writes, 3u * 2 * 3);
  EXPECT_EQ(c.output_writes, 6u);
}

// With the output stage every result tile (last_k) loads its real columns' parameters once: the
// 2x2 case above has MC = 2 chunks x (2 + 1) columns = 6; without the stage none.
TEST(StorageAccesses, OutputStageParamsOncePerResultTile) {
  ArrayTiming a = array(2, 2, 3);
  EXPECT_EQ(gemm_accesses(a, 5, 3, 3).param_reads, 0u);
  a.out_stage = true;
  EXPECT_EQ(gemm_accesses(a, 5, 3, 3).param_reads, 6u);
  EXPECT_EQ(gemm_accesses(a, 5, 3, 3).output_writes, 15u);
}

TEST(StorageAccesses, SumsAdd) {
  AccessCounts a = gemm_accesses(array(2, 2, 3), 5, 3, 3);
  a += gemm_accesses(array(2, 2, 3), 5, 3, 3);
  EXPECT_EQ(a.weight_reads, 36u);
  EXPECT_EQ(a.output_writes, 30u);
}

}  // namespace
}  // namespace gm::energy
