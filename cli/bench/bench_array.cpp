// greenmac bench array: simulation speed of the Verilated systolic array (lookup-table
// multipliers) on a large GEMM at 8x8 and 16x16, the harness build times (cold cache), and Icarus
// on the same small GEMM with the speed ratio. Target (issue 4): 8x8 >= 50 M MAC/s on one core.
// Speeds are taken from the simulating thread's CPU time, so a busy machine does not skew them;
// wall-clock figures are printed beside them.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/bench/bench.hpp"
#include "models/checks.hpp"
#include "models/files.hpp"
#include "tb/array_runner.hpp"
#include "models/golden_gemm.hpp"

namespace gm {
namespace {

int bench_array() {
  namespace fs = std::filesystem;
  const ScratchDir scratch("gm-bench-array");  // removed on return and on interrupt
  setenv("GREENMAC_CACHE", (scratch / "cache").c_str(), 1);  // cold: every build is timed
  CheckLog checks;
  std::printf("%-7s %-14s %9s %8s %10s %12s %12s %10s\n", "array", "gemm m,k,n", "build s", "sim s", "cpu s",
              "M MAC/s", "M cycles/s", "mismatch");
  for (const int side : {8, 16}) {
    const ArrayConfig cfg = make_array_config(side, side, parse_spec("drum:k=4,s=1"), "", 32, false);
    const GemmRunner runner(cfg, MulModel::kLut);
    const GemmProblem p = random_gemm(cfg, 1024, 256, 256, 1);
    const GemmResult r = runner.run(p);
    const auto golden = runner.golden(p);
    int64_t bad = 0;
    for (size_t i = 0; i < golden.size(); ++i) bad += golden[i] != r.y[i];
    const uint64_t model = gemm_cycles(cfg, p.m, p.k, p.n);
    const std::string what = "bench array: " + std::to_string(side) + "x" + std::to_string(side) + ": ";
    checks.expect(bad == 0, what + std::to_string(bad) + " outputs differ from the golden GEMM");
    checks.expect(r.cycles == model, what + std::to_string(r.cycles) + " cycles, the cycle model says " + std::to_string(model));
    bad += r.cycles != model;
    const double macs = static_cast<double>(p.m * p.k * p.n);
    std::printf("%2dx%-4d %4lld,%lld,%lld %9.1f %8.2f %10.2f %12.1f %12.2f %10lld%s\n", side, side,
                static_cast<long long>(p.m), static_cast<long long>(p.k), static_cast<long long>(p.n),
                runner.build_seconds(), r.sim_seconds, r.cpu_seconds, macs / r.cpu_seconds / 1e6,
                r.cycles / r.cpu_seconds / 1e6, static_cast<long long>(bad), side == 8 ? "   target >= 50 M MAC/s" : "");
  }
  // Icarus against Verilator on one small GEMM, same array (8x8, lookup tables in both).
  const ArrayConfig cfg = make_array_config(8, 8, parse_spec("drum:k=4,s=1"), "", 32, false);
  const GemmRunner runner(cfg, MulModel::kLut);
  const GemmProblem p = random_gemm(cfg, 64, 32, 32, 2);
  const GemmResult v = runner.run(p);
  double ibuild = 0;
  const GemmResult ic = run_gemm_icarus(cfg, MulModel::kLut, p, &ibuild);
  const bool same = ic.y == v.y && ic.cycles == v.cycles;
  checks.expect(same, "bench array: Icarus and Verilator differ on the same GEMM (outputs or cycles)");
  std::printf("small GEMM 64,32,32 on 8x8: verilator %.4f s (cpu %.4f s), icarus %.2f s (compile %.1f s); "
              "icarus/verilator %.0fx wall; results %s, cycles %llu/%llu\n",
              v.sim_seconds, v.cpu_seconds, ic.sim_seconds, ibuild, ic.sim_seconds / v.sim_seconds,
              same ? "identical" : "DIFFER", static_cast<unsigned long long>(ic.cycles),
              static_cast<unsigned long long>(v.cycles));
  return checks.finish();
}

const BenchRegistrar reg("array", {"systolic array simulation speed (8x8, 16x16), build time, Icarus ratio",
                                   bench_array});

}  // namespace
}  // namespace gm
