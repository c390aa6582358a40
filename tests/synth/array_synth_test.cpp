// Whole-array synthesis (synth/array_synth.hpp): Yosys + the cycle-by-cycle gate simulation of a
// GEMM + OpenSTA on 2x2 arrays, and the CLI's handling of bad --array input (the sequential gate
// simulator on a hand-made netlist is in seq_gate_sim_test.cpp). Each flow run takes a few seconds.
// The runs go to the inherited GREENMAC_CACHE (under ctest, the run's shared build/test-cache):
// ctest runs each case in its own process, so with a private cache every case repeated the
// syntheses its neighbours had made.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "tests/support/temp_dir.hpp"
#include "synth/array_synth.hpp"
#include "tb/array_runner.hpp"
#include "models/files.hpp"
#include "synth/gate_sim.hpp"
#include "synth/liberty.hpp"
#include "tests/support/cli_util.hpp"
#include "tb/process.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

using gm::test::synth_tools_present;

class ArraySynth : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new fs::path(gm::test::temp_dir((fs::temp_directory_path() / "gm-array-synth").string()));
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*scratch_, ec);
    delete scratch_;
  }
  void SetUp() override {
    if (!synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library is missing";
  }
  // One flow run per configuration and GEMM, shared by the tests.
  static const ArraySynthResult& run(const std::string& mul, bool zero_operands = false, uint64_t stall_seed = 0,
                                     bool requant = false) {
    static std::map<std::string, ArraySynthResult> results;
    const std::string key = mul + (zero_operands ? "/zero" : "") + "/stall" + std::to_string(stall_seed) +
                            (requant ? "/requant" : "");
    auto it = results.find(key);
    if (it == results.end()) {
      const ArrayConfig cfg = make_array_config(2, 2, parse_spec(mul), "", 32, false, 0, requant);
      GemmProblem g = default_array_gemm(cfg, 1);
      if (zero_operands) std::fill(g.x.begin(), g.x.end(), 0), std::fill(g.w.begin(), g.w.end(), 0);
      g.stall_seed = stall_seed;
      ArraySynthOptions opt;
      opt.keep_dir = *scratch_ / "keep";  // DIR/<array name>/net.v and the other files
      it = results.emplace(key, synth_array(cfg, g, opt)).first;
    }
    return it->second;
  }
  static fs::path* scratch_;
};
fs::path* ArraySynth::scratch_ = nullptr;

TEST_F(ArraySynth, TwoByTwoHasPositiveFiguresAndReproducesTheGemm) {
  const auto& r = run("exact:w=8,s=1");
  EXPECT_GT(r.area_um2, 0);
  EXPECT_GT(r.delay_ns, 0);
  EXPECT_GT(r.simulated.total_mw, 0);
  EXPECT_GT(r.vectorless.total_mw, 0);
  EXPECT_GT(r.simulated.dynamic_mw(), 0);
  // Each of the 4 PEs has at least its two 8-bit weight banks and its 32-bit partial sum in flops.
  EXPECT_GT(r.cells.at("DFFPOSX1"), 4 * (2 * 8 + 32));
  // The mapped netlist's Y equals the golden GEMM and the cycle count equals the cycle model:
  // 32x4x4 on 2x2 with D = R + C = 4 is 2 column slices x 8 chunks of 4 rows x 2 K slices, every
  // chunk >= R + C - 1 rows, so the loads hide: cycles = R + KT*NT*M + (R + C + 1) = 2 + 128 + 5
  // (a result leaves R + C + 1 edges after its activation: the de-skew, then the acc register).
  EXPECT_TRUE(r.netlist_matches_model);
  EXPECT_EQ(r.cycles, 135u);
  EXPECT_GT(r.mean_activity, 0);
  EXPECT_LT(r.mean_activity, 1);
  EXPECT_NEAR(r.energy_per_mac_pj(), r.simulated.total_mw * 10.0 * 135 / 512, 1e-9);
}

