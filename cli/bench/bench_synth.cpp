// greenmac bench synth: the default set synthesized, timed and power-estimated with simulated
// activity, in parallel (2 jobs), from a cold cache. Target (issue 3): <= 5 minutes on 2 cores.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/bench/bench.hpp"
#include "models/checks.hpp"
#include "models/files.hpp"
#include "synth/mult_synth.hpp"

namespace gm {
namespace {

int bench_synth(Progress& progress) {
  namespace fs = std::filesystem;
  const ScratchDir scratch("gm-bench-synth");  // removed on return and on interrupt
  setenv("GREENMAC_CACHE", (scratch / "cache").c_str(), 1);  // cold: nothing reused
  const auto specs = default_set();
  SynthOptions opt;
  opt.jobs = 2;
  opt.progress = &progress;  // a "synth" stage of the designs
  SynthStats st;
  const auto t0 = std::chrono::steady_clock::now();
  const auto results = synth_designs(specs, opt, &st);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << synth_table(results);
  int mismatches = 0;
  for (const auto& r : results) mismatches += !r.netlist_matches_model;
  std::printf("designs             %zu (default set, w=8), %d synthesized, %d cached\n", specs.size(), st.synthesized,
              st.cached);
  std::printf("wall seconds        %.1f   target <= 300 (2 jobs)\n", wall);
  std::printf("netlist != model    %d designs\n", mismatches);
  CheckLog checks;
  for (const auto& r : results)
    checks.expect(r.netlist_matches_model,
                  "bench synth: the mapped netlist of " + r.spec.name() + " does not compute its model's products");
  return checks.finish();
}

const BenchRegistrar reg("synth", {"synthesize the default set (cold cache): area, delay, power; wall time",
                                   bench_synth});

}  // namespace
}  // namespace gm
