// etm: the model against a bit-by-bit scan written from the paper's description, pinned error
// figures, corner cases and properties.
#include <gtest/gtest.h>

#include <cstdlib>

#include "models/spec.hpp"
#include "tests/support/family.hpp"

// The helpers of the families' tests share names (spec, reference...): a namespace per file keeps
// them apart when several of these files share a unity group (GM_UNITY).
namespace etm_test {

namespace {

using gm::test::model;

// Reference: scan the low bit pairs from the top; from the first pair with a 1, the product bit
// i + l and every bit below it are set. Exact low product when both high parts are zero.
int64_t etm_reference(uint64_t a, uint64_t b, int l) {
  const uint64_t ah = a >> l, bh = b >> l, al = a % (uint64_t{1} << l), bl = b % (uint64_t{1} << l);
  if (ah == 0 && bh == 0) return static_cast<int64_t>(al * bl);
  uint64_t low = 0;
  bool seen = false;
  for (int i = l - 1; i >= 0; --i) {
    seen = seen || ((al >> i) & 1) || ((bl >> i) & 1);
    if (seen) low |= uint64_t{1} << (i + l);
  }
  if (seen) low |= (uint64_t{1} << l) - 1;
  return static_cast<int64_t>(((ah * bh) << (2 * l)) | low);
}

int64_t etm_signed_reference(int64_t a, int64_t b, int w, int l) {
  return gm::test::sign_magnitude_reference(a, b, w, [l](uint64_t x, uint64_t y) { return etm_reference(x, y, l); });
}

std::string spec(int w, int s, int l) {
  return gm::test::spec("etm", {{"w", w}, {"s", s}, {"l", l}});
}

}  // namespace

TEST(Etm, MatchesBitScanOnAllPairsEverySplit) {
  for (int w : {2, 3, 5, 8})
    for (int l = 1; l < w; ++l) {
      const auto u = model(spec(w, 0, l));
      const auto s = model(spec(w, 1, l));
      const int64_t top = int64_t{1} << w, half = top / 2;
      for (int64_t a = 0; a < top; ++a)
        for (int64_t b = 0; b < top; ++b) {
          ASSERT_EQ(u(a, b), etm_reference(a, b, l)) << "w=" << w << " l=" << l << " " << a << "x" << b;
          ASSERT_EQ(s(a - half, b - half), etm_signed_reference(a - half, b - half, w, l))
              << "w=" << w << " l=" << l << " " << a - half << "x" << b - half;
        }
    }
}

TEST(Etm, ExactWhenBothHighPartsAreZero) {
  for (int l = 1; l < 8; ++l) {
    const auto u = model(spec(8, 0, l));
    for (int64_t a = 0; a < (1 << l); ++a)
      for (int64_t b = 0; b < (1 << l); ++b) ASSERT_EQ(u(a, b), a * b) << "l=" << l;
  }
}

TEST(Etm, CornerCases) {
  const auto u = model(spec(8, 0, 4));
  const auto s = model(spec(8, 1, 4));
  EXPECT_EQ(u(0, 0), 0);
  EXPECT_EQ(u(15, 15), 225);  // both high parts zero: exact
  // 255 x 255: 15 * 15 << 8 plus eight ones: 57600 + 255.
  EXPECT_EQ(u(255, 255), 57855);
  // 0 x 17: b's high part is 1, so the approximate path runs; the scan finds bit 0: ones at 4..0.
  EXPECT_EQ(u(0, 17), 31);
  EXPECT_EQ(u(16, 16), 256);  // 1 * 1 << 8, no low bits
  EXPECT_EQ(s(-1, -1), 1);
  EXPECT_EQ(s(-128, -128), 16384);  // 8 * 8 << 8, low parts zero
  EXPECT_EQ(s(-128, 127), -(8 * 7 * 256 + 255));
  EXPECT_EQ(s(0, -17), -31);
}

// Figures derived independently (a Python script of the paper's description, exhaustive at w = 8).
TEST(Etm, PinnedErrorFiguresAtWidth8) {
  struct Pin {
    int s, l;
    int64_t errors, sum_abs, worst;
  };
  for (const Pin& p : {Pin{0, 4, 65021, 107733117, 7170}, Pin{0, 3, 64443, 54226905, 3458},
                       Pin{1, 4, 64312, 45820920, 3330}, Pin{1, 3, 64264, 25131528, 1666}}) {
    const auto m = model(spec(8, p.s, p.l));
    const int64_t lo = p.s ? -128 : 0, hi = p.s ? 127 : 255;
    int64_t errors = 0, sum_abs = 0, worst = 0;
    for (int64_t a = lo; a <= hi; ++a)
      for (int64_t b = lo; b <= hi; ++b) {
        const int64_t e = m(a, b) - a * b;
        errors += e != 0;
        sum_abs += std::abs(e);
        worst = std::max(worst, std::abs(e));
      }
    EXPECT_EQ(errors, p.errors) << "s=" << p.s << " l=" << p.l;
    EXPECT_EQ(sum_abs, p.sum_abs) << "s=" << p.s << " l=" << p.l;
    EXPECT_EQ(worst, p.worst) << "s=" << p.s << " l=" << p.l;
  }
}

TEST(Etm, MeanErrorGrowsWithTheSplitPoint) {
  int64_t previous = 0;
  for (int l = 1; l < 8; ++l) {
    const auto m = model(spec(8, 0, l));
    int64_t sum_abs = 0;
    for (int64_t a = 0; a < 256; ++a)
      for (int64_t b = 0; b < 256; ++b) sum_abs += std::abs(m(a, b) - a * b);
    EXPECT_GT(sum_abs, previous) << "l=" << l;
    previous = sum_abs;
  }
}

TEST(Etm, ZeroOperandCanGiveANonZeroProduct) {
  // Not zero_ok: a zero operand with a non-zero high part in the other takes the approximate path.
  const auto u = model(spec(8, 0, 4));
  int nonzero = 0;
  for (int64_t b = 0; b < 256; ++b) nonzero += u(0, b) != 0;
  EXPECT_EQ(nonzero, 15 * 15);  // b >> 4 in 1..15 and b & 15 in 1..15
}

}  // namespace etm_test
