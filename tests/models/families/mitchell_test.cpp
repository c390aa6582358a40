// mitchell: the model against a floating-point evaluation of Mitchell's formula, the 1/9 bound,
// never over-estimating, pinned error figures, corner cases and properties.
#include <gtest/gtest.h>

#include "tests/support/error_totals.hpp"

#include <cmath>
#include <cstdlib>

#include "models/spec.hpp"
#include "tests/support/family.hpp"

// The helpers of the families' tests share names (spec, reference...): a namespace per file keeps
// them apart when several of these files share a unity group (GM_UNITY).
namespace mitchell_test {

namespace {

using gm::test::model;

std::string spec(int w, int s, int f) {
  return gm::test::spec("mitchell", {{"w", w}, {"s", s}, {"f", f}});
}

// Mitchell in floating point: A = 2^k (1 + x), x truncated to f bits; every value here is a dyadic
// rational of at most ~50 significant bits, so double arithmetic is exact.
int64_t mitchell_reference(uint64_t a, uint64_t b, int f) {
  if (a == 0 || b == 0) return 0;
  auto split = [f](uint64_t v, int& k, double& x) {
    k = static_cast<int>(std::floor(std::log2(static_cast<double>(v))));
    x = std::ldexp(static_cast<double>(v), -k) - 1.0;
    x = std::ldexp(std::floor(std::ldexp(x, f)), -f);
  };
  int k1, k2;
  double x1, x2;
  split(a, k1, x1);
  split(b, k2, x2);
  const double p = (x1 + x2 < 1.0) ? std::ldexp(1.0 + x1 + x2, k1 + k2) : std::ldexp(x1 + x2, k1 + k2 + 1);
  return static_cast<int64_t>(std::floor(p));
}

int64_t signed_reference(int64_t a, int64_t b, int w, int f) {
  return gm::test::sign_magnitude_reference(a, b, w, [f](uint64_t x, uint64_t y) { return mitchell_reference(x, y, f); });
}

}  // namespace

TEST(Mitchell, MatchesFloatingPointFormulaOnAllPairsEveryF) {
  for (int w : {2, 3, 5, 8})
    for (int f = 0; f < w; ++f) {
      const auto u = model(spec(w, 0, f));
      const auto s = model(spec(w, 1, f));
      const int64_t top = int64_t{1} << w, half = top / 2;
      for (int64_t a = 0; a < top; ++a)
        for (int64_t b = 0; b < top; ++b) {
          ASSERT_EQ(u(a, b), mitchell_reference(a, b, f)) << "w=" << w << " f=" << f << " " << a << "x" << b;
          ASSERT_EQ(s(a - half, b - half), signed_reference(a - half, b - half, w, f))
              << "w=" << w << " f=" << f << " " << a - half << "x" << b - half;
        }
    }
}

TEST(Mitchell, DefaultIsFullPrecision) {
  EXPECT_EQ(gm::parse_spec("mitchell:w=8").get("f"), 7);
  EXPECT_EQ(gm::parse_spec("mitchell:w=5").get("f"), 4);
  EXPECT_THROW(gm::parse_spec("mitchell:w=8,f=8"), gm::SpecError);
  EXPECT_THROW(gm::parse_spec("mitchell:w=8,f=-1"), gm::SpecError);
}

TEST(Mitchell, CornerCases) {
  const auto u = model(spec(8, 0, 7));
  const auto s = model(spec(8, 1, 7));
  EXPECT_EQ(u(0, 0), 0);
  EXPECT_EQ(u(1, 1), 1);
  EXPECT_EQ(u(3, 3), 8);            // x1 = x2 = 1/2: 2^(1+1+1) * 1, the 1/9 worst case
  EXPECT_EQ(u(255, 255), 65024);    // 2^15 (1 + 1 - 2/128) = 254 * 256
  EXPECT_EQ(u(128, 200), 25600);    // a power of two: exact
  EXPECT_EQ(s(-1, -1), 1);
  EXPECT_EQ(s(-128, -128), 16384);  // powers of two: exact
  EXPECT_EQ(s(-128, 127), -16256);
  EXPECT_EQ(s(-3, 3), -8);
  const auto coarse = model(spec(8, 0, 0));
  EXPECT_EQ(coarse(255, 255), 16384);  // f = 0: only the exponents, 2^(7+7)
}

TEST(Mitchell, NeverOverEstimates) {
  for (int f = 0; f < 8; ++f) {
    const auto u = model(spec(8, 0, f));
    const auto s = model(spec(8, 1, f));
    for (int64_t a = 0; a < 256; ++a)
      for (int64_t b = 0; b < 256; ++b) {
        ASSERT_LE(u(a, b), a * b) << "f=" << f << " " << a << "x" << b;
        ASSERT_GE(u(a, b), 0);
        const int64_t sa = a - 128, sb = b - 128, got = s(sa, sb);
        ASSERT_LE(std::abs(got), std::abs(sa * sb)) << "f=" << f << " " << sa << "x" << sb;
        ASSERT_TRUE(got == 0 || (got < 0) == (sa * sb < 0)) << "f=" << f << " " << sa << "x" << sb;
      }
  }
}

// Mitchell 1962: at full precision the relative error is at most 1/9, reached at x1 = x2 = 1/2.
TEST(Mitchell, LargestRelativeErrorIsOneNinthAtFullPrecision) {
  const auto u = model(spec(8, 0, 7));
  int64_t reached = 0;
  double worst = 0;
  for (int64_t a = 1; a < 256; ++a)
    for (int64_t b = 1; b < 256; ++b) {
      const int64_t e = a * b - u(a, b);
      ASSERT_LE(9 * e, a * b) << a << "x" << b;  // e / (a b) <= 1/9, in integers
      reached += 9 * e == a * b;
      worst = std::max(worst, static_cast<double>(e) / static_cast<double>(a * b));
    }
  EXPECT_GT(reached, 0);
  EXPECT_NEAR(worst, 1.0 / 9.0, 1e-12);
}

// Figures derived independently: a Python script of the formula with exact rationals (Fraction),
// exhaustive at w = 8. errors = pairs with e != 0, sum_abs = sum |e|, worst = max |e|, sum_e = sum e.
TEST(Mitchell, PinnedErrorFiguresAtWidth8) {
  struct Pin {
    int s, f;
    int64_t errors, sum_abs, worst, sum_e;
  };
  for (const Pin& p : {Pin{0, 7, 61009, 39740909, 4096, -39740909}, Pin{1, 7, 57600, 9918388, 1024, 0},
                       Pin{0, 3, 64337, 118545517, 10081, -118545517}, Pin{1, 3, 62880, 27812276, 2417, 0}}) {
    const auto m = model(spec(8, p.s, p.f));
    const auto t = gm::test::error_totals(m, 8, p.s);
    const int64_t errors = t.errors, sum_abs = t.sum_abs, worst = t.worst, sum_e = t.sum;
    EXPECT_EQ(errors, p.errors) << "s=" << p.s << " f=" << p.f;
    EXPECT_EQ(sum_abs, p.sum_abs) << "s=" << p.s << " f=" << p.f;
    EXPECT_EQ(worst, p.worst) << "s=" << p.s << " f=" << p.f;
    EXPECT_EQ(sum_e, p.sum_e) << "s=" << p.s << " f=" << p.f;
  }
}

// Every extra fraction bit can only raise the (under-estimated) product: pairwise monotonic, and
// the total error falls strictly.
TEST(Mitchell, ErrorShrinksAsFGrows) {
  int64_t previous = -1;
  for (int f = 0; f < 8; ++f) {
    const auto m = model(spec(8, 0, f));
    const auto finer = model(spec(8, 0, std::min(f + 1, 7)));
    int64_t sum_abs = 0;
    for (int64_t a = 0; a < 256; ++a)
      for (int64_t b = 0; b < 256; ++b) {
        ASSERT_LE(m(a, b), finer(a, b)) << "f=" << f << " " << a << "x" << b;
        sum_abs += std::abs(m(a, b) - a * b);
      }
    if (previous >= 0) {
      EXPECT_LT(sum_abs, previous) << "f=" << f;
    }
    previous = sum_abs;
  }
}

TEST(Mitchell, ExactWhenAnOperandIsAPowerOfTwoAtFullPrecision) {
  const auto u = model(spec(8, 0, 7));
  for (int p = 0; p < 8; ++p)
    for (int64_t x = 0; x < 256; ++x) {
      ASSERT_EQ(u(int64_t{1} << p, x), x << p);
      ASSERT_EQ(u(x, int64_t{1} << p), x << p);
    }
}

TEST(Mitchell, ZeroOperandGivesZero) {
  for (int w : {2, 5, 8})
    for (int f = 0; f < w; ++f)
      for (int s = 0; s <= 1; ++s) {
        const auto m = model(spec(w, s, f));
        const int64_t lo = s ? -(int64_t{1} << (w - 1)) : 0, hi = s ? (int64_t{1} << (w - 1)) - 1 : (int64_t{1} << w) - 1;
        for (int64_t x = lo; x <= hi; ++x) {
          ASSERT_EQ(m(x, 0), 0) << spec(w, s, f) << " x=" << x;
          ASSERT_EQ(m(0, x), 0) << spec(w, s, f) << " x=" << x;
        }
      }
}

}  // namespace mitchell_test
