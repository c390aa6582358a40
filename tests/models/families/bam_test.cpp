// bam: the broken-array multiplier model against a reference written row by row, pinned error
// figures derived by hand, and the properties of the two break levels.
#include <gtest/gtest.h>

#include "tests/support/error_totals.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "models/arith.hpp"
#include "models/pairs.hpp"
#include "models/spec.hpp"
#include "tests/support/family.hpp"

namespace {

std::string spec_text(int w, bool s, int h, int v) {
  return gm::test::spec("bam", {{"w", w}, {"s", s}, {"h", h}, {"v", v}});
}

// Row j of the matrix as a w-bit word: b_j ? a : 0, and in the signed (Baugh-Wooley) matrix the
// sign-position cells inverted: bit w-1 of rows j < w-1, bits 0..w-2 of row w-1.
uint64_t matrix_row(uint64_t a_bits, uint64_t b_bits, int j, int w, bool s) {
  uint64_t row = ((b_bits >> j) & 1) ? a_bits : 0;
  if (s) row ^= (j < w - 1) ? (uint64_t{1} << (w - 1)) : ((uint64_t{1} << (w - 1)) - 1);
  return row;
}

// Value of the omitted cells: the whole of rows j < h, the cells i < v - j of the other rows.
int64_t omitted_value(int64_t a, int64_t b, int w, bool s, int h, int v) {
  const uint64_t ab = gm::operand_bits(a, w), bb = gm::operand_bits(b, w);
  int64_t d = 0;
  for (int j = 0; j < w; ++j) {
    const int n = j < h ? w : std::clamp(v - j, 0, w);
    d += static_cast<int64_t>(matrix_row(ab, bb, j, w, s) & ((uint64_t{1} << n) - 1)) << j;
  }
  return d;
}

// The Baugh-Wooley matrix plus its constants sums to a*b (mod 2^2w).
int64_t reference(int64_t a, int64_t b, int w, bool s, int h, int v) {
  return gm::wrap(a * b - omitted_value(a, b, w, s, h, v), 2 * w, s);
}


void expect_matches_reference(int w, bool s, int h, int v) {
  const auto model = gm::test::model(spec_text(w, s, h, v));
  for (int64_t a = gm::operand_min(w, s); a <= gm::operand_max(w, s); ++a)
    for (int64_t b = gm::operand_min(w, s); b <= gm::operand_max(w, s); ++b)
      ASSERT_EQ(model(a, b), reference(a, b, w, s, h, v))
          << spec_text(w, s, h, v) << " a=" << a << " b=" << b;
}

}  // namespace

TEST(Bam, MatchesRowReferenceOnAllPairsAtSmallWidths) {
  for (int w : {2, 3, 4})
    for (bool s : {false, true})
      for (int h = 0; h <= w; ++h)
        for (int v = 0; v <= 2 * w; ++v) expect_matches_reference(w, s, h, v);
}

TEST(Bam, MatchesRowReferenceOnAllPairsAtWidth8) {
  const int points[][2] = {{0, 0}, {2, 6}, {0, 8}, {3, 0}, {1, 12}, {8, 0}, {5, 16}};
  for (bool s : {false, true})
    for (const auto& p : points) expect_matches_reference(8, s, p[0], p[1]);
}

// With no horizontal break the broken array is the truncated multiplier; with no break at all
// it is exact.
TEST(Bam, NoHorizontalBreakIsTruncation) {
  for (bool s : {false, true})
    for (int v : {0, 5, 8, 13}) {
      const auto bam = gm::test::model(spec_text(8, s, 0, v));
      const auto trunc = gm::test::model("trunc:w=8,s=" + std::to_string(s) + ",t=" + std::to_string(v));
      for (int64_t a = gm::operand_min(8, s); a <= gm::operand_max(8, s); ++a)
        for (int64_t b = gm::operand_min(8, s); b <= gm::operand_max(8, s); ++b) {
          ASSERT_EQ(bam(a, b), trunc(a, b)) << "v=" << v;
          if (v == 0) {
            ASSERT_EQ(bam(a, b), a * b);
          }
        }
    }
}

