// greenmac mutate SPEC... [--count N] [--seed S] [--sim verilator|icarus] [--json]: mutation
// coverage of the verification (tb/mutate.hpp). Exit 1 when a mutant escaped or a design's
// own round trip fails verification.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/quiet_option.hpp"
#include "models/progress.hpp"
#include "tb/mutate.hpp"

namespace gm {
namespace {

struct MutateArgs {
  SpecArgs designs;
  MutateOptions opt;
  bool json = false;
};

int run_mutate(const MutateArgs& args) {
  const auto specs = expand_specs(args.designs.specs, args.designs.set);
  Progress progress("mutate");
  MutateOptions opt = args.opt;
  opt.progress = &progress;
  const auto results = mutate_designs(specs, opt);
  progress.finish();
  int failed = 0;
  for (const auto& r : results) failed += r.escaped > 0 || !r.reference_passed;
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : results)
      out.push_back({{"spec", r.spec.canonical()}, {"name", r.spec.name()}, {"mutants", r.mutants},
                     {"caught", r.caught}, {"equivalent", r.equivalent}, {"escaped", r.escaped},
                     {"seconds", r.seconds}});
    std::cout << out.dump(2) << "\n";
  } else {
    std::printf("%-32s %7s %7s %10s %7s %8s\n", "design", "mutants", "caught", "equivalent", "escaped", "seconds");
    int mutants = 0, caught = 0, equivalent = 0, escaped = 0;
    for (const auto& r : results) {
      std::printf("%-32s %7d %7d %10d %7d %8.1f\n", r.spec.name().c_str(), r.mutants, r.caught, r.equivalent,
                  r.escaped, r.seconds);
      mutants += r.mutants, caught += r.caught, equivalent += r.equivalent, escaped += r.escaped;
    }
    std::printf("%-32s %7d %7d %10d %7d\n", "total", mutants, caught, equivalent, escaped);
  }
  // The failed checks, one line each on stderr (stdout keeps the table or the JSON).
  for (const auto& r : results) {
    if (!r.reference_passed)
      std::cerr << "greenmac: check failed: " << r.spec.name()
                << ": the unmutated design (after the Yosys round trip) fails verification; its mutant counts mean "
                   "nothing\n";
    for (const auto& m : r.escapes) std::cerr << "greenmac: check failed: " << r.spec.name() << ": escaped: " << m << "\n";
  }
  return failed ? 1 : 0;
}

const CommandRegistrar reg({
    .name = "mutate",
    .help = "mutation coverage: verify Yosys mutants of each design; an uncaught mutant must be proved "
            "equivalent by a SAT miter, else it escaped (exit 1)",
    .order = 45,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto args = std::make_shared<MutateArgs>();
          args->designs.add_to(sub);
          // --count and --sim are checked by mutate_designs, with the one-line error format.
          sub.add_option("--count", args->opt.count, "mutants per design (Yosys `mutate -list N`), 1..10000");
          sub.add_option("--seed", args->opt.seed, "seed of Yosys's choice of mutations");
          sub.add_option("--sim", args->opt.sim, "simulator: verilator or icarus");
          sub.add_option("--sat-timeout", args->opt.sat_timeout_s,
                         "seconds per SAT proof of an uncaught mutant (a time-out counts as escaped)")
              ->check(CLI::Range(1, 86400));
          sub.add_flag("--json", args->json, "print JSON");
          add_quiet_option(sub);
          return [=] { return run_mutate(*args); };
        },
});

}  // namespace
}  // namespace gm
