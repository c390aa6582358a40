// The per-layer options from the command line: dnn eval --list-layers, --mul-layer / --mul-map,
// their one-line errors, --split, and dnn sensitivity (text, JSON, CSV) on a few hundred images.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "models/files.hpp"
#include "models/spec.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;
using gm::test::count_lines;
using gm::test::expect_one_line_error;
using gm::test::run_cli;

namespace {

std::string canon(const std::string& spec) { return gm::parse_spec(spec).canonical(); }

}  // namespace

TEST(DnnLayersCli, ListLayersNamesTheConvAndFcLayers) {
  auto r = run_cli("dnn eval --list-layers --json");
  ASSERT_EQ(r.rc, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["model"], "cnn");
  ASSERT_EQ(j["layers"].size(), 3u);
  const char* names[] = {"conv1", "conv2", "fc1"};
  const int64_t macs[] = {28 * 28 * 9 * 16, 12 * 12 * 144 * 32, 1152 * 10};  // docs/dnn.md's shapes
  double share = 0;
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(j["layers"][i]["name"], names[i]);
    EXPECT_EQ(j["layers"][i]["macs_per_image"], macs[i]);
    share += j["layers"][i]["mac_share"].get<double>();
  }
  EXPECT_EQ(j["layers"][1]["k"], 144);
  EXPECT_EQ(j["layers"][1]["n"], 32);
  EXPECT_NEAR(share, 1.0, 1e-9);
  r = run_cli("dnn eval --list-layers --model mlp");
  ASSERT_EQ(r.rc, 0) << r.err;
  for (const char* name : {"fc1 ", "fc2 ", "fc3 "}) EXPECT_NE(r.out.find(name), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("100352"), std::string::npos) << r.out;  // 784 x 128
  EXPECT_EQ(count_lines(r.out), 2 + 3);
  // --list-layers runs nothing, so it takes no multiplier.
  EXPECT_EQ(run_cli("dnn eval --list-layers --mul drum:k=4,s=1").rc, 2);
}

TEST(DnnLayersCli, BadLayerAssignmentsAreOneLineErrors) {
  // No data needed: every one is refused before the images are read.
  expect_one_line_error(run_cli("dnn eval --images 5 --mul-layer conv3=drum:k=4,s=1"), "conv1, conv2, fc1");
  expect_one_line_error(run_cli("dnn eval --images 5 --model mlp --mul-layer conv1=drum:k=4,s=1"), "fc1, fc2, fc3");
  expect_one_line_error(run_cli("dnn eval --images 5 --mul-layer conv1"), "LAYER=SPEC");
  expect_one_line_error(run_cli("dnn eval --images 5 --mul-layer conv1=drum:k=4"), "signed multiplier of 4 to 8 bits");
  expect_one_line_error(
      run_cli("dnn eval --images 5 --mul-layer conv1=drum:k=4,s=1 --mul-layer conv1=drum:k=5,s=1"), "twice");
  const fs::path dir = gm::test::temp_dir("gm-layers-cli");
  std::ofstream(dir / "bad.map") << "# per-layer\nconv1 drum:k=4,s=1 extra\n";
  expect_one_line_error(run_cli("dnn eval --images 5 --mul-map " + (dir / "bad.map").string()), "bad.map:2");
  expect_one_line_error(run_cli("dnn eval --images 5 --mul-map " + (dir / "none.map").string()), "none.map");
  expect_one_line_error(run_cli("dnn sensitivity --images 5 --mul drum:k=4"), "signed multiplier of 4 to 8 bits");
  EXPECT_EQ(run_cli("dnn eval --images 5 --split train").rc, 2);
  fs::remove_all(dir);
}

TEST(DnnLayersCli, MulLayerAddsOneRowNamedByItsCanonicalText) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  const fs::path dir = gm::test::temp_dir("gm-layers-cli-eval");
  std::ofstream(dir / "all-drum.map") << "default drum:k=4,s=1   # every layer\n";
  const std::string base = "dnn eval --images 200 --json --mul drum:k=4,s=1 ";
  auto r = run_cli(base + "--mul-layer conv2=drum:k=4,s=1 --mul-layer fc1=trunc:t=6,comp=1,s=1");
  ASSERT_EQ(r.rc, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 3u);
  const auto& row = j[2];
  EXPECT_EQ(row["spec"], "conv1=" + canon("exact:s=1") + ";conv2=" + canon("drum:k=4,s=1") + ";fc1=" +
                             canon("trunc:t=6,comp=1,s=1"));
  EXPECT_EQ(row["layers"]["conv2"], canon("drum:k=4,s=1"));
  EXPECT_EQ(row["layers"]["conv1"], canon("exact:s=1"));
  EXPECT_EQ(row["layers"].size(), 3u);
  EXPECT_EQ(row["split"], "test");
  EXPECT_FALSE(j[1].contains("layers"));
  // Every layer drum through a map file: the drum row's accuracy and agreement exactly.
  r = run_cli(base + "--mul-map " + (dir / "all-drum.map").string());
  ASSERT_EQ(r.rc, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[2]["accuracy"], j[1]["accuracy"]);
  EXPECT_EQ(j[2]["agreement_with_exact"], j[1]["agreement_with_exact"]);
  // The text table shows the row under its canonical name.
  r = run_cli("dnn eval --images 50 --model mlp --mul-layer fc2=drum:k=4,s=1 --split val");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("fc2=" + canon("drum:k=4,s=1")), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("50 val images"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

TEST(DnnLayersCli, SensitivityTableJsonAndCsv) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  const fs::path dir = gm::test::temp_dir("gm-layers-cli-sens");
  const fs::path csv = dir / "out" / "sens.csv";
  // The MLP: each of its layers multiplies many zeros (pixels, ReLU outputs), so a multiplier with
  // M(0,0) != 0 moves every layer's accuracy in 200 images (on the CNN, conv1 alone moves none).
  auto r = run_cli("dnn sensitivity --model mlp --images 200 --mul exact:s=1 'bam:h=1,v=0,s=1' --json -o " +
                   csv.string());
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["images"], 200);
  ASSERT_EQ(j["rows"].size(), 2u);
  const double exact = j["exact_accuracy"];
  for (const char* layer : {"fc1", "fc2", "fc3"}) {
    EXPECT_EQ(j["rows"][0]["only_layer"][layer].get<double>(), exact) << layer;
    EXPECT_NE(j["rows"][1]["only_layer"][layer].get<double>(), exact) << layer;  // M(0,0) != 0
  }
  EXPECT_EQ(j["rows"][0]["all_layers"].get<double>(), exact);
  const std::string text = gm::read_file(csv);
  EXPECT_EQ(count_lines(text), 1 + 2 * 4);  // header, then 3 layers + all per multiplier
  EXPECT_EQ(text.rfind("model,split,images,spec,layer,", 0), 0u);
  EXPECT_NE(text.find(",fc2,"), std::string::npos);
  r = run_cli("dnn sensitivity --images 200 --model mlp --mul drum:k=4,s=1");
  ASSERT_EQ(r.rc, 0) << r.err;
  for (const std::string& s : {std::string("fc1 ("), std::string("fc3 ("), std::string("all layers"),
                              std::string("int8-exact"), canon("drum:k=4,s=1")})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << " in " << r.out;
  fs::remove_all(dir);
}
