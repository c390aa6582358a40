// greenmac bench gate-sim: speed of the zero-delay gate simulation (SeqGateSim) of a mapped
// systolic array with the output stage, in ns per cell and cycle: the Liberty expressions
// interpreted cell by cell (the original evaluator), the compiled program (synth/gate_program.hpp),
// and the compiled program with 64 image lanes (64 GEMMs of one shape in one pass: ns per cell,
// cycle and lane). All in the same run, on the same GEMM; every run must reproduce the golden GEMM.
// The array (default 4x4, GREENMAC_BENCH_ARRAY=RxC for another) comes from the array flow (cached).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <regex>

#include "cli/bench/bench.hpp"
#include "generator/array/array.hpp"
#include "cli/bench/bench_array_env.hpp"
#include "models/checks.hpp"
#include "models/errors.hpp"
#include "models/golden_gemm.hpp"
#include "models/scratch.hpp"
#include "models/spec.hpp"
#include "synth/array_lanes.hpp"
#include "synth/array_synth.hpp"
#include "synth/flow.hpp"
#include "tb/array_runner.hpp"
#include "tb/array_job_file.hpp"
#include "tb/process.hpp"

namespace gm {
namespace {

double cpu_seconds() { return static_cast<double>(thread_cpu_ns()) * 1e-9; }

int bench_gate_sim(Progress& progress) {
  const auto [rows, cols] = bench_array_from_env();
  if (!have_tool("yosys") || !have_tool("sta"))
    throw UserError("bench gate-sim needs yosys and sta (OpenSTA) on PATH");
  const ScratchDir scratch("gm-bench-gate-sim");
  const flow::LibInfo lib = flow::load_library("osu018");
  const ArrayConfig cfg = make_array_config(rows, cols, parse_spec("drum:k=4,s=1"), "", 32, false, 0, true);
  ArraySynthOptions so;
  so.keep_dir = scratch.path();
  so.activity_model = "zero";
  // Two stages: the mapping is minutes cold and the simulations seconds, so one mean would mislead.
  progress.stage("map", 1, "arrays");
  const std::string map_step = "the array flow (cached), the netlist read back";
  progress.begin(map_step);
  const auto t0 = std::chrono::steady_clock::now();
  const ArraySynthResult syn = synth_array(cfg, default_array_gemm(cfg, 1), so);
  const nlohmann::json netlist = read_mapped_netlist(scratch.path() / syn.name, syn.name, lib.path, lib.lib);
  progress.end(map_step);
  progress.stage("simulate", 3, "runs");  // interpreted, compiled, 64 lanes
  const double map_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const GemmProblem g = random_gemm(cfg, 2 * (rows + cols), 4 * rows, 2 * cols, 1);
  const std::vector<int64_t> golden = apply_output_stage(
      golden_gemm(pe_tables(cfg), cfg.rows, cfg.cols, cfg.acc_width, g.x.data(), g.w.data(), g.m, g.k, g.n), g.m, g.n,
      g.params);
  CheckLog checks;
  const size_t cells = netlist.at("modules").at(syn.name).at("cells").size();

  auto run = [&](bool compiled, const char* what, uint64_t& transitions) {
    const std::string step = std::string(what) + " simulation";
    progress.begin(step);
    SeqGateSim sim(netlist, syn.name, lib.lib, "clk_i");
    sim.set_compiled(compiled);
    const double c0 = cpu_seconds();
    const ArrayDriveResult r = drive_array_gemm(sim, cfg, g);
    const double s = cpu_seconds() - c0;
    checks.expect(r.y == golden, std::string("bench gate-sim: the ") + what + " run's Y differs from the golden GEMM");
    transitions = sim.activity().zero_delay_transitions;
    progress.end(step);
    return std::make_pair(s, r.cycles);
  };
  uint64_t t_old = 0, t_new = 0;
  const auto [old_s, cycles] = run(false, "interpreted", t_old);
  const auto [new_s, cycles2] = run(true, "compiled", t_new);
  checks.expect(t_old == t_new && cycles == cycles2, "bench gate-sim: the two evaluators counted different transitions");

  // 64 lanes: 64 GEMMs of g's shape (seeds 1..64; lane 0 is g).
  std::vector<GemmProblem> lanes_g;
  for (uint64_t j = 0; j < 64; ++j) lanes_g.push_back(random_gemm(cfg, g.m, g.k, g.n, 1 + j));
  std::vector<const GemmProblem*> ptrs;
  for (const auto& p : lanes_g) ptrs.push_back(&p);
  progress.begin("64-lane simulation");
  SeqGateSim lanes(netlist, syn.name, lib.lib, "clk_i", 64);
  // With per-lane weighted totals, as infer-energy runs it.
  lanes.set_lane_weights(std::vector<double>(lanes.nets(), 1.0), std::vector<double>(lanes.nets(), 2.0));
  const double c0 = cpu_seconds();
  const std::vector<ArrayDriveResult> lr = drive_array_gemm_lanes(lanes, cfg, ptrs);
  const double lanes_s = cpu_seconds() - c0;
  progress.end("64-lane simulation");
  checks.expect(lr[0].y == golden, "bench gate-sim: lane 0 of the 64-lane run differs from the golden GEMM");

  const double cell_cycles = static_cast<double>(cells) * static_cast<double>(cycles);
  std::printf("array               %dx%d drum:k=4,s=1 with the output stage, %zu cells (%s in %.1f s)\n", rows, cols,
              cells, syn.cached ? "cached" : "mapped", map_s);
  std::printf("gemm                %lldx%lldx%lld, %llu cycles\n", static_cast<long long>(g.m),
              static_cast<long long>(g.k), static_cast<long long>(g.n), static_cast<unsigned long long>(cycles));
  std::printf("interpreted         %.3f s cpu, %.1f ns per cell-cycle\n", old_s, old_s / cell_cycles * 1e9);
  std::printf("compiled            %.3f s cpu, %.1f ns per cell-cycle (%.1f x faster)\n", new_s,
              new_s / cell_cycles * 1e9, old_s / new_s);
  std::printf("compiled, 64 lanes, per-lane totals  %.3f s cpu, %.2f ns per cell-cycle-lane (%.0f x the interpreted throughput)\n",
              lanes_s, lanes_s / cell_cycles / 64 * 1e9, old_s * 64 / lanes_s);
  return checks.finish();
}

const BenchRegistrar reg("gate-sim", {"zero-delay gate simulation of an array with the output stage: ns per "
                                      "cell-cycle interpreted vs compiled vs 64 lanes (GREENMAC_BENCH_ARRAY=RxC, "
                                      "default 4x4)",
                                      bench_gate_sim});

}  // namespace
}  // namespace gm
