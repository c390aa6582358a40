// trunc: the truncated multiplier model against a reference written row by row, pinned error
// figures derived by hand, and the properties of truncation and constant correction.
#include <gtest/gtest.h>

#include "tests/support/error_totals.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "models/arith.hpp"
#include "models/pairs.hpp"
#include "models/spec.hpp"
#include "tests/support/family.hpp"

// The helpers of the families' tests share names (spec, reference...): a namespace per file keeps
// them apart when several of these files share a unity group (GM_UNITY).
namespace trunc_test {

namespace {

std::string spec_text(int w, bool s, int t, int comp) {
  return gm::test::spec("trunc", {{"w", w}, {"s", s}, {"t", t}, {"comp", comp}});
}

// Row j of the matrix as a w-bit word: b_j ? a : 0, and in the signed (Baugh-Wooley) matrix the
// sign-position cells inverted: bit w-1 of rows j < w-1, bits 0..w-2 of row w-1.
uint64_t matrix_row(uint64_t a_bits, uint64_t b_bits, int j, int w, bool s) {
  uint64_t row = ((b_bits >> j) & 1) ? a_bits : 0;
  if (s) row ^= (j < w - 1) ? (uint64_t{1} << (w - 1)) : ((uint64_t{1} << (w - 1)) - 1);
  return row;
}

// Value of the dropped cells: in row j the cells i < t - j.
int64_t dropped_value(int64_t a, int64_t b, int w, bool s, int t) {
  const uint64_t ab = gm::operand_bits(a, w), bb = gm::operand_bits(b, w);
  int64_t d = 0;
  for (int j = 0; j < w; ++j) {
    const int n = std::clamp(t - j, 0, w);
    d += static_cast<int64_t>(matrix_row(ab, bb, j, w, s) & ((uint64_t{1} << n) - 1)) << j;
  }
  return d;
}

// The correction as the rounded (half up) mean of the dropped value over every operand pair,
// counted by brute force: floor(sum / N + 1/2) = floor((2 sum + N) / 2N).
int64_t brute_force_correction(int w, bool s, int t) {
  int64_t sum = 0, n = 0;
  for (int64_t a = gm::operand_min(w, s); a <= gm::operand_max(w, s); ++a)
    for (int64_t b = gm::operand_min(w, s); b <= gm::operand_max(w, s); ++b, ++n)
      sum += dropped_value(a, b, w, s, t);
  return (2 * sum + n) / (2 * n);
}

// The Baugh-Wooley matrix plus its constants sums to a*b (mod 2^2w), so the truncated product is
// a*b minus the dropped cells.
int64_t reference(int64_t a, int64_t b, int w, bool s, int t, int64_t correction) {
  return gm::wrap(a * b - dropped_value(a, b, w, s, t) + correction, 2 * w, s);
}


void expect_matches_reference(int w, bool s, int t, int comp) {
  const auto model = gm::test::model(spec_text(w, s, t, comp));
  const int64_t c = comp ? brute_force_correction(w, s, t) : 0;
  for (int64_t a = gm::operand_min(w, s); a <= gm::operand_max(w, s); ++a)
    for (int64_t b = gm::operand_min(w, s); b <= gm::operand_max(w, s); ++b)
      ASSERT_EQ(model(a, b), reference(a, b, w, s, t, c))
          << spec_text(w, s, t, comp) << " a=" << a << " b=" << b;
}

}  // namespace

TEST(Trunc, MatchesRowReferenceOnAllPairsAtSmallWidths) {
  for (int w : {2, 3, 4})
    for (bool s : {false, true})
      for (int t = 0; t <= 2 * w; ++t)
        for (int comp : {0, 1}) expect_matches_reference(w, s, t, comp);
}

TEST(Trunc, MatchesRowReferenceOnAllPairsAtWidth8) {
  for (bool s : {false, true})
    for (int t : {0, 1, 6, 8, 11, 16})
      for (int comp : {0, 1}) expect_matches_reference(8, s, t, comp);
}

TEST(Trunc, ZeroThresholdIsExact) {
  for (bool s : {false, true}) {
    const auto model = gm::test::model(spec_text(8, s, 0, 1));
    for (int64_t a = gm::operand_min(8, s); a <= gm::operand_max(8, s); ++a)
      for (int64_t b = gm::operand_min(8, s); b <= gm::operand_max(8, s); ++b) ASSERT_EQ(model(a, b), a * b);
  }
}

// Derived by hand. Each cell a_i b_j is 1 in exactly 1/4 of all pairs, an inverted Baugh-Wooley
// cell in 3/4. Unsigned, the dropped cells of t columns weigh sum_(c<t) (c+1) 2^c = (t-1) 2^t + 1:
// 321 for t = 6, 1793 for t = 8, so the bias is -321/4 = -80.25 and -1793/4 = -448.25. Signed t = 8
// also drops the NAND cells (7,0) and (0,7) of weight 128: 3/4 instead of 1/4 adds 2 * 128 / 2,
// bias -576.25. The product never wraps here, so the bias is minus the mean dropped value.
// comp=1 adds round(80.25) = 80, round(448.25) = 448, round(576.25) = 576: bias -0.25.
// Largest error, comp=0: every dropped cell 1 (a = b = 255 unsigned, a = b = 127 signed): 1793.
// comp=1: the dropped value D lies in 0 .. Dmax and reaches Dmax, so the largest error is
// max(C, Dmax - C) = Dmax - C: 321 - 80 at t = 6, 1793 - 448 = 1345 unsigned and 1793 - 576 signed
// at t = 8.
TEST(Trunc, PinnedErrorsAtWidth8) {
  struct Case {
    bool s;
    int t, comp;
    double mean;
    int64_t max_abs;
  };
  const Case cases[] = {
      {false, 6, 0, -80.25, 321}, {true, 6, 0, -80.25, 321},     {false, 8, 0, -448.25, 1793},
      {true, 8, 0, -576.25, 1793}, {false, 6, 1, -0.25, 321 - 80}, {true, 6, 1, -0.25, 321 - 80},
      {false, 8, 1, -0.25, 1345},  {true, 8, 1, -0.25, 1793 - 576},
  };
  for (const auto& c : cases) {
    const auto e = gm::test::error_totals(gm::test::model(spec_text(8, c.s, c.t, c.comp)), 8, c.s);
    EXPECT_DOUBLE_EQ(e.mean(), c.mean) << spec_text(8, c.s, c.t, c.comp);
    EXPECT_EQ(e.worst, c.max_abs) << spec_text(8, c.s, c.t, c.comp);
  }
}

// Hand-derived corner cases at t = 8 (comp = 0).
//   1 * 1: unsigned, the only 1 cell, (0,0), is dropped: 0. Signed, the NAND cells (7,0) and
//   (0,7) are 1 as well and dropped: 1 - 1 - 256 = -256.
//   255 * 255 (unsigned): 65025 - 1793 = 63232.
//   -128 * -128: a = b = 1000_0000: only the NAND cells (7,j<7), (i<7,7) and (7,7) can be 1;
//   (7,7) = 1 is kept, the NAND cells (7,0) and (0,7) = 1 are dropped: 16384 - 256 = 16128.
//   -1 * -1: every AND cell 1, every NAND cell 0; the dropped AND cells weigh 1793 - 2 * 128:
//   1 - 1537 = -1536.
//   x * 0 (signed): the dropped NAND cells (7,0) and (0,7) are 1: -256, so zero is not preserved.
TEST(Trunc, CornerCases) {
  const auto u = gm::test::model(spec_text(8, false, 8, 0));
  const auto s = gm::test::model(spec_text(8, true, 8, 0));
  EXPECT_EQ(u(1, 1), 0);
  EXPECT_EQ(u(255, 255), 63232);
  EXPECT_EQ(s(1, 1), -256);
  EXPECT_EQ(s(-128, -128), 16128);
  EXPECT_EQ(s(-1, -1), -1536);
  for (int64_t x = -128; x <= 127; ++x) {
    EXPECT_EQ(s(x, 0), -256) << x;
    EXPECT_EQ(s(0, x), -256) << x;
    EXPECT_EQ(u(x + 128, 0), 0);
    EXPECT_EQ(u(0, x + 128), 0);
  }
}

// Below column w-1 no NAND cell is dropped, so a zero operand still gives zero; truncation keeps
// the matrix symmetric, so the product is commutative.
TEST(Trunc, ZeroOperandBelowSignColumnAndCommutative) {
  for (bool s : {false, true})
    for (int t = 0; t <= 16; t += 3) {
      const auto model = gm::test::model(spec_text(8, s, t, 0));
      for (int64_t a = gm::operand_min(8, s); a <= gm::operand_max(8, s); ++a) {
        if (!s || t <= 7) {
          EXPECT_EQ(model(a, 0), 0) << spec_text(8, s, t, 0) << " a=" << a;
        }
        for (int64_t b = gm::operand_min(8, s); b <= gm::operand_max(8, s); ++b)
          ASSERT_EQ(model(a, b), model(b, a)) << spec_text(8, s, t, 0);
      }
    }
}

// Dropping one more column raises the mean absolute error. Unsigned this holds for every t up to
// 2w-1 (the dropped value only grows and the result never wraps; t = 2w drops no further cell);
// signed, near t = 2w the product wraps around the 2w-bit word, so the property is checked below.
TEST(Trunc, ErrorGrowsWithThreshold) {
  for (bool s : {false, true}) {
    double previous = -1;
    const int last = s ? 14 : 15;
    for (int t = 0; t <= last; ++t) {
      const double med = gm::test::error_totals(gm::test::model(spec_text(8, s, t, 0)), 8, s).mean_abs();
      if (t > 0) {
        EXPECT_GT(med, previous) << "s=" << s << " t=" << t;
      }
      previous = med;
    }
  }
}

// The correction brings the bias to within half a unit and below that of plain truncation (at
// t = 1 the expected dropped value 1/4 rounds to a zero correction, so the two are equal).
TEST(Trunc, CorrectionCancelsTheBias) {
  for (bool s : {false, true})
    for (int t = 1; t <= (s ? 14 : 16); ++t) {
      const double plain = gm::test::error_totals(gm::test::model(spec_text(8, s, t, 0)), 8, s).mean();
      const double corrected = gm::test::error_totals(gm::test::model(spec_text(8, s, t, 1)), 8, s).mean();
      EXPECT_LE(std::fabs(corrected), 0.5) << "s=" << s << " t=" << t;
      EXPECT_LE(std::fabs(corrected), std::fabs(plain)) << "s=" << s << " t=" << t;
      if (t >= 2) {
        EXPECT_LT(std::fabs(corrected), std::fabs(plain)) << "s=" << s << " t=" << t;
      }
    }
}

// ---- Zero-safe variant (z=1, signed only, not with comp=1; docs/families/trunc.md) ----

namespace {

std::string zero_safe_text(int w, int t) { return gm::test::spec("trunc", {{"w", w}, {"s", 1}, {"t", t}, {"z", 1}}); }

// The dropped cells of the two's-complement product, row by row: row j is sigma_j b_j 2^j a
// (sigma_j = -1 for the sign row) and loses its n = t - j low cells, worth b_j 2^j times a's n low
// bits (all of a, signed, when n = w).
int64_t dropped_signed_value(int64_t a, int64_t b, int w, int t) {
  const uint64_t ab = gm::operand_bits(a, w), bb = gm::operand_bits(b, w);
  int64_t d = 0;
  for (int j = 0; j < w; ++j) {
    if (!((bb >> j) & 1)) continue;
    const int n = std::clamp(t - j, 0, w);
    const int64_t low_of_a = n == w ? a : static_cast<int64_t>(ab & ((uint64_t{1} << n) - 1));
    d += (j == w - 1 ? -1 : 1) * low_of_a * (int64_t{1} << j);
  }
  return d;
}

}  // namespace

// The model against the row reference on every pair, x*0 = 0*x = 0 on every row and column, and
// commutativity (the kept set and the signs are symmetric in i and j).
TEST(Trunc, ZeroSafeMatchesSignedRowReferenceKeepsZeroAndCommutes) {
  for (int w : {2, 3, 4, 8})
    for (int t = 0; t <= 2 * w; t += (w == 8 ? 3 : 1)) {
      const auto model = gm::test::model(zero_safe_text(w, t));
      for (int64_t a = gm::operand_min(w, true); a <= gm::operand_max(w, true); ++a) {
        ASSERT_EQ(model(a, 0), 0) << zero_safe_text(w, t) << " a=" << a;
        ASSERT_EQ(model(0, a), 0) << zero_safe_text(w, t) << " b=" << a;
        for (int64_t b = gm::operand_min(w, true); b <= gm::operand_max(w, true); ++b) {
          ASSERT_EQ(model(a, b), gm::wrap(a * b - dropped_signed_value(a, b, w, t), 2 * w, true))
              << zero_safe_text(w, t) << " a=" << a << " b=" << b;
          ASSERT_EQ(model(a, b), model(b, a)) << zero_safe_text(w, t);
        }
      }
    }
}

// z=1 gives back the constant share (-2^(i+j) each, since ~x = 1 - x) of every dropped NAND cell:
// on every pair it is the z=0 product plus their weights. By hand at w = 8: t = 8 drops (7,0) and
// (0,7): +256; t = 9 also (7,1), (1,7): +768; t = 10 also (7,2), (2,7): +1792; t <= 7 drops none.
TEST(Trunc, ZeroSafeIsTheDefaultPlusTheDroppedNandWeights) {
  const struct {
    int t;
    int64_t added;
  } cases[] = {{6, 0}, {7, 0}, {8, 256}, {9, 768}, {10, 1792}};
  for (const auto& c : cases) {
    const auto safe = gm::test::model(zero_safe_text(8, c.t));
    const auto plain = gm::test::model(spec_text(8, true, c.t, 0));
    for (int64_t a = -128; a <= 127; ++a)
      for (int64_t b = -128; b <= 127; ++b)
        ASSERT_EQ(safe(a, b), gm::wrap(plain(a, b) + c.added, 16, true)) << "t=" << c.t;
  }
}

// Derived by hand at t = 8: the dropped plain AND cells weigh 1793 - 2 * 128 = 1537 (1 in a quarter
// of the pairs); the dropped sign terms -a_7 b_0 128 and -a_0 b_7 128 are -1 in a quarter of the
// pairs each: bias -(1537 - 256)/4 = -320.25. Largest error: every dropped plain cell 1 and no sign
// term (a = b = 127): -1537; at most +256 the other way. t = 9 (column 8 holds 7 cells): plain
// 1793 + 7 * 256 - 768 = 2817, sign terms 768: bias -(2817 - 768)/4 = -512.25, largest |e| 2817.
TEST(Trunc, ZeroSafePinnedErrorsAtWidth8) {
  const struct {
    int t;
    double mean;
    int64_t max_abs;
  } cases[] = {{8, -320.25, 1537}, {9, -512.25, 2817}};
  for (const auto& c : cases) {
    const auto e = gm::test::error_totals(gm::test::model(zero_safe_text(8, c.t)), 8, true);
    EXPECT_DOUBLE_EQ(e.mean(), c.mean) << zero_safe_text(8, c.t);
    EXPECT_EQ(e.worst, c.max_abs) << zero_safe_text(8, c.t);
  }
}

// Hand-derived at t = 8, z=1 (compare Trunc.CornerCases for z=0):
//   1 * 1: the only non-zero cell (0,0) is dropped: 0 (z=0: -256).
//   -128 * -128: only (7,7) is non-zero, and kept: 16384 (z=0: 16128).
//   -1 * -1: row 0 loses all of a (-1), rows 1..6 the low 7..2 bits of a: 2*127 + 4*63 + 8*31 +
//   16*15 + 32*7 + 64*3 = 1410, row 7 (the sign row, -2^7 a) its low bit: -128; 1 - (-1 + 1410 - 128) = -1280.
TEST(Trunc, ZeroSafeCornerCases) {
  const auto m = gm::test::model(zero_safe_text(8, 8));
  EXPECT_EQ(m(1, 1), 0);
  EXPECT_EQ(m(-128, -128), 16384);
  EXPECT_EQ(m(-1, -1), -1280);
}

// z is a key added after trunc's designs were named: z=0 (or no z) keeps the canonical spec, the
// name and the products; z=1 adds _z1. Refused: z=1 unsigned (x*0 = 0 holds already) and z=1 with
// comp=1 (comp adds a constant to every product).
TEST(Trunc, ZeroSafeKeyLeavesTheDefaultDesignAlone) {
  for (const char* text : {"trunc:t=8,s=1", "trunc:t=8,s=1,z=0", "trunc:z=0,comp=0,s=1,t=8,w=8"}) {
    const gm::Spec s = gm::parse_spec(text);
    EXPECT_EQ(s.canonical(), "trunc:comp=0,s=1,t=8,w=8") << text;
    EXPECT_EQ(s.name(), "gm_trunc_s8_t8_comp0") << text;
  }
  const gm::Spec z = gm::parse_spec("trunc:t=8,s=1,z=1");
  EXPECT_EQ(z.canonical(), "trunc:comp=0,s=1,t=8,w=8,z=1");
  EXPECT_EQ(z.name(), "gm_trunc_s8_t8_comp0_z1");
  EXPECT_EQ(gm::parse_spec(z.canonical()).name(), z.name());
  const auto m = gm::test::model("trunc:t=8,s=1,z=0");  // Trunc.CornerCases' products, spelled with z=0
  EXPECT_EQ(m(1, 1), -256);
  EXPECT_EQ(m(-128, -128), 16128);
  EXPECT_EQ(m(7, 0), -256);
  const std::pair<const char*, const char*> refused[] = {
      {"trunc:t=8,z=1", "z=1 is for signed designs (s=1)"},
      {"trunc:t=8,s=1,comp=1,z=1", "z=1 and comp=1 exclude each other"}};
  for (const auto& [text, fragment] : refused) {
    try {
      gm::parse_spec(text);
      ADD_FAILURE() << text << " was accepted";
    } catch (const gm::SpecError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  }
}

}  // namespace trunc_test
