// Issue 11, the multiplier as one PE sees it: the simulated power split into the multiplier's own
// cells and the register wrapper's flip-flops (the two add up to the total, and the wrapper part is
// what OpenSTA reports per instance for the flip-flops), and an operand sequence played in its order
// (a weight held for 16 cycles reaches the netlist's b inputs as at most one change per 16 cycles,
// and costs less than the same pairs in random order).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "models/files.hpp"
#include "models/spec.hpp"
#include "synth/mult_synth.hpp"
#include "tb/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

using Sequence = std::vector<std::pair<int64_t, int64_t>>;

constexpr uint64_t kCycles = 3000;
constexpr int kHold = 16;

// A weight-stationary sequence: a new pseudo-random activation every cycle, a new weight every 16.
Sequence held_weight_sequence() {
  Sequence s;
  uint32_t x = 12345;
  auto next = [&] { return (x = x * 1103515245u + 12345u) >> 16 & 0xFF; };
  int64_t b = 0;
  for (uint64_t t = 0; t < kCycles; ++t) {
    if (t % kHold == 0) b = next();
    s.emplace_back(next(), b);
  }
  return s;
}

class MultPowerSplit : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!test::synth_tools_present()) return;
    // The inherited GREENMAC_CACHE (under ctest, the run's shared build/test-cache): ctest runs each
    // case in its own process, and a private cache made each of them repeat these two syntheses.
    scratch_ = new fs::path(test::temp_dir("gm-power-split"));
    const Spec spec = parse_spec("exact:arch=dadda");  // unsigned 8-bit
    auto seq = std::make_shared<Sequence>(held_weight_sequence());
    // The same pairs, each once, drawn at random: both operands change (nearly) every cycle.
    shuffled_ = new std::shared_ptr<Distribution>(std::make_shared<Distribution>());
    (*shuffled_)->origin = "the held-weight pairs, shuffled";
    int line = 0;
    for (const auto& [a, b] : *seq) (*shuffled_)->entries.push_back({a, b, 1.0 / kCycles, ++line});
    SynthOptions opt;
    opt.cycles = kCycles;
    results_ = new std::vector<SynthResult>(
        synth_designs({{spec, nullptr, "held weights", seq}, {spec, *shuffled_, "shuffled", nullptr}}, opt));
  }
  static void TearDownTestSuite() {
    if (scratch_) {
      std::error_code ec;
      fs::remove_all(*scratch_, ec);
    }
  }
  void SetUp() override {
    if (!test::synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library missing";
  }
  static inline fs::path* scratch_ = nullptr;
  static inline std::vector<SynthResult>* results_ = nullptr;
  static inline std::shared_ptr<Distribution>* shuffled_ = nullptr;
};

TEST_F(MultPowerSplit, MultiplierAndWrapperAddUpToTheTotal) {
  for (const SynthResult& r : *results_) {
    SCOPED_TRACE(r.activity);
    EXPECT_TRUE(r.netlist_matches_model);
    EXPECT_EQ(r.wrapper_flops, 4 * 8);  // a, b (8 each) and y (16): the wrapper's registers
    EXPECT_EQ(r.wrapper_flops, r.cells.at("DFFPOSX1"));
    EXPECT_GT(r.simulated_multiplier.total_mw, 0);
    EXPECT_GT(r.simulated_wrapper.total_mw, 0);
    // OpenSTA prints each figure with 9 significant digits: the parts add up to that precision.
    EXPECT_NEAR(r.simulated_multiplier.total_mw + r.simulated_wrapper.total_mw, r.simulated.total_mw,
                1e-6 * r.simulated.total_mw);
    EXPECT_NEAR(r.simulated_multiplier.internal_mw + r.simulated_wrapper.internal_mw, r.simulated.internal_mw,
                1e-6 * r.simulated.total_mw);
    EXPECT_NEAR(r.simulated_multiplier.switching_mw + r.simulated_wrapper.switching_mw, r.simulated.switching_mw,
                1e-6 * r.simulated.total_mw);
    EXPECT_NEAR(r.energy_multiplier_pj() + r.energy_wrapper_pj(), r.energy_pj(), 1e-6 * r.energy_pj());
    const auto j = synth_result_json(r);
    EXPECT_EQ(j.at("energy_multiplier_pj").get<double>(), r.energy_multiplier_pj());
    EXPECT_EQ(j.at("energy_wrapper_pj").get<double>(), r.energy_wrapper_pj());
  }
  EXPECT_EQ((*results_)[0].activity_order, "in order");
  EXPECT_EQ((*results_)[1].activity_order, "random");
}

