// The array's accumulator bank and output stage on the generator side (generator/array/array.hpp):
// the acc_depth and out_stage fields, their validation and one-line errors, the ports, manifest and
// header they add, and lint-clean generated tops in every new generate branch. The values they
// compute (sums, requantization) are checked by the array GEMM tests and tests/rtl/array_out_test.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <string>

#include "generator/array/array.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "tb/lint.hpp"
#include "tb/process.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

ArrayConfig cfg_of(int r, int c, int depth, bool out, int acc = 32, bool zero_gate = false) {
  return make_array_config(r, c, parse_spec("exact:s=1"), "", acc, zero_gate, depth, out);
}

TEST(ArrayConfig, AccDepthDefaultsToRowsPlusCols) {
  EXPECT_EQ(cfg_of(3, 5, 0, false).acc_depth, 8);
  EXPECT_EQ(cfg_of(1, 1, 0, false).acc_depth, 2);
  EXPECT_EQ(cfg_of(2, 2, 1, false).acc_depth, 1);
  EXPECT_EQ(cfg_of(2, 2, 4096, false).acc_depth, 4096);
  EXPECT_THROW(cfg_of(2, 2, 4097, false), UserError);
  EXPECT_THROW(cfg_of(2, 2, -1, false), UserError);
  // On a command line, 0 is an error and "not given" is the default.
  EXPECT_EQ(acc_depth_option(-1), 0);
  EXPECT_EQ(acc_depth_option(7), 7);
  EXPECT_THROW(acc_depth_option(0), UserError);
  EXPECT_THROW(acc_depth_option(4097), UserError);
}

TEST(ArrayConfig, RequantNeedsInt32Sums) {
  EXPECT_THROW(cfg_of(2, 2, 0, true, 16), UserError);
  EXPECT_THROW(cfg_of(2, 2, 0, true, 64), UserError);
  EXPECT_TRUE(cfg_of(2, 2, 0, true, 32).out_stage);
  EXPECT_NO_THROW(cfg_of(2, 2, 0, false, 16));
}

// Depth and output stage are part of the configuration: another array, another module name.
TEST(ArrayConfig, DepthAndOutStageNameTheModule) {
  const ArrayConfig a = cfg_of(2, 3, 0, false), b = cfg_of(2, 3, 4, false), c = cfg_of(2, 3, 0, true);
  EXPECT_NE(a.name(), b.name());
  EXPECT_NE(a.name(), c.name());
  EXPECT_EQ(a.name(), cfg_of(2, 3, 5, false).name());  // 5 = R + C, the default
}

// The latencies, counted by hand on the RTL (docs/array.md): an activation row reaches the
// de-skew's output R + C - 1 edges after the edge that accepts it; then the acc register (and the
// output stage's 4 registers: bias add, multiply, rounding add, shift and clamp) and the accepting
// edge. The output stage reads a parameter bank until the last row latches in its last register.
TEST(ArrayConfig, LatenciesOfTheAccAndOutStage) {
  const ArrayLatency plain = array_latency(cfg_of(2, 3, 0, false));
  EXPECT_EQ(plain.out_stage_depth, 1);
  EXPECT_EQ(plain.result_after_activation, 2 + 3 - 1 + 1 + 1);
  EXPECT_EQ(plain.param_refill_after_last_activation, 0);
  EXPECT_EQ(plain.bank_refill_after_last_activation, 3);
  const ArrayLatency out = array_latency(cfg_of(2, 3, 0, true));
  EXPECT_EQ(out.out_stage_depth, 5);
  EXPECT_EQ(out.result_after_activation, 2 + 3 - 1 + 5 + 1);
  EXPECT_EQ(out.param_refill_after_last_activation, 2 + 3 - 1 + 5);
}

