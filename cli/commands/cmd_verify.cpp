// greenmac verify SPEC... [--sim verilator|icarus] [--json] [-o DIR [--shard I/N]]: every design against its model, bit for bit.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/commands/verify_output.hpp"
#include "cli/shard/shard.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "cli/quiet_option.hpp"
#include "models/progress.hpp"
#include "tb/verify.hpp"

namespace gm {
namespace {

struct VerifyArgs {
  SpecArgs designs;
  VerifyOptions opt;
  std::string rtl_dir;
  bool json = false;
  std::string out;    // -o DIR: verify.json and report.md (verify_output.hpp)
  std::string shard;  // --shard I/N (cli/shard/shard.hpp), with -o
};

int run_verify(const VerifyArgs& args) {
  VerifyOptions opt = args.opt;
  opt.rtl_dir = args.rtl_dir;
  const auto specs = expand_specs(args.designs.specs, args.designs.set);
  const Shard shard = args.shard.empty() ? Shard{} : parse_shard(args.shard);
  if (shard.given && args.out.empty())
    throw UserError("--shard needs -o DIR, where the shard writes its result file (e.g. -o out/verify --shard 0/4)");
  const nlohmann::json shard_args = verify_shard_args(specs, opt);
  if (!args.out.empty()) ensure_output_dir(args.out);
  if (shard.given && shard_done(args.out, "verify", shard, shard_args)) {
    std::cerr << "verify: " << shard_file(args.out, "verify", shard).string() << " is there; shard skipped\n";
    return 0;
  }
  VerifyStats st;
  Progress progress("verify");
  opt.progress = &progress;
  const auto results = verify_designs(shard.given ? shard_items(specs, shard) : specs, opt, &st);
  progress.finish();
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : results) rows.push_back(verify_row(r));
  if (args.json)
    std::cout << rows.dump(2) << "\n";
  else
    std::cout << verify_text(rows, opt.sim, st.builds, st.cached_builds);
  if (shard.given)
    write_shard(args.out, "verify", shard, shard_args,
                {{"rows", rows}, {"builds", st.builds}, {"cached_builds", st.cached_builds}});
  else if (!args.out.empty())
    write_verify_outputs(args.out, rows, opt.sim);
  return verify_checks(rows).finish();
}

const CommandRegistrar reg({
    .name = "verify",
    .help = "simulate each design and compare it with its C++ model on every input pair (w <= 12) "
            "or on corner cases plus random pairs (w > 12); exit 0 only when all match",
    .order = 30,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto args = std::make_shared<VerifyArgs>();
          args->designs.add_to(sub);
          sub.add_option("--sim", args->opt.sim, "simulator")->check(CLI::IsMember({"verilator", "icarus"}));
          sub.add_option("--rtl-dir", args->rtl_dir,
                         "verify the files DIR/<name>.v (e.g. edited output of `gen`) instead of fresh RTL");
          sub.add_option("--pairs", args->opt.random_pairs,
                         "random pairs for w > 12 (default 10^7; fewer is a smoke test, not a verification)")
              ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
          sub.add_option("--seed", args->opt.seed, "seed of the random pairs");
          sub.add_flag("--json", args->json, "print JSON");
          sub.add_option("-o,--out", args->out, "also write DIR/verify.json (what --json prints) and DIR/report.md");
          add_shard_option(sub, &args->shard);
          add_quiet_option(sub);
          return [=] { return run_verify(*args); };
        },
});

}  // namespace
}  // namespace gm
