// greenmac bench verify: generate, build and exhaustively verify the default set from a cold cache,
// then simulate the same set in Icarus on a slice of the pairs and compare the throughput.
// Targets (issue 2): the whole default set in <= 60 s on 2 cores, Verilator >= 50x Icarus.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/bench/bench.hpp"
#include "models/checks.hpp"
#include "cli/command.hpp"
#include "generator/design_files.hpp"
#include "models/files.hpp"
#include "tb/verify.hpp"

namespace gm {
namespace {

int bench_verify(Progress& progress) {
  namespace fs = std::filesystem;
  const ScratchDir scratch("gm-bench-verify");  // removed on return and on interrupt
  setenv("GREENMAC_CACHE", (scratch / "cache").c_str(), 1);  // cold: nothing reused
  const auto t0 = std::chrono::steady_clock::now();
  const auto specs = default_set();
  write_designs(specs, scratch / "rtl");
  VerifyStats vl;
  VerifyOptions vopt;
  vopt.progress = &progress;  // a "verify" stage of the designs, Verilator
  const auto results = verify_designs(specs, vopt, &vl);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  int failed = 0;
  for (const auto& r : results) failed += !r.pass();

  VerifyOptions iopt;
  iopt.sim = "icarus";
  iopt.pair_limit = 2048;  // Icarus is too slow for every pair of the whole set
  iopt.progress = &progress;  // a second "verify" stage, Icarus
  VerifyStats ic;
  const auto iresults = verify_designs(specs, iopt, &ic);
  for (const auto& r : iresults) failed += !r.pass();

  const double vl_rate = vl.pair_evals / vl.sim_seconds;
  const double ic_rate = ic.pair_evals / ic.sim_seconds;
  std::printf("designs                     %zu (default set, w=8, exhaustive: %llu pairs each)\n", specs.size(),
              static_cast<unsigned long long>(results.front().pairs));
  std::printf("wall seconds (gen+build+sim) %.1f   target <= 60\n", wall);
  std::printf("verilator build seconds     %.1f (%d build%s)\n", vl.build_seconds, vl.builds, vl.builds == 1 ? "" : "s");
  std::printf("verilator sim seconds       %.2f\n", vl.sim_seconds);
  std::printf("verilator pair evals/s      %.3g (design x pair, checked against the models)\n", vl_rate);
  std::printf("icarus build seconds        %.1f\n", ic.build_seconds);
  std::printf("icarus pair evals/s         %.3g (%llu pairs per design)\n", ic_rate,
              static_cast<unsigned long long>(iopt.pair_limit));
  std::printf("verilator / icarus          %.0fx   target >= 50x\n", vl_rate / ic_rate);
  std::printf("mismatches                  %d designs failed\n", failed);
  CheckLog checks;
  for (const auto* set : {&results, &iresults})
    for (const auto& r : *set)
      checks.expect(r.pass(), "bench verify: " + r.spec.name() + " (" + (set == &results ? "verilator" : "icarus") +
                                  "): " + std::to_string(r.mismatches) + " of " + std::to_string(r.pairs) +
                                  " products differ from the model");
  return checks.finish();
}

const BenchRegistrar reg("verify", {"build and exhaustively verify the default set (cold cache); Icarus ratio",
                                    bench_verify});

}  // namespace
}  // namespace gm
