// greenmac bench array: simulation speed of the Verilated systolic array on a large GEMM at 8x8 and
// 16x16, with lookup-table and with gate-level multipliers in the same run (the same GEMM: outputs
// and cycles must be equal), the harness build times (cold cache), and Icarus on the same small
// GEMM with the speed ratio. Targets: lut 8x8 >= 50 M MAC/s (issue 4); gate >= 10 M MAC/s at 8x8
// and 16x16 with a 16x16 build under a minute (issue 10).
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

int bench_array(Progress& progress) {
  namespace fs = std::filesystem;
  const ScratchDir scratch("gm-bench-array");  // removed on return and on interrupt
  setenv("GREENMAC_CACHE", (scratch / "cache").c_str(), 1);  // cold: every build is timed
  CheckLog checks;
  // Steps: a harness build and its GEMM for each array side and multiplier model, then the small
  // GEMM on Verilator and on Icarus.
  progress.stage("steps", 2 * 2 + 2, "steps");
  std::printf("%-7s %-5s %-14s %9s %8s %10s %12s %12s %10s\n", "array", "mul", "gemm m,k,n", "build s", "sim s",
              "cpu s", "M MAC/s", "M cycles/s", "mismatch");
  for (const int side : {8, 16}) {
    const ArrayConfig cfg = make_array_config(side, side, parse_spec("drum:k=4,s=1"), "", 32, false);
    const GemmProblem p = random_gemm(cfg, 1024, 256, 256, 1);
    std::vector<int64_t> lut_y;
    uint64_t lut_cycles = 0;
    double lut_cpu = 0;
    for (const MulModel model : {MulModel::kLut, MulModel::kGate}) {
      const bool gate = model == MulModel::kGate;
      const std::string step = std::to_string(side) + "x" + std::to_string(side) + (gate ? " gate" : " lut") +
                               ": build and simulate a 1024x256x256 GEMM";
      progress.begin(step);
      const GemmRunner runner(cfg, model);
      const GemmResult r = runner.run(p);
      const auto golden = runner.golden(p);
      progress.end(step);
      int64_t bad = 0;
      for (size_t i = 0; i < golden.size(); ++i) bad += golden[i] != r.y[i];
      const uint64_t cycles_model = gemm_cycles(cfg, p.m, p.k, p.n);
      const std::string what =
          "bench array: " + std::to_string(side) + "x" + std::to_string(side) + (gate ? " gate: " : " lut: ");
      checks.expect(bad == 0, what + std::to_string(bad) + " outputs differ from the golden GEMM");
      checks.expect(r.cycles == cycles_model,
                    what + std::to_string(r.cycles) + " cycles, the cycle model says " + std::to_string(cycles_model));
      // Both models must give the same outputs and cycle counts, not only each the golden ones.
      if (gate) checks.expect(r.y == lut_y && r.cycles == lut_cycles, what + "outputs or cycles differ from the lut run");
      bad += r.cycles != cycles_model;
      const double macs = static_cast<double>(p.m * p.k * p.n);
      char note[64] = "";
      if (!gate) std::snprintf(note, sizeof note, "   target >= %d M MAC/s", side == 8 ? 50 : 0);
      else std::snprintf(note, sizeof note, "   target >= 10 M MAC/s, build < 60 s; lut/gate %.1fx", r.cpu_seconds / lut_cpu);
      std::printf("%2dx%-4d %-5s %4lld,%lld,%lld %9.1f %8.2f %10.2f %12.1f %12.2f %10lld%s\n", side, side,
                  gate ? "gate" : "lut", static_cast<long long>(p.m), static_cast<long long>(p.k),
                  static_cast<long long>(p.n), runner.build_seconds(), r.sim_seconds, r.cpu_seconds,
                  macs / r.cpu_seconds / 1e6, r.cycles / r.cpu_seconds / 1e6, static_cast<long long>(bad),
                  gate || side == 8 ? note : "");
      if (!gate) lut_y = r.y, lut_cycles = r.cycles, lut_cpu = r.cpu_seconds;
    }
  }
  // Icarus against Verilator on one small GEMM, same array (8x8, lookup tables in both).
  const ArrayConfig cfg = make_array_config(8, 8, parse_spec("drum:k=4,s=1"), "", 32, false);
  const GemmRunner runner(cfg, MulModel::kLut);
  const GemmProblem p = random_gemm(cfg, 64, 32, 32, 2);
  const GemmResult v = bench_step(progress, "8x8 lut: a 64x32x32 GEMM on Verilator", [&] { return runner.run(p); });
  double ibuild = 0;
  const GemmResult ic = bench_step(progress, "8x8 lut: the same GEMM on Icarus",
                                   [&] { return run_gemm_icarus(cfg, MulModel::kLut, p, &ibuild); });
  const bool same = ic.y == v.y && ic.cycles == v.cycles;
  checks.expect(same, "bench array: Icarus and Verilator differ on the same GEMM (outputs or cycles)");
  std::printf("small GEMM 64,32,32 on 8x8: verilator %.4f s (cpu %.4f s), icarus %.2f s (compile %.1f s); "
              "icarus/verilator %.0fx wall; results %s, cycles %llu/%llu\n",
              v.sim_seconds, v.cpu_seconds, ic.sim_seconds, ibuild, ic.sim_seconds / v.sim_seconds,
              same ? "identical" : "DIFFER", static_cast<unsigned long long>(ic.cycles),
              static_cast<unsigned long long>(v.cycles));
  return checks.finish();
}

const BenchRegistrar reg("array", {"systolic array simulation speed (8x8, 16x16; lut and gate multipliers), build time, Icarus ratio",
                                   bench_array});

}  // namespace
}  // namespace gm
