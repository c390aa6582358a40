// roba: the model against a reference that searches the nearest power of two by distance and
// uses A*B - (A-Ar)(B-Br), the paper's tie rule, pinned error figures, corner cases and properties.
#include <gtest/gtest.h>

#include "tests/support/error_totals.hpp"

#include <cstdlib>

#include "models/spec.hpp"
#include "tests/support/family.hpp"

// The helpers of the families' tests share names (spec, reference...): a namespace per file keeps
// them apart when several of these files share a unity group (GM_UNITY).
namespace roba_test {

namespace {

using gm::test::model;

std::string spec(int w, int s) { return gm::test::spec("roba", {{"w", w}, {"s", s}}); }

// Nearest power of two by trying 2^0 .. 2^40; on a tie (3 * 2^(p-2)) the paper takes the larger
// one, except for 3, which rounds to 2.
int64_t nearest_power(int64_t x) {
  if (x == 0) return 0;
  int64_t best = 1;
  for (int p = 1; p <= 40; ++p) {
    const int64_t c = int64_t{1} << p;
    const int64_t d = std::abs(x - c), db = std::abs(x - best);
    if (d < db || (d == db && x != 3)) best = c;
  }
  return best;
}

int64_t roba_reference(int64_t a, int64_t b) {
  return a * b - (a - nearest_power(a)) * (b - nearest_power(b));
}

int64_t signed_reference(int64_t a, int64_t b, int w) {
  return gm::test::sign_magnitude_reference(a, b, w, [](uint64_t x, uint64_t y) {
    return roba_reference(static_cast<int64_t>(x), static_cast<int64_t>(y));
  });
}

}  // namespace

TEST(Roba, MatchesDistanceSearchOnAllPairs) {
  for (int w : {2, 3, 4, 5, 6, 8}) {
    const auto u = model(spec(w, 0));
    const auto s = model(spec(w, 1));
    const int64_t top = int64_t{1} << w, half = top / 2;
    for (int64_t a = 0; a < top; ++a)
      for (int64_t b = 0; b < top; ++b) {
        // Unwrapped: the result fits the 2w-bit word, so no wrapping may be needed.
        ASSERT_EQ(u(a, b), roba_reference(a, b)) << "w=" << w << " " << a << "x" << b;
        ASSERT_EQ(s(a - half, b - half), signed_reference(a - half, b - half, w))
            << "w=" << w << " " << a - half << "x" << b - half;
      }
  }
}

TEST(Roba, RoundingTiesAndCornerCases) {
  const auto u = model(spec(8, 0));
  const auto s = model(spec(8, 1));
  EXPECT_EQ(u(0, 0), 0);
  EXPECT_EQ(u(1, 1), 1);
  EXPECT_EQ(u(3, 3), 2 * 3 + 3 * 2 - 2 * 2);      // 3 rounds to 2: 8 (rounding to 4 gives 8 too)
  EXPECT_EQ(u(3, 5), 2 * 5 + 3 * 4 - 2 * 4);      // 14; with 3 -> 4 it would be 16
  EXPECT_EQ(u(6, 6), 8 * 6 + 6 * 8 - 8 * 8);      // tie 6 rounds up to 8: 32
  EXPECT_EQ(u(5, 5), 4 * 5 + 5 * 4 - 4 * 4);      // 24
  EXPECT_EQ(u(192, 192), 256 * 192 * 2 - 65536);  // tie rounds up to 2^8, which needs w+1 bits
  EXPECT_EQ(u(255, 255), 256 * 255 * 2 - 65536);  // 65024
  EXPECT_EQ(u(191, 191), 128 * 191 * 2 - 16384);  // just under the tie: down
  EXPECT_EQ(s(-1, -1), 1);
  EXPECT_EQ(s(-128, -128), 16384);
  EXPECT_EQ(s(-128, 127), -16256);  // 128 is a power of two: exact
  EXPECT_EQ(s(-3, 3), -8);
  EXPECT_EQ(s(-96, -96), 128 * 96 * 2 - 128 * 128);  // tie 96 = 3 * 2^5 rounds up to 128
}

TEST(Roba, ExactWhenEitherOperandIsAPowerOfTwo) {
  for (int s = 0; s <= 1; ++s) {
    const auto m = model(spec(8, s));
    const int64_t lo = s ? -128 : 0, hi = s ? 127 : 255;
    for (int p = 0; p < (s ? 8 : 8); ++p)
      for (int64_t x = lo; x <= hi; ++x)
        for (int64_t pw : {int64_t{1} << p, -(int64_t{1} << p)}) {
          if (pw < lo || pw > hi) continue;
          ASSERT_EQ(m(pw, x), pw * x) << "s=" << s << " " << pw << "x" << x;
          ASSERT_EQ(m(x, pw), pw * x) << "s=" << s << " " << x << "x" << pw;
        }
  }
}

// |A - Ar| <= A/3 for every A, so |e| = |(A-Ar)(B-Br)| <= A*B/9; reached at 3 x 3 and 6 x 6 ...
TEST(Roba, RelativeErrorAtMostOneNinth) {
  const auto u = model(spec(8, 0));
  int64_t reached = 0;
  for (int64_t a = 1; a < 256; ++a)
    for (int64_t b = 1; b < 256; ++b) {
      const int64_t e = std::abs(u(a, b) - a * b);
      ASSERT_LE(9 * e, a * b) << a << "x" << b;
      reached += 9 * e == a * b;
    }
  EXPECT_GT(reached, 0);
}

// Figures derived independently: a Python script that picks the nearest of 2^0 .. 2^(w+1) by
// distance (ties as in the paper) and evaluates A*B - (A-Ar)(B-Br), exhaustive at w = 8.
// errors = pairs with e != 0, sum_abs = sum |e|, worst = max |e|, sum_e = sum e.
TEST(Roba, PinnedErrorFiguresAtWidth8) {
  struct Pin {
    int s;
    int64_t errors, sum_abs, worst, sum_e;
  };
  for (const Pin& p : {Pin{0, 61009, 29822521, 4096, -15625}, Pin{1, 57600, 7452900, 1024, 0}}) {
    const auto m = model(spec(8, p.s));
    const auto t = gm::test::error_totals(m, 8, p.s);
    const int64_t errors = t.errors, sum_abs = t.sum_abs, worst = t.worst, sum_e = t.sum;
    EXPECT_EQ(errors, p.errors) << "s=" << p.s;
    EXPECT_EQ(sum_abs, p.sum_abs) << "s=" << p.s;
    EXPECT_EQ(worst, p.worst) << "s=" << p.s;
    EXPECT_EQ(sum_e, p.sum_e) << "s=" << p.s;
  }
}

TEST(Roba, ZeroOperandGivesZero) {
  for (int w : {2, 5, 8})
    for (int s = 0; s <= 1; ++s) {
      const auto m = model(spec(w, s));
      const int64_t lo = s ? -(int64_t{1} << (w - 1)) : 0, hi = s ? (int64_t{1} << (w - 1)) - 1 : (int64_t{1} << w) - 1;
      for (int64_t x = lo; x <= hi; ++x) {
        ASSERT_EQ(m(x, 0), 0) << spec(w, s) << " x=" << x;
        ASSERT_EQ(m(0, x), 0) << spec(w, s) << " x=" << x;
      }
    }
}

}  // namespace roba_test
