// greenmac mutate SPEC... [--count N] [--seed S] [--sim verilator|icarus] [--json] [-o DIR [--shard I/N]]: mutation
// coverage of the verification (tb/mutate.hpp). Exit 1 when a mutant escaped or a design's
// own round trip fails verification.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/commands/mutate_output.hpp"
#include "cli/shard/shard.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "cli/quiet_option.hpp"
#include "models/progress.hpp"
#include "tb/mutate.hpp"

namespace gm {
namespace {

struct MutateArgs {
  SpecArgs designs;
  MutateOptions opt;
  bool json = false;
  std::string out;    // -o DIR: mutate.json and report.md (mutate_output.hpp)
  std::string shard;  // --shard I/N (cli/shard/shard.hpp), with -o
};

int run_mutate(const MutateArgs& args) {
  const auto specs = expand_specs(args.designs.specs, args.designs.set);
  const Shard shard = args.shard.empty() ? Shard{} : parse_shard(args.shard);
  if (shard.given && args.out.empty())
    throw UserError("--shard needs -o DIR, where the shard writes its result file (e.g. -o out/mutate --shard 0/4)");
  const nlohmann::json shard_args = mutate_shard_args(specs, args.opt);
  if (!args.out.empty()) ensure_output_dir(args.out);
  if (shard.given && shard_done(args.out, "mutate", shard, shard_args)) {
    std::cerr << "mutate: " << shard_file(args.out, "mutate", shard).string() << " is there; shard skipped\n";
    return 0;
  }
  Progress progress("mutate");
  MutateOptions opt = args.opt;
  opt.progress = &progress;
  const auto results = mutate_designs(shard.given ? shard_items(specs, shard) : specs, opt);
  progress.finish();
  nlohmann::json rows = nlohmann::json::array(), checks = nlohmann::json::array();
  for (const auto& r : results) rows.push_back(mutate_row(r)), checks.push_back(mutate_row_checks(r));
  if (args.json)
    std::cout << rows.dump(2) << "\n";
  else
    std::cout << mutate_table(rows);
  if (shard.given)
    write_shard(args.out, "mutate", shard, shard_args, {{"rows", rows}, {"checks", checks}});
  else if (!args.out.empty())
    write_mutate_outputs(args.out, rows, checks);
  // The failed checks, one line each on stderr (stdout keeps the table or the JSON).
  const MutateChecks c = mutate_checks(rows, checks);
  std::cerr << c.stderr_lines;
  return c.exit_code;
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
          sub.add_option("-o,--out", args->out, "also write DIR/mutate.json (what --json prints) and DIR/report.md");
          add_shard_option(sub, &args->shard);
          add_quiet_option(sub);
          return [=] { return run_mutate(*args); };
        },
});

}  // namespace
}  // namespace gm