// The p_* ports exist exactly with the output stage; the manifest and header say so.
TEST(ArrayConfig, PortsManifestAndHeader) {
  for (const bool out : {false, true}) {
    const ArrayConfig cfg = cfg_of(2, 3, 4, out);
    const ArrayRtl rtl = generate_array(cfg);
    const auto& m = rtl.manifest;
    EXPECT_EQ(m.at("acc_depth"), 4);
    EXPECT_EQ(m.at("out_stage"), out);
    EXPECT_EQ(m.at("latency").at("out_stage_depth"), out ? 5 : 1);
    EXPECT_EQ(m.at("latency").at("param_refill_after_last_activation"), out ? 9 : 0);
    std::map<std::string, int> width;
    for (const auto& p : m.at("ports")) width[p.at("name")] = p.at("width");
    for (const char* p : {"w_pad_i", "x_first_k_i", "x_last_k_i"}) EXPECT_EQ(width[p], 1) << p;
    EXPECT_EQ(width.count("p_data_i"), out ? 1u : 0u);
    if (out) {
      EXPECT_EQ(width["p_data_i"], 3 * 136);
    }
    EXPECT_EQ(width["y_data_o"], 3 * 32);
    const std::string& top = rtl.files.front().text;
    for (const auto& [name, w] : width)  // the port list declares each with the manifest's width
      EXPECT_TRUE(std::regex_search(
          top, std::regex("put\\s+wire\\s+" + (w == 1 ? std::string() : "\\[" + std::to_string(w - 1) + ":0\\]\\s+") +
                          name + "\\b")))
          << name;
    EXPECT_EQ(std::regex_search(top, std::regex(R"(input\s+wire\s+p_valid_i)")), out);
    EXPECT_EQ(top.find("gm_array_out #(") != std::string::npos, out);
    EXPECT_NE(top.find("--acc-depth 4"), std::string::npos);
    EXPECT_EQ(top.find("--requant") != std::string::npos, out);
    EXPECT_NE(top.find("param_refill_after_last_activation = " + std::to_string(out ? 9 : 0)), std::string::npos);
    EXPECT_EQ(top.find("\n//\n//\n"), std::string::npos) << "no double blank lines in the header";
  }
}

// Every generate branch of the new modules under the parameters the generator gives them: one
// accumulator (D = 1) and several, with and without the output stage, 1x1 and non-square, a
// 16-bit accumulator, zero-gated PEs.
TEST(ArrayRtl, AccAndOutStageLintClean) {
  if (!have_tool("verilator") || !have_tool("iverilog") || !have_tool("yosys")) GTEST_SKIP() << "lint tools missing";
  for (const auto& cfg : {cfg_of(1, 1, 1, true), cfg_of(2, 3, 1, false), cfg_of(3, 2, 5, true, 32, true),
                          cfg_of(1, 4, 7, false, 16)}) {
    const fs::path dir = gm::test::temp_dir("gm-array-acc-lint");
    const auto files = write_array(generate_array(cfg), dir);
    for (const auto& r : lint_files(files)) EXPECT_TRUE(r.clean) << cfg.canonical() << " " << r.tool << ":\n" << r.log;
    fs::remove_all(dir);
  }
}

TEST(ArrayCli, AccDepthAndRequantErrors) {
  const fs::path dir = gm::test::temp_dir("gm-array-acc-bad");
  const std::string out = (dir / "out").string();
  for (const std::string& c : {"gen-array --rows 2 --cols 2 --acc-depth 0 -o '" + out + "'",
                               "gen-array --rows 2 --cols 2 --acc-depth 4097 -o '" + out + "'",
                               "gen-array --rows 2 --cols 2 --requant --acc-width 16 -o '" + out + "'"}) {
    const auto r = test::run_cli(c);
    SCOPED_TRACE(c);
    test::expect_one_line_error(r, c.find("requant") != std::string::npos ? "--acc-width 32" : "--acc-depth");
    EXPECT_FALSE(fs::exists(out));
  }
  const auto ok = test::run_cli("gen-array --rows 2 --cols 3 --acc-depth 3 --requant -o '" + out + "'");
  ASSERT_EQ(ok.rc, 0) << ok.out;
  const auto manifest = nlohmann::json::parse(read_file(dir / "out" / "manifest.json"));
  EXPECT_EQ(manifest.at("acc_depth"), 3);
  EXPECT_EQ(manifest.at("out_stage"), true);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gm
