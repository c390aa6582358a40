// udm: the model against a closed form written from the error structure, pinned error figures,
// corner cases and properties.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <utility>
#include <vector>

#include "models/spec.hpp"
#include "tests/support/family.hpp"

namespace {

using gm::test::model;

// Leaf intervals (low bit, width) of the operand split: [lo, lo + n) halves until width <= 2.
void leaves(int lo, int n, std::vector<std::pair<int, int>>& out) {
  if (n <= 2) {
    out.push_back({lo, n});
    return;
  }
  leaves(lo, (n + 1) / 2, out);
  leaves(lo + (n + 1) / 2, n - (n + 1) / 2, out);
}

// Reference: the only wrong block output is 3 x 3 -> 7, 2 below 9; each 2-bit leaf pair with both
// digits 3 therefore takes 2 * 2^(shift_a + shift_b) off the exact product.
int64_t udm_reference(uint64_t a, uint64_t b, int w) {
  std::vector<std::pair<int, int>> lv;
  leaves(0, w, lv);
  int64_t p = static_cast<int64_t>(a * b);
  for (auto [la, na] : lv)
    for (auto [lb, nb] : lv)
      if (na == 2 && nb == 2 && ((a >> la) & 3) == 3 && ((b >> lb) & 3) == 3) p -= int64_t{2} << (la + lb);
  return p;
}

// Sign-magnitude around the reference, read back as the signed 2w-bit word.
int64_t udm_signed_reference(int64_t a, int64_t b, int w) {
  return gm::test::sign_magnitude_reference(a, b, w, [w](uint64_t x, uint64_t y) { return udm_reference(x, y, w); });
}

}  // namespace

TEST(Udm, MatchesClosedFormOnAllPairsUpToWidth8) {
  for (int w = 2; w <= 8; ++w) {
    const auto u = model("udm:w=" + std::to_string(w) + ",s=0");
    const auto s = model("udm:w=" + std::to_string(w) + ",s=1");
    const int64_t top = int64_t{1} << w, half = top / 2;
    for (int64_t a = 0; a < top; ++a)
      for (int64_t b = 0; b < top; ++b) {
        ASSERT_EQ(u(a, b), udm_reference(a, b, w)) << "w=" << w << " a=" << a << " b=" << b;
        const int64_t sa = a - half, sb = b - half;
        ASSERT_EQ(s(sa, sb), udm_signed_reference(sa, sb, w)) << "w=" << w << " a=" << sa << " b=" << sb;
      }
  }
}

TEST(Udm, MatchesClosedFormOnRandomPairsAtWidths9To16) {
  std::mt19937_64 rng(7);
  for (int w = 9; w <= 16; ++w) {
    const auto u = model("udm:w=" + std::to_string(w) + ",s=0");
    const auto s = model("udm:w=" + std::to_string(w) + ",s=1");
    const int64_t top = int64_t{1} << w, half = top / 2;
    for (int k = 0; k < 20000; ++k) {
      const int64_t a = static_cast<int64_t>(rng() % top), b = static_cast<int64_t>(rng() % top);
      ASSERT_EQ(u(a, b), udm_reference(a, b, w)) << "w=" << w << " a=" << a << " b=" << b;
      ASSERT_EQ(s(a - half, b - half), udm_signed_reference(a - half, b - half, w));
    }
  }
}

TEST(Udm, CornerCases) {
  const auto u = model("udm:w=8,s=0");
  const auto s = model("udm:w=8,s=1");
  EXPECT_EQ(u(0, 255), 0);
  EXPECT_EQ(u(1, 255), 255);  // digits of 1 are (1,0,0,0): no 3 x 3 pair
  EXPECT_EQ(u(3, 3), 7);      // the block itself
  // 255 = digits (3,3,3,3): every one of the 16 pairs loses 2 * 4^(i+j): 65025 - 2 * 85^2.
  EXPECT_EQ(u(255, 255), 50575);
  EXPECT_EQ(s(-1, -1), 1);
  EXPECT_EQ(s(-128, -128), 16384);  // |-128| = 0b10000000 has no digit 3
  EXPECT_EQ(s(-128, 127), -16256);  // 128 x 127 exact: 128 has no digit 3
  // 127 = digits (3,3,3,1): 9 pairs with shifts 4^(0..2) each: 16129 - 2 * 21^2.
  EXPECT_EQ(s(127, 127), 15247);
  EXPECT_EQ(s(-127, 127), -15247);
  EXPECT_EQ(s(0, -128), 0);
}

// Figures derived independently (a Python script of the block equations and the recursive split,
// exhaustive at w = 8; the error count also in closed form below).
TEST(Udm, PinnedErrorFiguresAtWidth8) {
  for (int s = 0; s <= 1; ++s) {
    const auto m = model("udm:w=8,s=" + std::to_string(s));
    const int64_t lo = s ? -128 : 0, hi = s ? 127 : 255;
    int64_t errors = 0, sum_abs = 0, worst = 0;
    double rel = 0;
    int64_t nonzero = 0;
    for (int64_t a = lo; a <= hi; ++a)
      for (int64_t b = lo; b <= hi; ++b) {
        const int64_t e = m(a, b) - a * b;
        errors += e != 0;
        sum_abs += std::abs(e);
        worst = std::max(worst, std::abs(e));
        if (a * b != 0) {
          rel += std::abs(static_cast<double>(e)) / std::abs(static_cast<double>(a * b));
          ++nonzero;
        }
      }
    if (s == 0) {
      // Wrong iff both operands hold a digit 3: (256 - 3^4)^2 = 175^2 pairs.
      EXPECT_EQ(errors, 175 * 175);
      EXPECT_EQ(sum_abs, 59187200);  // MED 903.125
      EXPECT_EQ(worst, 14450);       // 255 x 255
      EXPECT_NEAR(rel / nonzero, 0.0328049, 1e-6);  // MRED 3.28%; the paper reports 1.39-3.32% mean error
    } else {
      EXPECT_EQ(errors, 21904);
      EXPECT_EQ(sum_abs, 3612672);  // MED 55.125
      EXPECT_EQ(worst, 882);        // 127 x 127
      EXPECT_NEAR(rel / nonzero, 0.0146980, 1e-6);
    }
  }
}

TEST(Udm, ErrorOnlyFromThreeByThreeDigitPairsAndNeverAbove) {
  const auto u = model("udm:w=8,s=0");
  auto has_digit3 = [](int64_t v) {
    for (int k = 0; k < 8; k += 2)
      if (((v >> k) & 3) == 3) return true;
    return false;
  };
  for (int64_t a = 0; a < 256; ++a)
    for (int64_t b = 0; b < 256; ++b) {
      const int64_t y = u(a, b);
      if (!has_digit3(a) || !has_digit3(b)) {
        ASSERT_EQ(y, a * b) << a << " x " << b;
      } else {
        ASSERT_LT(y, a * b) << a << " x " << b;
      }
      ASSERT_EQ(y, u(b, a)) << "commutative";
    }
}