TEST_F(ArraySynth, TruncatedMultipliersGiveASmallerArray) {
  const auto& exact = run("exact:w=8,s=1");
  const auto& trunc = run("trunc:t=8,s=1");
  EXPECT_TRUE(trunc.netlist_matches_model);
  EXPECT_LT(trunc.area_um2, exact.area_um2);
  EXPECT_LT(trunc.simulated.total_mw, exact.simulated.total_mw);
}

TEST_F(ArraySynth, ZeroOperandsDissipateLessThanRandomOnes) {
  const auto& random = run("exact:w=8,s=1");
  const auto& zero = run("exact:w=8,s=1", true);
  EXPECT_TRUE(zero.netlist_matches_model);
  EXPECT_EQ(zero.cycles, random.cycles);  // the same streams, only the data differ
  EXPECT_LT(zero.simulated.dynamic_mw(), 0.8 * random.simulated.dynamic_mw());
  EXPECT_LT(zero.mean_activity, random.mean_activity);
  // Vectorless power ignores the operands.
  EXPECT_NEAR(zero.vectorless.total_mw, random.vectorless.total_mw, 1e-9);
}

// The gate-level simulation runs the same stream protocol as Verilator (tb/array_stream.hpp), so a
// stall seed gaps its streams too: the same Y, more cycles than the full-rate 134.
TEST_F(ArraySynth, StalledStreamsGiveTheSameGemmInMoreCycles) {
  const auto& stalled = run("exact:w=8,s=1", false, 5);
  EXPECT_TRUE(stalled.netlist_matches_model);
  const ArrayConfig cfg = make_array_config(2, 2, parse_spec("exact:w=8,s=1"), "", 32, false);
  EXPECT_GT(stalled.cycles, gemm_cycles(cfg, 32, 4, 4));  // the full-rate count of the default GEMM
}

// The output stage in gates: the netlist's GEMM (params streamed, outputs requantized) equals the
// golden GEMM followed by the output stage, in the model's cycles, and the stage costs area.
TEST_F(ArraySynth, OutputStageReproducesTheRequantizedGemm) {
  const auto& plain = run("exact:w=8,s=1");
  const auto& out = run("exact:w=8,s=1", false, 0, true);
  EXPECT_TRUE(out.netlist_matches_model);
  const ArrayConfig cfg = make_array_config(2, 2, parse_spec("exact:w=8,s=1"), "", 32, false, 0, true);
  EXPECT_EQ(out.cycles, gemm_cycles(cfg, 32, 4, 4));
  EXPECT_GT(out.area_um2, plain.area_um2);
  // The stage's column lane is one module, mapped once and instantiated per column (map_array.ys).
  const std::string net = read_file(*scratch_ / "keep" / out.name / "net.v");
  int lanes = 0;
  for (size_t p = net.find("u_lane "); p != std::string::npos; p = net.find("u_lane ", p + 1)) ++lanes;
  EXPECT_EQ(lanes, 2);
  EXPECT_NE(net.find("\nmodule gm_array_out_lane("), std::string::npos);
}

