// RTL inference: the network's GEMMs on the Verilated array give the golden logits bit for bit, and
// the array's cycle count equals the cycle model's.
#include <gtest/gtest.h>

#include <filesystem>

#include "tb/dnn_on_rtl.hpp"
#include "models/dnn/idx.hpp"
#include <nlohmann/json.hpp>

#include "tests/support/cli_util.hpp"
#include "tests/support/tools.hpp"

namespace {


}  // namespace

TEST(DnnRtl, ArrayLogitsEqualGoldenForExactAndTwoApproximateMultipliers) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST not installed";
  for (const std::string mul : {"exact:s=1", "drum:k=4,s=1", "trunc:t=6,s=1"}) {
    gm::DnnRtlOptions opt;
    opt.rows = 4;
    opt.cols = 4;
    opt.mul = gm::parse_spec(mul);
    opt.images = 24;
    const auto r = gm::dnn_rtl(opt);
    EXPECT_EQ(r.images, 24u);
    EXPECT_EQ(r.mismatches, 0u) << mul;
    EXPECT_EQ(r.cycles, r.cycles_model) << mul;
    EXPECT_EQ(r.accuracy, r.golden_accuracy) << mul;
    EXPECT_EQ(r.macs, 24u * 787968u) << mul;  // the CNN's MACs per image
  }
}

TEST(DnnRtl, CliJsonKeysAndMlpOnA2x3Array) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST not installed";
  const auto r = gm::test::run_cli("dnn rtl --array 2x3 --mul 'mitchell:s=1' --model mlp --images 20 --json");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"spec", "array", "images", "accuracy", "mismatches", "cycles", "cycles_model"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["array"], "2x3");
  EXPECT_EQ(j["mismatches"], 0);
  EXPECT_EQ(j["cycles"], j["cycles_model"]);
}

TEST(DnnRtl, RejectsUnsignedMultiplier) {
  const auto r = gm::test::run_cli("dnn rtl --array 2x2 --mul 'exact:s=0' --images 20");
  gm::test::expect_one_line_error(r, "");
}
