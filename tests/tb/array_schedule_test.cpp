// The array's new schedule on the Verilated array (issue 10): M chunks of at most D rows, K sums in
// the accumulators, results only from last_k tiles, hardware K padding, and the output stage with
// its param stream. Every Y is compared with a reference independent of the code under test (tests/support/array_reference.hpp: each product through the
// PE's ModelFn, summed in 64 bits and cut to the accumulator width, then the output stage written
// out in 128-bit arithmetic: tests/support/requant_ref.hpp), and every full-rate cycle count with
// the cycle model (models/golden_gemm.hpp gemm_cycles on the manifest's latencies), exactly.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/arith.hpp"
#include "models/golden_gemm.hpp"
#include "tb/array_runner.hpp"
#include "tb/process.hpp"
#include "tests/support/array_reference.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/requant_ref.hpp"

namespace gm {
namespace {

struct Case {
  int rows, cols, depth;  // depth -1: the default R + C
  bool out_stage;
  std::string mul;
  std::vector<std::array<int64_t, 3>> shapes;  // m, k, n
};

// 1x1 .. 16x16; M = 1, ragged M, K and N, M > D (several chunks, a ragged last one), D = 1, K >> R,
// with and without the output stage; each GEMM also once under random stalls.
TEST(ArraySchedule, ResultsAndCyclesEqualTheModelsOnVerilator) {
  if (!have_tool("verilator")) GTEST_SKIP() << "needs verilator";
  const std::vector<Case> cases = {
      {1, 1, 1, true, "exact:s=1", {{1, 1, 1}, {3, 1, 1}, {2, 5, 3}, {1, 4, 2}}},
      {1, 1, 2, false, "drum:k=4,s=1", {{1, 1, 1}, {5, 3, 2}, {4, 2, 1}}},
      {2, 3, 2, false, "exact:s=1", {{1, 1, 1}, {5, 7, 4}, {3, 13, 8}, {7, 2, 3}}},
      {2, 3, -1, true, "trunc:t=6,s=1", {{1, 1, 1}, {1, 5, 7}, {12, 5, 2}, {11, 9, 4}, {6, 40, 3}}},
      {3, 2, 4, true, "mitchell:s=1", {{9, 7, 5}, {4, 3, 2}, {13, 1, 3}}},
      {8, 8, -1, true, "drum:k=4,s=1", {{70, 45, 19}, {1, 8, 8}, {16, 300, 9}}},
      {16, 16, -1, false, "exact:s=1", {{33, 40, 35}, {1, 17, 16}}},
  };
  uint64_t seed = 100;
  int closed_forms = 0;
  for (const Case& c : cases) {
    const ArrayConfig cfg =
        make_array_config(c.rows, c.cols, parse_spec(c.mul), "", 32, false, c.depth < 0 ? 0 : c.depth, c.out_stage);
    ASSERT_EQ(cfg.acc_depth, c.depth < 0 ? c.rows + c.cols : c.depth);
    const GemmRunner runner(cfg);
    std::vector<GemmProblem> ps;
    for (const auto& s : c.shapes) ps.push_back(random_gemm(cfg, s[0], s[1], s[2], seed++));
    for (size_t i = 0, n = ps.size(); i < n; ++i) {
      ps.push_back(ps[i]);
      ps.back().stall_seed = seed++;
    }
    const auto res = runner.run(ps);
    for (size_t i = 0; i < ps.size(); ++i) {
      const GemmProblem& p = ps[i];
      const std::string what = std::to_string(c.rows) + "x" + std::to_string(c.cols) + " D=" +
                               std::to_string(cfg.acc_depth) + (c.out_stage ? " requant " : " ") + c.mul + " gemm " +
                               std::to_string(p.m) + "x" + std::to_string(p.k) + "x" + std::to_string(p.n) +
                               (p.stall_seed ? " stalled" : "");
      const auto ref = test::array_reference(cfg, p);
      EXPECT_EQ(res[i].y, ref) << what;
      EXPECT_EQ(runner.golden(p), ref) << what << ": the library's golden";
      const uint64_t model = gemm_cycles(cfg, p.m, p.k, p.n);
      if (p.stall_seed) {
        EXPECT_GE(res[i].cycles, model) << what;
        continue;
      }
      EXPECT_EQ(res[i].cycles, model) << what;
      if (const uint64_t closed = gemm_cycles_closed_form(array_timing(cfg), p.m, p.k, p.n)) {
        EXPECT_EQ(res[i].cycles, closed) << what << ": closed form";
        ++closed_forms;
      }
    }
  }
  EXPECT_GE(closed_forms, 3) << "the closed form was hardly exercised";
}

// Random output-stage params (gemm --requant) spread the outputs: most are strictly inside the
// clamps, some clamp, for both the hidden-layer and the score-layer columns.
TEST(ArraySchedule, RandomParamsSpreadTheOutputs) {
  const ArrayConfig cfg = make_array_config(4, 4, parse_spec("exact:s=1"), "", 32, false, 0, true);
  const GemmProblem p = random_gemm(cfg, 200, 64, 8, 5);
  ASSERT_EQ(p.params.size(), 8u);
  const auto y = test::array_reference(cfg, p);
  for (int64_t j = 0; j < p.n; ++j) {
    const OutParams& q = p.params[j];
    EXPECT_GE(q.m0, 1 << 30);
    EXPECT_TRUE(j % 2 == 0 ? q.out_min == 0 && q.out_max == 127 : q.out_min == -32768 && q.out_max == 32767);
    int inside = 0;
    std::set<int64_t> values;
    for (int64_t i = 0; i < p.m; ++i) {
      const int64_t v = y[i * p.n + j];
      inside += v > q.out_min && v < q.out_max;
      values.insert(v);
    }
    EXPECT_GT(inside, p.m / 4) << "column " << j << " shift " << q.shift;
    EXPECT_GT(values.size(), 20u) << "column " << j;
  }
}

// A wrong PE in the out-stage array still shows up in the requantized outputs.
TEST(ArraySchedule, MutantPeIsCaughtThroughTheOutputStage) {
  if (!have_tool("verilator")) GTEST_SKIP() << "needs verilator";
  ArrayConfig cfg = make_array_config(2, 2, parse_spec("exact:s=1"), "", 32, false, 0, true);
  cfg.mutant_row = 0;
  cfg.mutant_col = 1;
  GemmProblem p = random_gemm(cfg, 6, 4, 3, 8);
  for (auto& q : p.params) q = {0, 1 << 30, 30, -32768, 32767};  // v = s exactly: an off-by-one survives
  const GemmRunner runner(cfg);
  const auto r = runner.run(p);
  const auto ref = test::array_reference(cfg, p);
  int64_t bad = 0;
  for (size_t i = 0; i < ref.size(); ++i) bad += r.y[i] != ref[i];
  EXPECT_GT(bad, 0);
}

// `gemm --acc-depth D --requant`: the JSON says D, the out stage and its params; the outputs and
// cycles pass their checks. Bad values are one-line errors with exit status 2.
TEST(ArraySchedule, GemmCliRequantAndAccDepth) {
  if (!have_tool("verilator")) GTEST_SKIP() << "needs verilator";
  const auto r = test::run_cli("gemm --array 2x3 --mul exact:s=1 --acc-depth 2 --requant --m 5 --k 7 --n 4 --seed 3 --json");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["acc_depth"], 2);
  EXPECT_EQ(j["requant"], true);
  EXPECT_EQ(j["mismatches"], 0);
  EXPECT_EQ(j["cycles"], j["cycles_model"]);
  ASSERT_EQ(j["out_params"].size(), 4u);
  EXPECT_EQ(j["out_params"][0]["out_min"], 0);       // a hidden layer's clamp
  EXPECT_EQ(j["out_params"][1]["out_min"], -32768);  // the score layer's
  const auto plain = nlohmann::json::parse(test::run_cli("gemm --array 2x3 --m 5 --k 7 --n 4 --json").out);
  EXPECT_EQ(plain["acc_depth"], 5);  // R + C
  EXPECT_EQ(plain["requant"], false);
  EXPECT_FALSE(plain.contains("out_params"));
  test::expect_one_line_error(test::run_cli("gemm --array 2x3 --acc-depth 0 --m 5 --k 7 --n 4"), "--acc-depth");
  test::expect_one_line_error(test::run_cli("gemm --array 2x3 --acc-depth 4097 --m 5 --k 7 --n 4"), "--acc-depth");
  test::expect_one_line_error(test::run_cli("gemm --array 2x3 --requant --acc-width 16 --m 5 --k 7 --n 4"),
                              "--acc-width 32");
}

}  // namespace
}  // namespace gm
