// comp42: the model against a reference that walks the matrix column by column and applies the
// compressor's truth table, pinned error figures, c = 0 exactness, monotonic error, zero operands.
#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "models/spec.hpp"
#include "tests/support/family.hpp"

// The helpers of the families' tests share names (spec, reference...): a namespace per file keeps
// them apart when several of these files share a unity group (GM_UNITY).
namespace comp42_test {

namespace {

using gm::test::model;

std::string spec(int w, int s, int c) {
  return gm::test::spec("comp42", {{"w", w}, {"s", s}, {"c", c}});
}

// Momeni design 2 as a truth table of its output value (sum + 2 carry) against the input count:
// exact except 0000 -> 1, 1100 and 0011 -> 1, 1111 -> 3 (inputs written x1 x2 x3 x4).
int compressor_value(int x1, int x2, int x3, int x4) {
  const int pattern = x1 << 3 | x2 << 2 | x3 << 1 | x4;
  if (pattern == 0b0000) return 1;
  if (pattern == 0b1100 || pattern == 0b0011) return 1;
  if (pattern == 0b1111) return 3;
  return x1 + x2 + x3 + x4;
}

// Walk each column top to bottom by row j (i = col - j), Baugh-Wooley constant last.
int64_t comp42_reference(int64_t a, int64_t b, int w, bool is_signed, int c) {
  const uint64_t ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
  int64_t total = 0;
  for (int col = 0; col < 2 * w; ++col) {
    std::vector<int> bits;
    for (int j = 0; j < w; ++j) {
      const int i = col - j;
      if (i < 0 || i >= w) continue;
      int bit = static_cast<int>((ua >> i) & (ub >> j) & 1);
      if (is_signed && (i == w - 1) != (j == w - 1)) bit = 1 - bit;
      bits.push_back(bit);
    }
    if (is_signed && (col == w || col == 2 * w - 1)) bits.push_back(1);
    size_t k = 0;
    while (col < c && k + 4 <= bits.size()) {
      total += static_cast<int64_t>(compressor_value(bits[k], bits[k + 1], bits[k + 2], bits[k + 3])) << col;
      k += 4;
    }
    for (; k < bits.size(); ++k) total += static_cast<int64_t>(bits[k]) << col;
  }
  const int64_t range = int64_t{1} << (2 * w);
  total %= range;
  return (is_signed && total >= range / 2) ? total - range : total;
}

}  // namespace

TEST(Comp42, MatchesColumnWalkOnAllPairs) {
  for (int w : {2, 3, 4, 5, 8})
    for (int c = 0; c <= 2 * w; ++c)
      for (int s = 0; s <= 1; ++s) {
        if (w == 8 && c != 5 && c != 8 && c != 9 && c != 16) continue;  // fast; widths 2..5 take every c
        const auto m = model(spec(w, s, c));
        const int64_t lo = s ? -(int64_t{1} << (w - 1)) : 0, hi = s ? (int64_t{1} << (w - 1)) - 1 : (int64_t{1} << w) - 1;
        for (int64_t a = lo; a <= hi; ++a)
          for (int64_t b = lo; b <= hi; ++b)
            ASSERT_EQ(m(a, b), comp42_reference(a, b, w, s, c)) << spec(w, s, c) << " " << a << "x" << b;
      }
}

TEST(Comp42, ZeroApproximateColumnsIsExact) {
  for (int s = 0; s <= 1; ++s) {
    const auto m = model(spec(8, s, 0));
    const int64_t lo = s ? -128 : 0, hi = s ? 127 : 255;
    for (int64_t a = lo; a <= hi; ++a)
      for (int64_t b = lo; b <= hi; ++b) ASSERT_EQ(m(a, b), a * b) << a << "x" << b;
  }
}

TEST(Comp42, CornerCases) {
  const auto u8 = model(spec(8, 0, 8));
  const auto u16 = model(spec(8, 0, 16));
  // Zero operand: every compressor sees 0000 and outputs 1. At w = 8 columns 3..7 hold 4, 5, 6, 7, 8
  // bits: one group each and two in column 7 -> 8 + 16 + 32 + 64 + 2*128 = 376.
  EXPECT_EQ(u8(0, 0), 376);
  EXPECT_EQ(u8(0, 255), 376);
  // c = 16 adds columns 8..11 (7, 6, 5, 4 bits, one group each): 376 + 256 + 512 + 1024 + 2048.
  EXPECT_EQ(u16(0, 0), 4216);
  // 255 x 255: every bit is 1, every compressor sees 1111 and gives 3 instead of 4.
  // Column groups: c=8 -> cols 3..7 (1,1,1,1,2 groups): -(8+16+32+64+256) = -376.
  EXPECT_EQ(u8(255, 255), 65025 - 376);
  EXPECT_EQ(model(spec(8, 1, 0))(-128, -128), 16384);
  EXPECT_EQ(model(spec(8, 1, 0))(-1, -1), 1);
}

// Figures derived independently (a Python script of the matrix and the compressor truth table,
// exhaustive at w = 8).
TEST(Comp42, PinnedErrorFiguresAtWidth8) {
  struct Pin {
    int s, c;
    int64_t errors, sum_abs, worst, sum_signed;
  };
  for (const Pin& p : {Pin{0, 8, 57630, 8337632, 376, 5967872}, Pin{0, 16, 62710, 101581280, 4216, 66916352},
                       Pin{1, 8, 56726, 5415552, 376, 1511424}, Pin{1, 16, 62912, 47276672, 4472, -18542592},
                       Pin{0, 4, 25600, 204800, 8, 126976}}) {
    const auto m = model(spec(8, p.s, p.c));
    const int64_t lo = p.s ? -128 : 0, hi = p.s ? 127 : 255;
    int64_t errors = 0, sum_abs = 0, worst = 0, sum_signed = 0;
    for (int64_t a = lo; a <= hi; ++a)
      for (int64_t b = lo; b <= hi; ++b) {
        const int64_t e = m(a, b) - a * b;
        errors += e != 0;
        sum_abs += std::abs(e);
        sum_signed += e;
        worst = std::max(worst, std::abs(e));
      }
    EXPECT_EQ(errors, p.errors) << "s=" << p.s << " c=" << p.c;
    EXPECT_EQ(sum_abs, p.sum_abs) << "s=" << p.s << " c=" << p.c;
    EXPECT_EQ(worst, p.worst) << "s=" << p.s << " c=" << p.c;
    EXPECT_EQ(sum_signed, p.sum_signed) << "s=" << p.s << " c=" << p.c;
  }
}

TEST(Comp42, MeanErrorNeverFallsAsColumnsAreAdded) {
  for (int s = 0; s <= 1; ++s) {
    int64_t previous = 0;
    for (int c = 0; c <= 16; ++c) {
      const auto m = model(spec(8, s, c));
      const int64_t lo = s ? -128 : 0, hi = s ? 127 : 255;
      int64_t sum_abs = 0;
      for (int64_t a = lo; a <= hi; ++a)
        for (int64_t b = lo; b <= hi; ++b) sum_abs += std::abs(m(a, b) - a * b);
      EXPECT_GE(sum_abs, previous) << "s=" << s << " c=" << c;
      if (c == 4 || c == 8 || (s == 1 && c == 9)) {
        EXPECT_GT(sum_abs, previous) << "s=" << s << " c=" << c;
      }
      previous = sum_abs;
    }
  }
}

TEST(Comp42, NotZeroOkOnceAColumnHoldsFourBits) {
  // Unsigned, w = 8: column 3 is the first with four bits, so c <= 3 keeps 0 x b = 0 and c >= 4 does not.
  for (int c = 0; c <= 16; ++c) {
    const auto m = model(spec(8, 0, c));
    bool zero_ok = true;
    for (int64_t b = 0; b < 256; ++b) zero_ok = zero_ok && m(0, b) == 0 && m(b, 0) == 0;
    EXPECT_EQ(zero_ok, c <= 3) << "c=" << c;
  }
}

TEST(Comp42, NotCommutativeBecauseGroupsFollowTheRowsOfB) {
  // Count derived independently (Python, exhaustive): 23,432 of the 32,640 pairs a < b differ.
  for (int s = 0; s <= 1; ++s) {
    const auto m = model(spec(8, s, 8));
    const int64_t lo = s ? -128 : 0, hi = s ? 127 : 255;
    int differ = 0;
    for (int64_t a = lo; a <= hi; ++a)
      for (int64_t b = a + 1; b <= hi; ++b) differ += m(a, b) != m(b, a);
    EXPECT_EQ(differ, 23432) << "s=" << s;
  }
}

}  // namespace comp42_test
