// characterize: metrics and synthesis joined, ratios against the baselines, report files and plots.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.hpp"
#include "models/files.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;
using gm::test::run_cli;

TEST(Characterize, JoinsMetricsAndSynthesisWithRatiosAndPlots) {
  const fs::path dir = gm::test::temp_dir("gm-test-char");
  gm::write_file_atomic(dir / "ext.v",
                        "module tiny (input [3:0] A, input [3:0] B, output [7:0] O);\n"
                        "  assign O = {A[3:1] * B[3:1], 2'b00};\nendmodule\n");
  const std::string ext = "ext:path=" + (dir / "ext.v").string() + ",top=tiny,a=A,b=B,y=O,w=4";
  const auto r = run_cli("characterize 'trunc:w=4,t=3' 'drum:w=4,k=2' '" + ext + "' -o " + (dir / "rep").string());
  ASSERT_EQ(r.rc, 0) << r.out;
  for (const char* f : {"report.md", "report.json", "results.csv", "power_mred.png", "power_mred.svg", "area_mred.png",
                        "area_mred.svg", "energy_nmed.png", "energy_nmed.svg"})
    EXPECT_GT(fs::file_size(dir / "rep" / f), 100u) << f;
  const auto j = nlohmann::json::parse(gm::read_file(dir / "rep" / "report.json"));
  ASSERT_EQ(j["designs"].size(), 5u);  // three asked, exact and yosys added
  std::map<std::string, nlohmann::json> by;
  for (const auto& d : j["designs"]) by[d["name"]] = d;
  ASSERT_TRUE(by.count("gm_exact_u4_dadda") && by.count("gm_yosys_u4"));
  EXPECT_TRUE(by["gm_exact_u4_dadda"]["reference"].get<bool>());
  EXPECT_FALSE(by["gm_trunc_u4_t3_comp0"]["reference"].get<bool>());
  const double exact_area = by["gm_exact_u4_dadda"]["synth"]["area_um2"];
  const double yosys_power = by["gm_yosys_u4"]["synth"]["power_mw"];
  for (auto& [name, d] : by) {
    EXPECT_GT(d["synth"]["area_um2"].get<double>(), 0) << name;
    EXPECT_GT(d["synth"]["delay_ns"].get<double>(), 0) << name;
    EXPECT_GT(d["synth"]["power_mw"].get<double>(), 0) << name;
    EXPECT_NEAR(d["vs_exact"]["area"].get<double>(), d["synth"]["area_um2"].get<double>() / exact_area, 1e-9) << name;
    EXPECT_NEAR(d["vs_yosys"]["power"].get<double>(), d["synth"]["power_mw"].get<double>() / yosys_power, 1e-9) << name;
  }
  // Truncating the low columns is cheaper than the exact design and has a non-zero error.
  EXPECT_LT(by["gm_trunc_u4_t3_comp0"]["vs_exact"]["area"].get<double>(), 1.0);
  EXPECT_GT(by["gm_trunc_u4_t3_comp0"]["metrics"]["mred"].get<double>(), 0.0);
  // The external design: its error comes from its simulated truth table (it drops a0 and b0).
  const auto ext_entry = std::find_if(by.begin(), by.end(), [](const auto& kv) { return kv.first.rfind("gm_ext_u4_tiny_h", 0) == 0; });
  ASSERT_NE(ext_entry, by.end());
  EXPECT_GT(ext_entry->second["metrics"]["er"].get<double>(), 0.5);
  // A design with zero error and the least power among the exact ones is on the power/MRED front.
  const bool exact_cheaper = by["gm_exact_u4_dadda"]["synth"]["power_mw"] <= by["gm_yosys_u4"]["synth"]["power_mw"];
  EXPECT_EQ(by[exact_cheaper ? "gm_exact_u4_dadda" : "gm_yosys_u4"]["pareto"]["power_mred"].get<bool>(), true);
  EXPECT_EQ(by[exact_cheaper ? "gm_yosys_u4" : "gm_exact_u4_dadda"]["pareto"]["power_mred"].get<bool>(),
            by["gm_exact_u4_dadda"]["synth"]["power_mw"] == by["gm_yosys_u4"]["synth"]["power_mw"]);
  const std::string md = gm::read_file(dir / "rep" / "report.md");
  EXPECT_NE(md.find("so glitches are counted: glitch share"), std::string::npos);  // timed activity by default
  EXPECT_NE(md.find("![power vs MRED](power_mred.png)"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Characterize, BadInputWritesNoReport) {
  const fs::path dir = gm::test::temp_dir("gm-test-char-bad");
  gm::write_file_atomic(dir / "bad.dist", "1 2 x\n");
  auto r = run_cli("characterize 'trunc:w=4,t=3' --dist " + (dir / "bad.dist").string() + " -o " + (dir / "rep").string());
  gm::test::expect_one_line_error(r, "bad.dist");
  r = run_cli("characterize 'trunc:w=4,t=3' --lib /nonexistent.lib -o " + (dir / "rep").string());
  gm::test::expect_one_line_error(r, "/nonexistent.lib");
  r = run_cli("characterize 'trunc:w=4,t=3' --dnn-stream ws -o " + (dir / "rep").string());
  gm::test::expect_one_line_error(r, "--dnn-stream needs --dnn");
  r = run_cli("characterize 'trunc:t=3,s=1' --dnn --dnn-stream shuffled -o " + (dir / "rep").string());
  gm::test::expect_one_line_error(r, "--dnn-stream");
  EXPECT_FALSE(fs::exists(dir / "rep" / "report.md"));
  fs::remove_all(dir);
}

TEST(Characterize, DnnAddsAccuracyWeightedMetricsAndTheRtlSample) {
  if (!gm::test::fashion_mnist_present())
    GTEST_SKIP() << "Fashion-MNIST not installed";
  const fs::path dir = gm::test::temp_dir("gm-test-char-dnn");
  const auto r = run_cli("characterize 'trunc:t=6,s=1' 'drum:k=6,s=1' --dnn --images 300 --rtl-images 20 --array 2x2 --sim-images 0 --array-energy 2x2 -o " +
                         dir.string());
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(gm::read_file(dir / "report.json"));
  std::map<std::string, nlohmann::json> by;
  for (const auto& d : j["designs"]) by[d["name"]] = d;
  ASSERT_EQ(by.size(), 4u);
  for (auto& [name, d] : by) {
    ASSERT_TRUE(d["dnn"].is_object()) << name;
    EXPECT_FALSE(d.contains("energy_nj")) << name;  // --sim-images 0: --array without whole inferences
    EXPECT_GT(d["dnn"]["accuracy"].get<double>(), 0.5) << name;
    EXPECT_GT(d["dnn"]["energy_per_inference_nj"].get<double>(), 0) << name;
    EXPECT_TRUE(d["metrics"]["weighted"].get<bool>()) << name;
    EXPECT_EQ(d["dnn"]["array_energy"]["array"], "2x2") << name;
    EXPECT_GT(d["dnn"]["array_energy"]["energy_per_mac_pj"].get<double>(), 0) << name;
    EXPECT_NEAR(d["dnn"]["array_energy"]["energy_per_inference_nj"].get<double>(),
                d["dnn"]["array_energy"]["energy_per_mac_pj"].get<double>() * 787968 / 1000, 1e-6) << name;
    // The power came from the weight-stationary stream of one PE of the 2x2 array, played in order,
    // and the energy per inference counts the multiplier's own cells only (issue 11).
    EXPECT_EQ(d["dnn"]["stream"], "weight-stationary") << name;
    EXPECT_EQ(d["synth"]["activity_order"], "in order") << name;
    EXPECT_NE(d["synth"]["activity"].get<std::string>().find("PE (0,0) of a 2x2 array"), std::string::npos) << name;
    const double mul = d["synth"]["energy_multiplier_pj"], wrap = d["synth"]["energy_wrapper_pj"];
    EXPECT_NEAR(mul + wrap, d["synth"]["energy_pj"].get<double>(), 1e-6 * (mul + wrap)) << name;
    EXPECT_NEAR(d["dnn"]["energy_per_inference_nj"].get<double>(), mul * 787968 / 1000, 1e-9 * mul * 787968) << name;
    EXPECT_NEAR(d["dnn"]["wrapper_energy_per_inference_nj"].get<double>(), wrap * 787968 / 1000, 1e-9 * wrap * 787968)
        << name;
  }
  // The asked variants ran on the array, bit-exact and on the cycle model; baselines did not.
  for (const char* name : {"gm_trunc_s8_t6_comp0", "gm_drum_s8_k6"}) {
    EXPECT_EQ(by[name]["dnn"]["rtl"]["images"], 20) << name;
    EXPECT_EQ(by[name]["dnn"]["rtl"]["mismatches"], 0) << name;
    EXPECT_EQ(by[name]["dnn"]["rtl"]["cycles"], by[name]["dnn"]["rtl"]["cycles_model"]) << name;
  }
  EXPECT_TRUE(by["gm_exact_s8_dadda"]["dnn"]["rtl"].is_null());
  // Truncating six columns costs accuracy on this network; the exact design keeps it.
  EXPECT_LT(by["gm_trunc_s8_t6_comp0"]["dnn"]["accuracy"].get<double>(), by["gm_exact_s8_dadda"]["dnn"]["accuracy"].get<double>());
  EXPECT_GT(fs::file_size(dir / "accuracy_energy.png"), 100u);
  EXPECT_NE(gm::read_file(dir / "report.md").find("## DNN: accuracy against energy"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Characterize, DnnRefusesUnsignedDesigns) {
  const auto r = run_cli("characterize 'trunc:t=6' --dnn --images 10 -o /tmp/gm-char-unsigned-refused");
  gm::test::expect_one_line_error(r, "");
}

// characterize --dnn --dnn-stream random synthesizes every design under its own network's operand stream (held in memory)
// as one batch: -j 2 gives the rows of -j 1, each run computing everything afresh in its own cache.
// The stream file written beside the report is the same activity: `synth --activity FILE` finds the
// entry characterize made and reports the same figures.
TEST(Characterize, DnnBatchWithTwoJobsGivesTheRowsOfOneJob) {
  if (!fs::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz") && !getenv("GREENMAC_FASHION_MNIST"))
    GTEST_SKIP() << "Fashion-MNIST not installed";
  const fs::path dir = gm::test::temp_dir("gm-test-char-jobs");
  std::map<int, nlohmann::json> designs;  // jobs -> report.json designs
  for (const int jobs : {1, 2}) {
    const std::string tag = "j" + std::to_string(jobs);
    const auto r = run_cli("characterize 'trunc:t=6,s=1' 'drum:k=6,s=1' --dnn --dnn-stream random --images 60 -j " +
                               std::to_string(jobs) +
                               " -o " + (dir / tag).string(),
                           "GREENMAC_CACHE=" + (dir / ("cache-" + tag)).string());
    ASSERT_EQ(r.rc, 0) << r.out << r.err;
    designs[jobs] = nlohmann::json::parse(gm::read_file(dir / tag / "report.json"))["designs"];
  }
  ASSERT_EQ(designs[1].size(), 4u);
  ASSERT_EQ(designs[2].size(), designs[1].size());
  for (size_t i = 0; i < designs[1].size(); ++i) {
    nlohmann::json one = designs[1][i], two = designs[2][i];
    const std::string name = one["name"];
    EXPECT_FALSE(one["synth"]["cached"].get<bool>()) << name;
    EXPECT_FALSE(two["synth"]["cached"].get<bool>()) << name;
    EXPECT_EQ(one["dnn"]["stream"], "random pairs") << name;
    EXPECT_EQ(one["synth"]["activity_order"], "random") << name;
    // The activity names the stream file under each run's own -o directory.
    EXPECT_EQ(one["synth"]["activity"], (dir / "j1" / "traces" / (name + "_cnn.stream")).string());
    EXPECT_EQ(two["synth"]["activity"], (dir / "j2" / "traces" / (name + "_cnn.stream")).string());
    one["synth"].erase("activity");
    two["synth"].erase("activity");
    EXPECT_EQ(one, two) << name;
    EXPECT_GT(one["synth"]["power_mw"].get<double>(), 0) << name;
  }
  const nlohmann::json& row = designs[2][1];
  const std::string stream = (dir / "j2" / "traces" / (row["name"].get<std::string>() + "_cnn.stream")).string();
  const auto s = run_cli("synth '" + row["spec"].get<std::string>() + "' --activity " + stream + " --json",
                         "GREENMAC_CACHE=" + (dir / "cache-j2").string());
  ASSERT_EQ(s.rc, 0) << s.out << s.err;
  const auto from_file = nlohmann::json::parse(s.out).at(0);
  EXPECT_TRUE(from_file["cached"].get<bool>());
  for (const char* k : {"area_um2", "delay_ns", "power_mw", "power_vectorless_mw", "energy_pj", "mean_activity"})
    EXPECT_EQ(from_file[k], row["synth"][k]) << k;
  fs::remove_all(dir);
}
