// The array's stream protocol (tb/array_stream.hpp) through two of its adapters: the Verilator
// harness (GemmRunner) and the Icarus bench with its VPI module (run_gemm_icarus). Both must give the
// same Y and the same cycle count, at full rate and under random stalls, and Y must be the integer
// matrix product computed here. The Verilator harness simulates the accumulator bank and output
// stage in their simulation form (GM_SIM_BEHAVIORAL), Icarus in the structural form synthesis reads,
// so these tests also hold the two forms equal, cycle for cycle.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "models/golden_gemm.hpp"
#include "tb/array_runner.hpp"
#include "tb/process.hpp"
#include "tests/support/requant_ref.hpp"

namespace gm {
namespace {

bool simulators_present() {
  for (const char* tool : {"verilator", "iverilog", "vvp", "iverilog-vpi"})
    if (!have_tool(tool)) return false;
  return true;
}

// Exact multipliers: Y is X * W in plain integers (acc = 32 holds these sums).
std::vector<int64_t> matmul(const GemmProblem& p) {
  std::vector<int64_t> y(p.m * p.n, 0);
  for (int64_t i = 0; i < p.m; ++i)
    for (int64_t j = 0; j < p.n; ++j)
      for (int64_t q = 0; q < p.k; ++q) y[i * p.n + j] += int64_t{p.x[i * p.k + q]} * p.w[q * p.n + j];
  return y;
}

// One random GEMM (with stalls when stall_seed != 0) on the Verilator harness and on Icarus.
struct BothSimulators {
  GemmProblem p;
  GemmResult verilator, icarus;
  std::string what;  // names the case in failure messages
};
BothSimulators run_both(const ArrayConfig& cfg, const GemmRunner& verilator, int64_t m, int64_t k, int64_t n,
                        uint64_t seed, uint64_t stall_seed) {
  BothSimulators r;
  r.p = random_gemm(cfg, m, k, n, seed);
  r.p.stall_seed = stall_seed;
  r.what = std::to_string(m) + "x" + std::to_string(k) + "x" + std::to_string(n) + " stall " + std::to_string(stall_seed);
  r.verilator = verilator.run(r.p);
  r.icarus = run_gemm_icarus(cfg, MulModel::kLut, r.p);
  return r;
}

TEST(ArrayGemmIcarus, SameResultsAndCyclesAsVerilator) {
  if (!simulators_present()) GTEST_SKIP() << "needs verilator and iverilog (with vvp, iverilog-vpi)";
  const ArrayConfig cfg = make_array_config(2, 3, parse_spec("exact:s=1"), "", 32, false);
  const GemmRunner verilator(cfg, MulModel::kLut);
  const int64_t shapes[][3] = {{1, 1, 1}, {4, 5, 7}, {7, 2, 3}};
  uint64_t seed = 40;
  bool stalled_longer = false;
  for (const auto& s : shapes)
    for (const uint64_t stall : {0u, 3u}) {
      const BothSimulators r = run_both(cfg, verilator, s[0], s[1], s[2], seed++, stall);
      const GemmProblem& p = r.p;
      const GemmResult &v = r.verilator, &ic = r.icarus;
      const std::string& what = r.what;
      EXPECT_EQ(ic.y, matmul(p)) << what;
      EXPECT_EQ(ic.y, v.y) << what;
      EXPECT_EQ(ic.cycles, v.cycles) << what;
      if (stall == 0) EXPECT_EQ(ic.cycles, gemm_cycles(cfg, p.m, p.k, p.n)) << what;
      else stalled_longer |= ic.cycles > gemm_cycles(cfg, p.m, p.k, p.n);
    }
  EXPECT_TRUE(stalled_longer) << "no stall seed left a gap: the stalls were not exercised";
}

// The output stage with its param stream, D = 2 (M > D: several chunks), random stalls on all four
// streams: Icarus gives Verilator's outputs and cycles, and those are the requantized products.
TEST(ArrayGemmIcarus, OutputStageSameAsVerilator) {
  if (!simulators_present()) GTEST_SKIP() << "needs verilator and iverilog (with vvp, iverilog-vpi)";
  const ArrayConfig cfg = make_array_config(2, 3, parse_spec("exact:s=1"), "", 32, false, 2, true);
  const GemmRunner verilator(cfg, MulModel::kLut);
  uint64_t seed = 70;
  for (const auto& s : {std::array<int64_t, 3>{1, 1, 1}, {5, 7, 4}})
    for (const uint64_t stall : {0u, 5u}) {
      const BothSimulators r = run_both(cfg, verilator, s[0], s[1], s[2], seed++, stall);
      const GemmProblem& p = r.p;
      const GemmResult &v = r.verilator, &ic = r.icarus;
      const std::string& what = r.what;
      const std::vector<int64_t> sums = matmul(p);
      for (size_t i = 0; i < sums.size(); ++i)
        EXPECT_EQ(ic.y[i], test::requant_ref(sums[i], p.params[i % p.n])) << what << " output " << i;
      EXPECT_EQ(ic.y, v.y) << what;
      EXPECT_EQ(ic.cycles, v.cycles) << what;
      if (stall == 0) {
        EXPECT_EQ(ic.cycles, gemm_cycles(cfg, p.m, p.k, p.n)) << what;
      }
    }
}

// Gate-level multipliers with 5-bit fields (buses whose fields straddle 32-bit words), a 20-bit
// accumulator, and an approximate multiplier with a constant correction (M(0, 0) may be nonzero;
// the padding rows add nothing in hardware): still the Verilator harness's numbers.
TEST(ArrayGemmIcarus, GateLevelApproximateAgreesWithVerilator) {
  if (!simulators_present()) GTEST_SKIP() << "needs verilator and iverilog (with vvp, iverilog-vpi)";
  const ArrayConfig cfg = make_array_config(3, 2, parse_spec("trunc:w=5,t=3,comp=1,s=1"), "", 20, false);
  const GemmRunner verilator(cfg, MulModel::kGate);
  const GemmProblem p = random_gemm(cfg, 6, 7, 5, 9);
  const GemmResult v = verilator.run(p);
  const GemmResult ic = run_gemm_icarus(cfg, MulModel::kGate, p);
  EXPECT_EQ(ic.y, verilator.golden(p));
  EXPECT_EQ(ic.y, v.y);
  EXPECT_EQ(ic.cycles, v.cycles);
}

// A profile-guided harness (instrumented build, training run, build with the profile): the same
// requantized products and cycles as the definition; and a training run that fails is a failed
// build, which proves the training really runs.
TEST(ArrayHarnessProfileGuided, SameResultsAndCyclesAndTheTrainingRuns) {
  if (!have_tool("verilator")) GTEST_SKIP() << "needs verilator";
  const ArrayConfig cfg = make_array_config(2, 3, parse_spec("exact:s=1"), "", 32, false, 4, true);
  const GemmRunner runner(cfg, MulModel::kLut, {}, HarnessTuning::kProfileGuided);
  ASSERT_TRUE(runner.profile_guided());
  for (const uint64_t stall : {0u, 7u}) {
    GemmProblem p = random_gemm(cfg, 9, 5, 4, 300 + stall);
    p.stall_seed = stall;
    const GemmResult r = runner.run(p);
    const std::vector<int64_t> sums = matmul(p);
    for (size_t i = 0; i < sums.size(); ++i)
      EXPECT_EQ(r.y[i], test::requant_ref(sums[i], p.params[i % p.n])) << "stall " << stall << " output " << i;
    if (stall == 0) {
      EXPECT_EQ(r.cycles, gemm_cycles(cfg, p.m, p.k, p.n));
    }
  }

  const ArrayConfig small = make_array_config(1, 1, parse_spec("exact:w=4,s=1"), "", 16, false);  // a quick build
  HarnessBuild broken = array_harness_build(small, MulModel::kLut, generate_array(small, MulModel::kLut).files,
                                            HarnessTuning::kProfileGuided);
  broken.training->args = {"no-such-job.bin", "out.bin"};
  try {
    broken.build(broken.key());
    FAIL() << "a failing training run built a harness";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("training run"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gm
