// Lower precision (models/dnn/operand_fit.hpp): the golden engine on narrow multipliers multiplies
// exactly what a * b gives on operands of that width and refuses wider ones; a model runs on
// narrow multipliers only where its file says the operands fit (weights, and the clamp of the layer
// before), and a model that fits gives the same logits on exact w-bit as on exact int8 multipliers.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <random>

#include "models/dnn/layer_gemm.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "models/dnn/operand_fit.hpp"
#include "models/errors.hpp"
#include "models/product_table.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

std::string error_message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

void expect_mentions(const std::string& msg, const std::vector<std::string>& fragments) {
  ASSERT_FALSE(msg.empty()) << "no error";
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  for (const auto& f : fragments) EXPECT_NE(msg.find(f), std::string::npos) << "wanted '" << f << "' in: " << msg;
}

dnn::Network shipped_mlp() {
  return dnn::load_network(fs::path(GM_SOURCE_DIR) / "models" / "dnn" / "weights" / "mlp.json");
}

// The shipped MLP with fc2 brought into 6 bits the crude way (its input clamped to 0..31, its
// weights divided by 4): a model whose file says fc2's operands fit 6 bits.
dnn::Network mlp_with_6_bit_fc2() {
  dnn::Network net = shipped_mlp();
  net.layers[0].out_max = 31;
  for (int8_t& w : net.layers[1].weights) w = static_cast<int8_t>(w / 4);
  return net;
}

std::vector<uint8_t> random_pixels(size_t n, uint32_t seed) {
  std::vector<uint8_t> px(n * 28 * 28);
  for (auto& p : px) p = static_cast<uint8_t>((seed = seed * 1103515245u + 12345u) >> 24);
  return px;
}

TEST(DnnOperandFit, NarrowTableGemmMultipliesLikeIntegersAndRefusesWiderOperands) {
  for (int w = 4; w <= 7; ++w) {
    const ProductTable table(parse_spec("exact:s=1,w=" + std::to_string(w)));
    dnn::TableGemm engine(table, 1);
    const int lo = -(1 << (w - 1)), hi = (1 << (w - 1)) - 1;
    std::mt19937 rng(w);
    std::uniform_int_distribution<int> d(lo, hi);
    const int64_t m = 5, k = 40, n = 3;
    std::vector<int8_t> x(m * k), wt(k * n);
    for (auto& v : x) v = static_cast<int8_t>(d(rng));
    for (auto& v : wt) v = static_cast<int8_t>(d(rng));
    x[0] = static_cast<int8_t>(lo), wt[0] = static_cast<int8_t>(lo);  // the corners
    x[1] = static_cast<int8_t>(hi), wt[n] = static_cast<int8_t>(hi);
    std::vector<int32_t> y(m * n);
    engine.gemm(x.data(), m, k, wt.data(), n, y.data());
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        int32_t want = 0;
        for (int64_t t = 0; t < k; ++t) want += int32_t{x[i * k + t]} * wt[t * n + j];
        EXPECT_EQ(y[i * n + j], want) << "w=" << w << " row " << i << " col " << j;
      }
    x[7] = static_cast<int8_t>(hi + 1);
    expect_mentions(error_message_of([&] { engine.gemm(x.data(), m, k, wt.data(), n, y.data()); }),
                    {std::to_string(w) + "-bit multiplier", "activation " + std::to_string(hi + 1)});
    x[7] = 0;
    wt[5] = static_cast<int8_t>(lo - 1);
    expect_mentions(error_message_of([&] { engine.gemm(x.data(), m, k, wt.data(), n, y.data()); }),
                    {"weight " + std::to_string(lo - 1)});
  }
}

TEST(DnnOperandFit, RangesComeFromTheModelFile) {
  const dnn::Network net = mlp_with_6_bit_fc2();
  EXPECT_EQ(dnn::input_range(net, 0).hi, 127) << "the pixels";
  EXPECT_EQ(dnn::input_range(net, 1).lo, 0);
  EXPECT_EQ(dnn::input_range(net, 1).hi, 31) << "fc1's clamp";
  EXPECT_EQ(dnn::input_range(net, 2).hi, shipped_mlp().layers[1].out_max);
  const auto w = dnn::weight_range(net.layers[1]);
  EXPECT_GE(w.lo, -31);
  EXPECT_LE(w.hi, 31);
  EXPECT_EQ(dnn::signed_range(6).lo, -32);
  EXPECT_EQ(dnn::signed_range(6).hi, 31);
}

TEST(DnnOperandFit, NarrowLayersAreRefusedByNameWhereTheModelIsWider) {
  const dnn::Network net = mlp_with_6_bit_fc2();
  const Spec w6 = parse_spec("exact:s=1,w=6"), w5 = parse_spec("exact:s=1,w=5");
  EXPECT_NO_THROW(dnn::check_operands_fit(net, 1, w6));
  expect_mentions(error_message_of([&] { dnn::check_operands_fit(net, 1, w5); }),
                  {"layer fc2", "input activations range 0..31", "-16..15", "greenmac train --finetune"});
  expect_mentions(error_message_of([&] { dnn::check_operands_fit(net, 0, w6); }), {"layer fc1", "first layer keeps 8 bits"});
  expect_mentions(error_message_of([&] { dnn::check_operands_fit(net, 2, w6); }), {"layer fc3", "input activations"});
  dnn::Network wide = net;
  wide.layers[1].weights[17] = 40;
  expect_mentions(error_message_of([&] { dnn::check_operands_fit(wide, 1, w6); }), {"layer fc2", "weights range", "40"});
  // A configuration is checked when it is resolved for the model, before anything runs.
  dnn::LayerMultipliers lm;
  dnn::add_mul_layer_option(lm, "fc2=exact:s=1,w=6");
  EXPECT_NO_THROW((void)lm.resolve(net));
  expect_mentions(error_message_of([&] { (void)lm.resolve(shipped_mlp()); }), {"layer fc2"});
  EXPECT_NO_THROW((void)lm.assignments(shipped_mlp())) << "the trainer reads the widths of a model that does not fit yet";
}

TEST(DnnOperandFit, AModelThatFitsGivesTheSameLogitsOnExactNarrowAndInt8Multipliers) {
  const dnn::Network net = mlp_with_6_bit_fc2();
  const auto px = random_pixels(40, 7);
  dnn::LayerGemm int8(net, dnn::LayerMultipliers());
  dnn::LayerMultipliers narrow;
  dnn::add_mul_layer_option(narrow, "fc2=exact:s=1,w=6");
  dnn::LayerGemm six(net, narrow);
  EXPECT_EQ(six.spec_of_layer(1).w, 6);
  const auto a = dnn::run_network(net, px.data(), 40, int8), b = dnn::run_network(net, px.data(), 40, six);
  EXPECT_EQ(a, b);
  // An approximate narrow multiplier changes them: the narrow table is really used.
  dnn::LayerMultipliers approx;
  dnn::add_mul_layer_option(approx, "fc2=trunc:t=4,s=1,w=6");
  dnn::LayerGemm cheap(net, approx);
  EXPECT_NE(dnn::run_network(net, px.data(), 40, cheap), a);
}

}  // namespace
}  // namespace gm
