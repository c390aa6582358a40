// The array's golden GEMM and its configuration (generator/array/array.hpp, models/golden_gemm.hpp)
// without a tool: the golden GEMM against integer arithmetic, K_max, --mul-map overrides and their
// refusals, and zero gating refused where a zero operand does not give a zero product.
#include <gtest/gtest.h>

#include <vector>

#include "generator/array/array.hpp"
#include "models/errors.hpp"
#include "models/golden_gemm.hpp"
#include "models/product_table.hpp"
#include "tb/array_runner.hpp"  // random_gemm
#include "tests/support/array_configs.hpp"

namespace gm {
namespace {

using test::config;
using test::mapped;

TEST(ArrayModel, GoldenExactIsIntegerMatmul) {
  const ArrayConfig cfg = config(3, 2, "exact:s=1");
  const GemmProblem p = random_gemm(cfg, 4, 7, 5, 9);
  std::vector<const ProductTable*> pe;
  for (const auto& s : cfg.pe) pe.push_back(&shared_product_table(s));
  const auto y = golden_gemm(pe, 3, 2, 32, p.x.data(), p.w.data(), 4, 7, 5);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 5; ++j) {
      int64_t s = 0;
      for (int q = 0; q < 7; ++q) s += int64_t{p.x[i * 7 + q]} * p.w[q * 5 + j];
      EXPECT_EQ(y[i * 5 + j], s);
    }
}

TEST(ArrayModel, KMax) {
  // exact s=1 at w=8: max |product| = 128 * 128 = 16384; (2^31 - 1) / 16384 = 131071.
  const ArrayConfig cfg = config(2, 2, "exact:s=1");
  EXPECT_EQ(array_max_abs_product(cfg), 16384);
  EXPECT_EQ(k_max(32, 16384), 131071);
  EXPECT_EQ(k_max(16, 16384), 1);
  // unsigned: 255 * 255 = 65025; (2^31 - 1) / 65025 = 33025.
  EXPECT_EQ(array_max_abs_product(config(1, 1, "exact:s=0")), 65025);
  EXPECT_EQ(k_max(32, 65025), 33025);
}

TEST(ArrayConfig, MulMapOverrides) {
  const ArrayConfig cfg = mapped(3, 3, "exact:s=1",
                                 "# comment\nrow 1 drum:k=4,s=1\ncol 2 trunc:t=6,s=1\npe 1 2 mitchell:s=1\n", false);
  EXPECT_EQ(cfg.at(0, 0).family, "exact");
  EXPECT_EQ(cfg.at(1, 0).family, "drum");
  EXPECT_EQ(cfg.at(0, 2).family, "trunc");
  EXPECT_EQ(cfg.at(1, 2).family, "mitchell");
  EXPECT_EQ(cfg.distinct_specs().size(), 4u);
  EXPECT_NE(cfg.name(), config(3, 3, "exact:s=1").name());
  EXPECT_THROW(mapped(2, 2, "exact:s=1", "row 2 exact:s=1\n", false), UserError);
  EXPECT_THROW(mapped(2, 2, "exact:s=1", "pe 0 exact:s=1\n", false), UserError);
  EXPECT_THROW(mapped(2, 2, "exact:s=1", "col 0 exact:w=6,s=1\n", false), UserError);  // mixed widths
  EXPECT_THROW(mapped(2, 2, "exact:s=1", "col 0 exact:s=0\n", false), UserError);      // mixed signedness
  EXPECT_THROW(parse_array_dims("8by8"), UserError);
  EXPECT_THROW(parse_array_dims("0x4"), UserError);
  EXPECT_EQ(parse_array_dims("16x2"), std::make_pair(16, 2));
}

TEST(ArrayConfig, ZeroGateRefusedWhenZeroProductIsNotZero) {
  // Find a registered design whose model gives a nonzero product with a zero operand, if any:
  // trunc with the constant compensation does (it adds the expected value of the cut cells).
  const Spec s = parse_spec("trunc:t=8,comp=1,s=1");
  const ModelFn f = s.def().make_model(s);
  bool nonzero = false;
  for (int x = -128; x < 128; ++x) nonzero |= f(x, 0) != 0 || f(0, x) != 0;
  if (nonzero)
    EXPECT_THROW(make_array_config(2, 2, s, "", 32, true), UserError);
  else
    EXPECT_NO_THROW(make_array_config(2, 2, s, "", 32, true));
}

}  // namespace
}  // namespace gm