// The flow is hierarchical (synth/scripts/map_array.ys): the PE and each distinct multiplier are
// mapped once and instantiated at every position that uses them, OpenSTA reads that hierarchy, and
// the gate simulation a flattened copy. A flow that flattened before mapping would write net.v with
// the top module alone.
TEST_F(ArraySynth, EachDistinctMultiplierIsOneModuleInstantiatedPerPe) {
  const fs::path dir = *scratch_ / "hier";
  fs::create_directories(dir);
  write_file_atomic(dir / "map.txt", "all exact:w=8,s=1\nrow 1 trunc:t=8,s=1\n");
  const ArrayConfig cfg = make_array_config(2, 2, parse_spec("exact:w=8,s=1"), (dir / "map.txt").string(), 32, false);
  ArraySynthOptions opt;
  opt.keep_dir = dir / "out";
  const ArraySynthResult r = synth_array(cfg, default_array_gemm(cfg, 1), opt);
  EXPECT_TRUE(r.netlist_matches_model);  // the flattened copy reproduces the golden GEMM
  const std::string net = read_file(opt.keep_dir / r.name / "net.v");
  auto count = [&](const std::string& what) {
    int n = 0;
    for (size_t p = net.find(what); p != std::string::npos; p = net.find(what, p + 1)) ++n;
    return n;
  };
  const std::string exact = parse_spec("exact:w=8,s=1").name(), trunc = parse_spec("trunc:t=8,s=1").name();
  ASSERT_NE(exact, trunc);
  EXPECT_EQ(count("\nmodule "), 4);  // the top, the PE and the two multipliers, nothing else
  EXPECT_EQ(count("gm_array_pe "), 1 + 4);  // its module line and the 4 PEs
  EXPECT_EQ(count("\nmodule " + r.name + "("), 1);
  EXPECT_EQ(count("\nmodule " + exact + "("), 1);
  EXPECT_EQ(count("\nmodule " + trunc + "("), 1);
  EXPECT_EQ(count("\n  " + exact + " "), 2);  // row 0's two PEs
  EXPECT_EQ(count("\n  " + trunc + " "), 2);  // row 1's two PEs
  // The simulated activity reaches OpenSTA's hierarchical pins (instance/cell/pin), all of them found.
  const std::string activity = read_file(opt.keep_dir / r.name / "activity.tcl");
  EXPECT_NE(activity.find("u_mul/_"), std::string::npos);
  EXPECT_NE(activity.find("u_pe/_"), std::string::npos);
  EXPECT_EQ(activity.find("u_mul._"), std::string::npos);
  EXPECT_EQ(activity.find("u_pe._"), std::string::npos);
  const std::string sta = read_file(opt.keep_dir / r.name / "sta.log");
  EXPECT_EQ(sta.find("not found"), std::string::npos);
  EXPECT_EQ(sta.find("Warning"), std::string::npos);
}

TEST_F(ArraySynth, SecondRunComesFromTheCache) {
  const ArrayConfig cfg = make_array_config(2, 2, parse_spec("exact:w=8,s=1"), "", 32, false);
  const auto& first = run("exact:w=8,s=1");
  const auto again = synth_array(cfg, default_array_gemm(cfg, 1), ArraySynthOptions{});
  EXPECT_TRUE(again.cached);
  EXPECT_EQ(again.area_um2, first.area_um2);
  EXPECT_EQ(again.simulated.total_mw, first.simulated.total_mw);
}

TEST_F(ArraySynth, OperandsOutsideTheRangeAreRejected) {
  const ArrayConfig cfg = make_array_config(2, 2, parse_spec("exact:w=8,s=1"), "", 32, false);
  GemmProblem g = default_array_gemm(cfg, 1);
  g.x[3] = 200;  // signed 8-bit: -128..127
  EXPECT_THROW(synth_array(cfg, g, ArraySynthOptions{}), UserError);
}

// Bad input: exit 2, one line, before any work.
TEST(ArraySynthCli, RejectsBadArrayArguments) {
  for (const std::string args :
       {"synth exact --array 2x2 --mul exact:w=8,s=1", "synth --array 2by2 --mul exact:w=8,s=1",
        "synth --array 0x3 --mul exact:w=8,s=1", "synth --array 2x2", "synth --mul exact:w=8,s=1 exact",
        "synth --array 2x2 --mul exact:w=8,s=1 --gemm 4x4", "characterize exact --mul exact:w=8,s=1",
        "synth exact --requant", "synth exact --acc-depth 4", "synth --array 2x2 --mul exact:w=8,s=1 --acc-depth 0",
        "synth --array 2x2 --mul exact:w=8,s=1 --requant --acc-width 16"}) {
    const auto r = test::run_cli(args);
    SCOPED_TRACE(args);
    test::expect_one_line_error(r, "");
  }
}

}  // namespace
}  // namespace gm