// The wrapper's part, recomputed independently: OpenSTA's per-instance power of the flip-flop
// instances (report_power -instances) on the kept netlist and activity, summed here.
TEST_F(MultPowerSplit, WrapperIsTheFlipFlopsPerInstancePower) {
  const SynthResult& r = (*results_)[1];
  SynthOptions opt;
  opt.cycles = kCycles;
  opt.keep_dir = *scratch_ / "keep-shuffled";
  ASSERT_TRUE(synth_designs({{r.spec, *shuffled_, "shuffled", nullptr}}, opt)[0].cached);  // the suite's run, kept
  const fs::path d = opt.keep_dir / r.spec.name();
  ASSERT_TRUE(fs::exists(d / "net.v") && fs::exists(d / "activity.tcl"));
  const std::string tcl = "read_liberty " + std::string(kOsu018Lib) + "\nread_verilog " + (d / "net.v").string() +
                          "\nlink_design gm_reg_wrapper\ncreate_clock -name clk -period " + std::to_string(r.clock_ns) +
                          " [get_ports clk_i]\nsource " + (d / "activity.tcl").string() +
                          "\nset ff {}\nforeach c [get_cells *] { if {[string match DFF* [get_property $c ref_name]]} "
                          "{ lappend ff $c } }\nputs \"FLOPS [llength $ff]\"\nreport_power -instances $ff -digits 10\n";
  write_file_atomic(*scratch_ / "inst.tcl", tcl);
  const RunResult run = run_program({"sta", "-no_init", "-exit", (*scratch_ / "inst.tcl").string()});
  ASSERT_TRUE(run.ok()) << run.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.output, m, std::regex(R"(FLOPS (\d+))"))) << run.output;
  EXPECT_EQ(std::stoi(m[1]), 32);
  // Rows: internal switching leakage total instance.
  double sum_w = 0;
  int rows = 0;
  std::istringstream in(run.output);
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    double i, s, l, t;
    std::string name;
    if (ls >> i >> s >> l >> t >> name) {
      sum_w += t;
      ++rows;
    }
  }
  EXPECT_EQ(rows, 32);
  EXPECT_NEAR(sum_w * 1e3, r.simulated_wrapper.total_mw, 1e-5 * r.simulated_wrapper.total_mw);
}

TEST_F(MultPowerSplit, HeldWeightReachesTheNetlistAndCostsLess) {
  const SynthResult& held = (*results_)[0];
  const SynthResult& shuffled = (*results_)[1];
  // Same pairs, same design: only the order differs.
  EXPECT_EQ(held.area_um2, shuffled.area_um2);
  EXPECT_LT(held.simulated_multiplier.dynamic_mw(), 0.9 * shuffled.simulated_multiplier.dynamic_mw());
  EXPECT_LT(held.simulated_wrapper.dynamic_mw(), shuffled.simulated_wrapper.dynamic_mw());
}

// The b inputs' simulated activity (activity.tcl, transitions per cycle) under the held weights: each
// b bit changes at most once per 16 cycles; the a bits near 0.5.
TEST_F(MultPowerSplit, HeldWeightTogglesBAtMostOncePerTile) {
  SynthOptions opt;
  opt.cycles = kCycles;
  opt.keep_dir = *scratch_ / "keep-held";
  const Spec spec = parse_spec("exact:arch=dadda");
  const auto r = synth_designs({{spec, nullptr, "held weights", std::make_shared<Sequence>(held_weight_sequence())}}, opt);
  ASSERT_TRUE(r[0].cached);  // the same run as the suite's first design
  const std::string act = read_file(opt.keep_dir / spec.name() / "activity.tcl");
  const std::regex port(R"(get_ports \{([ab])_i\[(\d)\]\}\] ([0-9.eE+-]+))");
  int seen_a = 0, seen_b = 0;
  double sum_a = 0;
  for (auto it = std::sregex_iterator(act.begin(), act.end(), port); it != std::sregex_iterator(); ++it) {
    const double activity = std::stod((*it)[3]);
    if ((*it)[1] == "b") {
      ++seen_b;
      EXPECT_LE(activity, 1.0 / kHold + 1e-9) << "b_i[" << (*it)[2] << "]";
    } else {
      ++seen_a;
      sum_a += activity;
    }
  }
  EXPECT_EQ(seen_b, 8);
  EXPECT_EQ(seen_a, 8);
  EXPECT_GT(sum_a / 8, 0.4);
}

}  // namespace
}  // namespace gm
