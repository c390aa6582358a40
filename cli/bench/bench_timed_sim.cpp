// greenmac bench timed-sim: speed of the timed, glitch-counting gate simulation (TimedGateSim) on a
// mapped systolic array, against the zero-delay SeqGateSim on the same GEMM in the same run, and the
// glitch share it measures. The array (default 4x4, GREENMAC_BENCH_ARRAY=RxC for another) is mapped
// with the flow's own Yosys script and timed with its SDF script, in a scratch directory. Target
// (issue 11): >= 30 M events/s on one core. Both runs must reproduce the golden GEMM.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <regex>

#include "cli/bench/bench.hpp"
#include "generator/array/array.hpp"
#include "cli/bench/bench_array_env.hpp"
#include "models/checks.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/golden_gemm.hpp"
#include "models/scratch.hpp"
#include "tb/array_runner.hpp"
#include "models/spec.hpp"
#include "synth/array_synth.hpp"
#include "synth/flow.hpp"
#include "synth/timed_sim.hpp"
#include "tb/array_job_file.hpp"
#include "tb/process.hpp"

namespace gm {
namespace {

double cpu_seconds() { return static_cast<double>(thread_cpu_ns()) * 1e-9; }

int bench_timed_sim(Progress& progress) {
  using namespace flow;
  namespace fs = std::filesystem;
  const auto [rows, cols] = bench_array_from_env();
  if (!have_tool("yosys") || !have_tool("sta")) throw UserError("bench timed-sim needs yosys and sta (OpenSTA) on PATH");
  const ScratchDir scratch("gm-bench-timed-sim");  // removed on return and on interrupt
  const fs::path dir = scratch.path();
  const LibInfo lib = load_library("osu018");
  const ArrayConfig cfg = make_array_config(rows, cols, parse_spec("drum:k=4,s=1"), "", 32, false);
  const ArrayRtl rtl = generate_array(cfg, MulModel::kGate);
  // Two stages: the mapping is minutes and the simulations seconds, so one mean would mislead.
  progress.stage("map", 1, "arrays");
  const auto t0 = std::chrono::steady_clock::now();
  progress.begin("map the array and write its SDF");
  // The flow's own mapping (every placeholder of map_array.ys filled in): a copy of the script
  // filling here missed {KEEP} and {TIE} when the flow gained them.
  map_array_netlist(lib, cfg, rtl, kDefaultClockNs, dir);
  const SdfDelays sdf = make_sdf(dir, rtl.top, kDefaultClockNs, "bench timed-sim");
  const double map_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto netlist = nlohmann::json::parse(read_file(dir / "net.json"));
  progress.end("map the array and write its SDF");
  progress.stage("simulate", 2, "runs");  // zero-delay, timed

  // A GEMM long enough to time: 8 tiles per PE.
  const GemmProblem g = random_gemm(cfg, 256, 2 * rows, 4 * cols, 1);
  std::vector<int64_t> golden = golden_gemm(pe_tables(cfg), cfg.rows, cfg.cols, cfg.acc_width, g.x.data(), g.w.data(),
                                            g.m, g.k, g.n);
  CheckLog checks;

  progress.begin("zero-delay simulation");
  SeqGateSim zero(netlist, rtl.top, lib.lib, "clk_i");
  double c0 = cpu_seconds();
  const ArrayDriveResult zr = drive_array_gemm(zero, cfg, g);
  const double zero_s = cpu_seconds() - c0;
  const GateSimResult za = zero.activity();
  progress.end("zero-delay simulation");
  progress.begin("timed simulation");

  TimedGateSim timed(netlist, rtl.top, lib.lib, "clk_i", sdf);
  check_sdf_coverage(timed.missing_arcs(), "bench timed-sim");
  c0 = cpu_seconds();
  const ArrayDriveResult tr = drive_array_gemm(timed, cfg, g);
  const double timed_s = cpu_seconds() - c0;
  const GateSimResult ta = timed.activity();
  progress.end("timed simulation");

  checks.expect(zr.y == golden, "bench timed-sim: the zero-delay simulation's Y differs from the golden GEMM");
  checks.expect(tr.y == golden, "bench timed-sim: the timed simulation's Y differs from the golden GEMM");
  checks.expect(tr.cycles == zr.cycles, "bench timed-sim: the two simulations ran different cycle counts");
  checks.expect(ta.zero_delay_transitions == za.zero_delay_transitions,
                "bench timed-sim: the timed simulation's settled values differ from the zero-delay simulation's");

  const size_t cells = netlist.at("modules").at(rtl.top).at("cells").size();
  std::printf("array               %dx%d drum:k=4,s=1, %zu cells, mapped + SDF in %.1f s\n", rows, cols, cells, map_s);
  std::printf("gemm                %lldx%lldx%lld, %llu cycles\n", static_cast<long long>(g.m),
              static_cast<long long>(g.k), static_cast<long long>(g.n), static_cast<unsigned long long>(tr.cycles));
  std::printf("zero-delay          %.3f s cpu, %.0f cycles/s, %llu transitions\n", zero_s, zr.cycles / zero_s,
              static_cast<unsigned long long>(za.zero_delay_transitions));
  std::printf("timed               %.3f s cpu, %.0f cycles/s, %llu events, %llu evaluations, %llu transitions\n",
              timed_s, tr.cycles / timed_s, static_cast<unsigned long long>(timed.events()),
              static_cast<unsigned long long>(timed.evaluations()),
              static_cast<unsigned long long>(ta.timed_transitions));
  std::printf("events/s            %.1f M   target >= 30 M\n", timed.events() / timed_s * 1e-6);
  std::printf("timed / zero-delay  %.2f x the time\n", timed_s / zero_s);
  std::printf("glitch share        %.3f (1 - zero-delay / timed transitions); max settle %lld ps\n", ta.glitch_share,
              static_cast<long long>(timed.max_settle_ps()));
  return checks.finish();
}

const BenchRegistrar reg("timed-sim", {"timed (SDF, glitch-counting) gate simulation of an array: events/s, ratio to "
                                       "zero-delay, glitch share (GREENMAC_BENCH_ARRAY=RxC, default 4x4)",
                                       bench_timed_sim});

}  // namespace
}  // namespace gm