// Derived by hand. Omitted at h = 2, v = 6: rows 0 and 1 (weights 255 and 2 * 255) and, in rows
// 2..5, the cells right of column 6: 4 * 15 + 8 * 7 + 16 * 3 + 32 * 1 = 196; in all 961. Each
// AND cell is 1 in 1/4 of all pairs, so the unsigned bias is -961/4 = -240.25. Signed, the omitted
// rows hold the NAND cells (7,0) and (7,1) (weights 128 and 256), 1 in 3/4 of the pairs:
// -240.25 - 384/2 = -432.25. h = 0, v = 8 is truncation at t = 8: -448.25 and -576.25 (the
// derivation is in trunc_test.cpp). Largest error: every omitted cell 1 (a = b = 255 unsigned;
// a = 127, b = 63 signed, where the NAND cells are 1 since a_7 = 0): 961, and 1793 for v = 8.
// None of these products wraps, so the bias is minus the mean omitted value.
TEST(Bam, PinnedErrorsAtWidth8) {
  struct Case {
    bool s;
    int h, v;
    double mean;
    int64_t max_abs;
  };
  const Case cases[] = {{false, 2, 6, -240.25, 961}, {true, 2, 6, -432.25, 961},
                        {false, 0, 8, -448.25, 1793}, {true, 0, 8, -576.25, 1793}};
  for (const auto& c : cases) {
    const auto e = gm::test::error_totals(gm::test::model(spec_text(8, c.s, c.h, c.v)), 8, c.s);
    EXPECT_DOUBLE_EQ(e.mean(), c.mean) << spec_text(8, c.s, c.h, c.v);
    EXPECT_EQ(e.worst, c.max_abs) << spec_text(8, c.s, c.h, c.v);
  }
}

// Hand-derived corner cases at h = 2, v = 6.
//   255 * 255 (unsigned): 65025 - 961 = 64064.
//   1 * 1: unsigned, cell (0,0) is omitted: 0. Signed, the omitted NAND cells (7,0), (7,1) are 1
//   too: 1 - 1 - 384 = -384.
//   -128 * -128: only (7,7) = 1 and the NAND cells (7,j<7), (i<7,7) = 1 (a_i = b_j = 0 for i, j < 7);
//   (7,0) and (7,1) are omitted: 16384 - 384 = 16000.
//   -1 * -1: AND cells 1, NAND cells 0; omitted AND cells: rows 0, 1 without column 7 (127 + 254)
//   and the 196 of rows 2..5: 1 - 577 = -576.
//   x * 0 and 0 * x (signed): the omitted NAND cells (7,0), (7,1) are 1: -384.
TEST(Bam, CornerCases) {
  const auto u = gm::test::model(spec_text(8, false, 2, 6));
  const auto s = gm::test::model(spec_text(8, true, 2, 6));
  EXPECT_EQ(u(255, 255), 64064);
  EXPECT_EQ(u(1, 1), 0);
  EXPECT_EQ(s(1, 1), -384);
  EXPECT_EQ(s(-128, -128), 16000);
  EXPECT_EQ(s(-1, -1), -576);
  for (int64_t x = -128; x <= 127; ++x) {
    EXPECT_EQ(s(x, 0), -384) << x;
    EXPECT_EQ(s(0, x), -384) << x;
    EXPECT_EQ(u(x + 128, 0), 0);
    EXPECT_EQ(u(0, x + 128), 0);
  }
}

// The horizontal break treats a and b differently.
TEST(Bam, HorizontalBreakIsNotCommutative) {
  const auto u = gm::test::model(spec_text(8, false, 2, 6));
  EXPECT_EQ(u(1, 255), 192);  // a_0 meets rows 0..7; kept: j >= 2 and 0 + j >= 6, i.e. 2^6 + 2^7
  EXPECT_EQ(u(255, 1), 0);    // b = 1 feeds row 0 only, which is omitted
}

// Moving either break level further into the array never lowers the mean absolute error.
// Unsigned for every level; signed up to where the products start to wrap around the 2w-bit word.
TEST(Bam, ErrorGrowsWithEitherBreakLevel) {
  for (bool s : {false, true}) {
    for (int v : {0, 6}) {
      double previous = -1;
      for (int h = 0; h <= (s ? 6 : 8); ++h) {
        const double med = gm::test::error_totals(gm::test::model(spec_text(8, s, h, v)), 8, s).mean_abs();
        EXPECT_GE(med, previous) << "s=" << s << " h=" << h << " v=" << v;
        previous = med;
      }
    }
    for (int h : {0, 2}) {
      double previous = -1;
      for (int v = 0; v <= (s ? 14 : 16); ++v) {
        const double med = gm::test::error_totals(gm::test::model(spec_text(8, s, h, v)), 8, s).mean_abs();
        EXPECT_GE(med, previous) << "s=" << s << " h=" << h << " v=" << v;
        previous = med;
      }
    }
  }
}
