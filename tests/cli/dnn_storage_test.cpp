// `greenmac dnn storage`: JSON counts derived by hand, the estimate label, one-line errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"

namespace gm {
namespace {

bool have_data() { return std::filesystem::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"); }

// CNN conv1 on 4x4 (D = 8): M = 784, K = 9, N = 16 -> KT = 3, NT = 4, MC = 98. Per image: weight
// reads 98 * 9 * 16 = 14112, activation reads 4 * 784 * 9 = 28224, accumulator reads/writes
// 784 * 16 * 2 = 25088, outputs 12544; over 2 images twice that.
TEST(DnnStorageCli, JsonCountsOfTheFirstConv) {
  if (!have_data()) GTEST_SKIP() << "no Fashion-MNIST";
  const auto r = test::run_cli("dnn storage --array 4x4 --images 2 --json");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("energy_kind"), "table estimate");
  EXPECT_EQ(j.at("acc_depth"), 8);
  ASSERT_EQ(j.at("layers").size(), 3u);
  const auto& l = j.at("layers")[0];
  EXPECT_EQ(l.at("macs").get<double>(), 784.0 * 9 * 16);
  const auto& acc = l.at("accesses_total");
  EXPECT_EQ(acc.at("weight_reads"), 2 * 14112);
  EXPECT_EQ(acc.at("activation_reads"), 2 * 28224);
  EXPECT_EQ(acc.at("accumulator_reads"), 2 * 25088);
  EXPECT_EQ(acc.at("accumulator_writes"), 2 * 25088);
  EXPECT_EQ(acc.at("output_writes"), 2 * 12544);
  // Per-image energy of conv1's weights, default table (2.5 pJ/bit): (14112 reads + 144 writes) x 8 bits.
  EXPECT_DOUBLE_EQ(l.at("storage_int8_estimate").at("weight_pj").get<double>(), (14112 + 144) * 8 * 2.5);
  EXPECT_DOUBLE_EQ(l.at("storage_fp32_estimate").at("weight_pj").get<double>(), (14112 + 144) * 32 * 2.5);
}

TEST(DnnStorageCli, TextSaysEstimate) {
  if (!have_data()) GTEST_SKIP() << "no Fashion-MNIST";
  const auto r = test::run_cli("dnn storage --array 8x8 --model mlp --images 1");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("TABLE ESTIMATES"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fp32 / int8"), std::string::npos) << r.out;
}

TEST(DnnStorageCli, BadTableIsOneLineError) {
  const auto dir = test::temp_dir("dnn_storage");
  const auto file = dir / "bad.json";
  std::ofstream(file) << R"({"buffers": {}})";
  test::expect_one_line_error(test::run_cli("dnn storage --images 1 --mem-energy " + file.string()),
                              "buffers.weight");
  test::expect_one_line_error(test::run_cli("dnn storage --images 1 --mem-energy " + (dir / "none.json").string()),
                              "does not exist");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gm
