// perf: the partial-product perforation model against the error formula e = -a * (perforated part
// of b), pinned error figures derived by hand, and the properties of perforation.
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
namespace perf_test {

namespace {

std::string spec_text(int w, bool s, int j, int m) {
  return gm::test::spec("perf", {{"w", w}, {"s", s}, {"j", j}, {"m", m}});
}

// The part of b the perforated rows would have contributed: sum of b_k times the weight of bit k
// (2^k, and -2^(w-1) for the sign bit of a signed operand), k = j .. j+m-1.
int64_t perforated_part(int64_t b, int w, bool s, int j, int m) {
  const uint64_t bb = gm::operand_bits(b, w);
  int64_t part = 0;
  for (int k = j; k < j + m; ++k) {
    const int64_t weight = (s && k == w - 1) ? -(int64_t{1} << k) : (int64_t{1} << k);
    if ((bb >> k) & 1) part += weight;
  }
  return part;
}

int64_t reference(int64_t a, int64_t b, int w, bool s, int j, int m) {
  return gm::wrap(a * b - a * perforated_part(b, w, s, j, m), 2 * w, s);
}


}  // namespace

TEST(Perf, MatchesErrorFormulaOnAllPairs) {
  for (int w : {2, 3, 4, 8})
    for (bool s : {false, true})
      for (int j = 0; j < w; ++j)
        for (int m = 1; j + m <= w; ++m) {
          if (w == 8 && m > 3 && j + m != w) continue;  // keep the w = 8 sweep short
          const auto model = gm::test::model(spec_text(w, s, j, m));
          for (int64_t a = gm::operand_min(w, s); a <= gm::operand_max(w, s); ++a)
            for (int64_t b = gm::operand_min(w, s); b <= gm::operand_max(w, s); ++b)
              ASSERT_EQ(model(a, b), reference(a, b, w, s, j, m))
                  << spec_text(w, s, j, m) << " a=" << a << " b=" << b;
        }
}

TEST(Perf, ExactWhenThePerforatedBitsOfBAreZero) {
  for (bool s : {false, true})
    for (const auto& [j, m] : {std::pair{0, 2}, {0, 3}, {2, 3}, {7, 1}, {0, 8}}) {
      const auto model = gm::test::model(spec_text(8, s, j, m));
      const uint64_t rows = ((uint64_t{1} << m) - 1) << j;
      for (int64_t a = gm::operand_min(8, s); a <= gm::operand_max(8, s); ++a)
        for (int64_t b = gm::operand_min(8, s); b <= gm::operand_max(8, s); ++b)
          if ((gm::operand_bits(b, 8) & rows) == 0) {
            ASSERT_EQ(model(a, b), a * b) << spec_text(8, s, j, m);
          }
    }
}

// Derived by hand: e = -a * p with p the perforated part of b, and a, p independent over all
// pairs. Unsigned E[a] = 255/2 and E[p] = (2^m - 1) 2^j / 2: j = 0, m = 2: -127.5 * 1.5 = -191.25;
// m = 3: -127.5 * 3.5 = -446.25. Signed E[a] = -1/2 (range -128..127): +0.75 and +1.75.
// Largest |e| = max|a| * max p: 255 * 3 = 765, 255 * 7 = 1785; signed 128 * 3 = 384, 128 * 7 = 896.
// Perforating the sign row alone (j = 7, m = 1, signed): p = -128 b_7, E[p] = -64, bias
// -(-1/2)(-64) = -32, largest |e| = 128 * 128 = 16384.
TEST(Perf, PinnedErrorsAtWidth8) {
  struct Case {
    bool s;
    int j, m;
    double mean;
    int64_t max_abs;
  };
  const Case cases[] = {{false, 0, 2, -191.25, 765}, {false, 0, 3, -446.25, 1785}, {true, 0, 2, 0.75, 384},
                        {true, 0, 3, 1.75, 896},      {true, 7, 1, -32, 16384}};
  for (const auto& c : cases) {
    const auto e = gm::test::error_totals(gm::test::model(spec_text(8, c.s, c.j, c.m)), 8, c.s);
    EXPECT_DOUBLE_EQ(e.mean(), c.mean) << spec_text(8, c.s, c.j, c.m);
    EXPECT_EQ(e.worst, c.max_abs) << spec_text(8, c.s, c.j, c.m);
  }
}

TEST(Perf, CornerCases) {
  const auto u = gm::test::model(spec_text(8, false, 0, 2));
  const auto s = gm::test::model(spec_text(8, true, 0, 2));
  EXPECT_EQ(u(255, 255), 255 * 252);
  EXPECT_EQ(u(1, 3), 0);
  EXPECT_EQ(u(3, 1), 3 * 0);
  EXPECT_EQ(u(1, 4), 4);
  EXPECT_EQ(s(-128, -128), 16384);  // bits 0, 1 of -128 are zero
  EXPECT_EQ(s(-1, -1), 4);          // b' = 1111_1100 = -4
  EXPECT_EQ(s(127, -1), -508);
  const auto sign_row = gm::test::model(spec_text(8, true, 7, 1));
  EXPECT_EQ(sign_row(-1, -1), -127);     // b' = 0111_1111
  EXPECT_EQ(sign_row(-128, -128), 0);    // b' = 0
  EXPECT_EQ(sign_row(-128, -1), -16256); // -128 * 127
  const auto all_rows = gm::test::model(spec_text(8, true, 0, 8));
  for (int64_t x = -128; x <= 127; ++x) {
    EXPECT_EQ(all_rows(x, x), 0);
    EXPECT_EQ(s(x, 0), 0);
    EXPECT_EQ(s(0, x), 0);
    EXPECT_EQ(u(x + 128, 0), 0);
    EXPECT_EQ(u(0, x + 128), 0);
  }
}

// More perforated rows, or the same number of rows further up, never lower the mean absolute error.
TEST(Perf, ErrorGrowsWithRowsAndPosition) {
  for (bool s : {false, true}) {
    for (int j : {0, 3}) {
      double previous = -1;
      for (int m = 1; j + m <= 8; ++m) {
        const double med = gm::test::error_totals(gm::test::model(spec_text(8, s, j, m)), 8, s).mean_abs();
        EXPECT_GT(med, previous) << "s=" << s << " j=" << j << " m=" << m;
        previous = med;
      }
    }
    for (int m : {1, 2}) {
      double previous = -1;
      for (int j = 0; j + m <= 8; ++j) {
        const double med = gm::test::error_totals(gm::test::model(spec_text(8, s, j, m)), 8, s).mean_abs();
        EXPECT_GT(med, previous) << "s=" << s << " j=" << j << " m=" << m;
        previous = med;
      }
    }
  }
}

TEST(Perf, RowsMustExist) {
  EXPECT_NO_THROW(gm::parse_spec("perf:w=8,j=6,m=2"));
  try {
    gm::parse_spec("perf:w=8,j=7,m=2");
    ADD_FAILURE() << "j + m > w accepted";
  } catch (const gm::SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("j + m <= w"), std::string::npos) << e.what();
  }
  EXPECT_THROW(gm::parse_spec("perf:w=4,j=0,m=5"), gm::SpecError);
  EXPECT_THROW(gm::parse_spec("perf:w=4,j=4,m=1"), gm::SpecError);
}

}  // namespace perf_test
