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

// The helpers of the families' tests share names (spec, reference...): a namespace per file keeps
// them apart when several of these files share a unity group (GM_UNITY).
namespace bam_test {

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

// ---- Zero-safe variant (z=1, signed only; docs/families/bam.md, "Zero-safe variant") ----

namespace {

std::string zero_safe_text(int w, int h, int v) {
  return gm::test::spec("bam", {{"w", w}, {"s", 1}, {"h", h}, {"v", v}, {"z", 1}});
}

// The two's-complement product row by row: row j is sigma_j b_j 2^j a (sigma_j = -1 for the sign
// row). The omitted cells of row j are its n low cells, worth b_j 2^j times a's n low bits (all of a,
// signed, when n = w): plain bits unless the sign bit is among them.
int64_t omitted_signed_value(int64_t a, int64_t b, int w, int h, int v) {
  const uint64_t ab = gm::operand_bits(a, w), bb = gm::operand_bits(b, w);
  int64_t d = 0;
  for (int j = 0; j < w; ++j) {
    if (!((bb >> j) & 1)) continue;
    const int n = j < h ? w : std::clamp(v - j, 0, w);
    const int64_t low_of_a = n == w ? a : static_cast<int64_t>(ab & ((uint64_t{1} << n) - 1));
    d += (j == w - 1 ? -1 : 1) * low_of_a * (int64_t{1} << j);
  }
  return d;
}

}  // namespace

// The model against the row reference on every pair, and the property z=1 exists for: a zero
// operand gives zero, on every row and column, whatever is omitted.
TEST(Bam, ZeroSafeMatchesSignedRowReferenceAndKeepsZeroAtSmallWidths) {
  for (int w : {2, 3, 4})
    for (int h = 0; h <= w; ++h)
      for (int v = 0; v <= 2 * w; ++v) {
        const auto model = gm::test::model(zero_safe_text(w, h, v));
        for (int64_t a = gm::operand_min(w, true); a <= gm::operand_max(w, true); ++a) {
          ASSERT_EQ(model(a, 0), 0) << zero_safe_text(w, h, v) << " a=" << a;
          ASSERT_EQ(model(0, a), 0) << zero_safe_text(w, h, v) << " b=" << a;
          for (int64_t b = gm::operand_min(w, true); b <= gm::operand_max(w, true); ++b)
            ASSERT_EQ(model(a, b), gm::wrap(a * b - omitted_signed_value(a, b, w, h, v), 2 * w, true))
                << zero_safe_text(w, h, v) << " a=" << a << " b=" << b;
        }
      }
}

TEST(Bam, ZeroSafeKeepsZeroOnEveryRowAndColumnAtWidth8) {
  for (int h = 0; h <= 8; ++h)
    for (int v : {0, 4, 6, 8, 10, 16}) {
      const auto model = gm::test::model(zero_safe_text(8, h, v));
      for (int64_t x = -128; x <= 127; ++x) {
        ASSERT_EQ(model(x, 0), 0) << zero_safe_text(8, h, v) << " a=" << x;
        ASSERT_EQ(model(0, x), 0) << zero_safe_text(8, h, v) << " b=" << x;
      }
    }
}

// z=1 gives back the constant share of every omitted NAND cell (~x = 1 - x: each brings -2^(i+j)),
// so on every pair it is the z=0 product plus the weights of the omitted NAND cells (w-1, j < w-1)
// and (i < w-1, w-1). Derived by hand: h=2, v=6 omits (7,0) and (7,1): +384; h=1, v=0 omits (7,0):
// +128; h=3, v=8 omits (7,0), (7,1), (7,2) and (0,7): 128 + 256 + 512 + 128 = +1024.
TEST(Bam, ZeroSafeIsTheDefaultPlusTheOmittedNandWeights) {
  const struct {
    int h, v;
    int64_t added;
  } cases[] = {{2, 6, 384}, {1, 0, 128}, {3, 8, 1024}};
  for (const auto& c : cases) {
    const auto safe = gm::test::model(zero_safe_text(8, c.h, c.v));
    const auto plain = gm::test::model(spec_text(8, true, c.h, c.v));
    for (int64_t a = -128; a <= 127; ++a)
      for (int64_t b = -128; b <= 127; ++b)
        ASSERT_EQ(safe(a, b), gm::wrap(plain(a, b) + c.added, 16, true)) << "h=" << c.h << " v=" << c.v;
  }
}

// Derived by hand. h=2, v=6: the omitted cells are plain AND cells worth 961 - 384 = 577 (1 in a
// quarter of the pairs) and the NAND positions (7,0), (7,1) (128 + 256), whose terms are now
// -a_7 b_j 2^(7+j), also 1 in a quarter of the pairs: bias -(577 - 384)/4 = -48.25. Largest error:
// every omitted plain cell 1 and no sign cell (a = b = 127): -577; the other way at most +384.
// h=1, v=0 omits row 0, i.e. M = a (b - b_0): e = -b_0 a, bias -E[b_0] E[a] = -(1/2)(-1/2) = +0.25,
// largest |e| = 128 (a = -128, b odd).
TEST(Bam, ZeroSafePinnedErrorsAtWidth8) {
  const struct {
    int h, v;
    double mean;
    int64_t max_abs;
  } cases[] = {{2, 6, -48.25, 577}, {1, 0, 0.25, 128}};
  for (const auto& c : cases) {
    const auto e = gm::test::error_totals(gm::test::model(zero_safe_text(8, c.h, c.v)), 8, true);
    EXPECT_DOUBLE_EQ(e.mean(), c.mean) << zero_safe_text(8, c.h, c.v);
    EXPECT_EQ(e.worst, c.max_abs) << zero_safe_text(8, c.h, c.v);
  }
}

// Hand-derived at h=2, v=6, z=1 (compare Bam.CornerCases for z=0):
//   1 * 1: the only non-zero cell, (0,0), is omitted: 0 (z=0: -384).
//   -128 * -128: only (7,7) is non-zero, and kept: 16384, exact (z=0: 16000).
//   -1 * -1: omitted rows 0, 1 are -1 * 1 and -1 * 2 (a = -1 whole, rows not the sign row); rows
//   2..5 lose their low 4, 3, 2, 1 bits of a: 4*15 + 8*7 + 16*3 + 32*1 = 196; 1 - (-3 + 196) = -192.
TEST(Bam, ZeroSafeCornerCases) {
  const auto m = gm::test::model(zero_safe_text(8, 2, 6));
  EXPECT_EQ(m(1, 1), 0);
  EXPECT_EQ(m(-128, -128), 16384);
  EXPECT_EQ(m(-1, -1), -192);
}

// z is a key added after bam's designs were named: z=0 (or no z) keeps the canonical spec, the name
// and the products; z=1 adds _z1. Unsigned designs refuse z=1 (they keep x*0 = 0 already).
TEST(Bam, ZeroSafeKeyLeavesTheDefaultDesignAlone) {
  for (const char* text : {"bam:h=2,v=6,s=1", "bam:h=2,v=6,s=1,z=0", "bam:z=0,v=6,s=1,h=2,w=8"}) {
    const gm::Spec s = gm::parse_spec(text);
    EXPECT_EQ(s.canonical(), "bam:h=2,s=1,v=6,w=8") << text;
    EXPECT_EQ(s.name(), "gm_bam_s8_h2_v6") << text;
    EXPECT_EQ(gm::parse_spec(s.canonical()).name(), s.name());
  }
  const gm::Spec z = gm::parse_spec("bam:h=2,v=6,s=1,z=1");
  EXPECT_EQ(z.canonical(), "bam:h=2,s=1,v=6,w=8,z=1");
  EXPECT_EQ(z.name(), "gm_bam_s8_h2_v6_z1");
  EXPECT_EQ(gm::parse_spec(z.canonical()).name(), z.name());
  const auto m = gm::test::model("bam:h=2,v=6,s=1,z=0");  // Bam.CornerCases' products, spelled with z=0
  EXPECT_EQ(m(1, 1), -384);
  EXPECT_EQ(m(-128, -128), 16000);
  EXPECT_EQ(m(0, 5), -384);
  try {
    gm::parse_spec("bam:h=2,v=6,z=1");
    ADD_FAILURE() << "an unsigned z=1 was accepted";
  } catch (const gm::SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("z=1 is for signed designs (s=1)"), std::string::npos) << e.what();
  }
}

}  // namespace bam_test
