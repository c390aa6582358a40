// greenmac bench mutate: mutation coverage of the default set, 30 Yosys mutants per design, with
// totals per family and the wall time. Target (issue 8, item 7): 0 escaped in every family.
#include <chrono>
#include <cstdio>
#include <map>

#include "cli/bench/bench.hpp"
#include "tb/mutate.hpp"

namespace gm {
namespace {

int bench_mutate(Progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  MutateOptions opt;
  opt.count = 30;
  opt.progress = &progress;  // stages "mutants", "simulate", "SAT"
  const auto results = mutate_designs(default_set(), opt);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  struct Totals {
    int designs = 0, mutants = 0, caught = 0, equivalent = 0, escaped = 0, bad_reference = 0;
  };
  std::map<std::string, Totals> families;
  Totals all;
  for (const auto& r : results)
    for (Totals* t : {&families[r.spec.family], &all}) {
      ++t->designs;
      t->mutants += r.mutants, t->caught += r.caught, t->equivalent += r.equivalent, t->escaped += r.escaped;
      t->bad_reference += !r.reference_passed;
    }
  std::printf("%-10s %7s %7s %7s %10s %7s\n", "family", "designs", "mutants", "caught", "equivalent", "escaped");
  auto row = [](const std::string& name, const Totals& t) {
    std::printf("%-10s %7d %7d %7d %10d %7d%s\n", name.c_str(), t.designs, t.mutants, t.caught, t.equivalent,
                t.escaped, t.bad_reference ? "  (unmutated design fails verification)" : "");
  };
  for (const auto& [name, t] : families) row(name, t);
  row("total", all);
  std::printf("wall seconds %.1f (%d mutants per design, seed %llu)   target: 0 escaped\n", wall, opt.count,
              static_cast<unsigned long long>(opt.seed));
  return all.escaped || all.bad_reference ? 1 : 0;
}

const BenchRegistrar reg("mutate", {"mutation coverage of the default set, 30 Yosys mutants per design", bench_mutate});

}  // namespace
}  // namespace gm
