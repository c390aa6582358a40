// The Liberty reader (synth/liberty.hpp): expression syntax, the OSU018 library's cells, and malformed
// files. No tool runs (the synthesis flow's tests are in mult_synth_test.cpp).
#include <gtest/gtest.h>

#include <filesystem>

#include "models/errors.hpp"
#include "models/files.hpp"
#include "synth/liberty.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

// Truth table of a function over A=1010, B=1100, C=11110000 (bit k = value for input pattern k).
uint64_t table3(const LibExpr& e) {
  std::vector<uint64_t> in;
  for (const auto& v : e.vars()) in.push_back(v == "A" ? 0xAA : v == "B" ? 0xCC : v == "C" ? 0xF0 : 0);
  return e.eval(in.data()) & 0xFF;
}

TEST(SynthLiberty, ExpressionSyntax) {
  // Majority and parity written out per input pattern, independently of the parser.
  uint64_t maj = 0, par = 0, aoi = 0;
  for (int k = 0; k < 8; ++k) {
    const int a = k & 1, b = (k >> 1) & 1, c = (k >> 2) & 1;
    maj |= uint64_t((a + b + c) >= 2) << k;
    par |= uint64_t(a ^ b ^ c) << k;
    aoi |= uint64_t(!((a && b) || c)) << k;
  }
  EXPECT_EQ(table3(LibExpr::parse("(((A B)+(B C))+(C A))")), maj);
  EXPECT_EQ(table3(LibExpr::parse("A*B | B&C + C A")), maj);
  EXPECT_EQ(table3(LibExpr::parse("((A^B)^C)")), par);
  EXPECT_EQ(table3(LibExpr::parse("(!((A B)+C))")), aoi);
  EXPECT_EQ(table3(LibExpr::parse("((A B)+C)'")), aoi);
  EXPECT_EQ(table3(LibExpr::parse("!A !B + A B")), 0x99u & 0xFF);  // xnor(A,B), C free
  EXPECT_THROW(LibExpr::parse("(A B"), std::runtime_error);
  EXPECT_THROW(LibExpr::parse("A + "), std::runtime_error);
}

TEST(SynthLiberty, ReadsOsu018) {
  if (!fs::exists(kOsu018Lib)) GTEST_SKIP() << "qflow-tech-osu018 not installed";
  const Liberty lib = read_liberty(kOsu018Lib);
  ASSERT_NE(lib.cell("NAND2X1"), nullptr);
  EXPECT_EQ(lib.cell("NAND2X1")->area, 24);
  const LibCell* fa = lib.cell("FAX1");
  ASSERT_NE(fa, nullptr);
  EXPECT_EQ(fa->area, 120);
  EXPECT_EQ(fa->pin("A")->direction, "input");
  const LibPin* yc = fa->pin("YC");
  ASSERT_NE(yc, nullptr);
  EXPECT_EQ(table3(yc->expr), 0xE8u);  // majority of A, B, C
  const LibCell* ff = lib.cell("DFFPOSX1");
  ASSERT_NE(ff, nullptr);
  EXPECT_TRUE(ff->has_ff);
  EXPECT_EQ(ff->pin("Q")->function, ff->ff.iq);
  EXPECT_TRUE(lib.cell("LATCH")->has_latch);
  EXPECT_GE(lib.cells.size(), 30u);
}

TEST(SynthLiberty, MalformedIsAUserError) {
  EXPECT_THROW(parse_liberty("library(x) { cell(A) { area : 1; ", "x.lib"), UserError);
  EXPECT_THROW(parse_liberty("not a library", "x.lib"), UserError);
  EXPECT_THROW(parse_liberty("library(x) { cell(A) { pin(Y) { direction : output; function : \"(A\"; } } }", "x.lib"),
               UserError);
}

}  // namespace
}  // namespace gm
