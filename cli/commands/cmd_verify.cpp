// greenmac verify SPEC... [--sim verilator|icarus] [--trace DIR] [--json] [-o DIR [--shard I/N]]: every
// design against its model, bit for bit; with --trace, a waveform of each failing design around its
// first failing pairs (of every design when all pass), tb/verify_trace.hpp.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/commands/verify_output.hpp"
#include "cli/quiet_option.hpp"
#include "cli/shard/shard.hpp"
#include "cli/trace_option.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/progress.hpp"
#include "tb/verify.hpp"
#include "tb/verify_trace.hpp"

namespace gm {
namespace {

struct VerifyArgs {
  SpecArgs designs;
  VerifyOptions opt;
  std::string rtl_dir, trace_dir;
  bool pairs_given = false, seed_given = false;
  bool json = false;
  std::string out;    // -o DIR: verify.json and report.md (verify_output.hpp)
  std::string shard;  // --shard I/N (cli/shard/shard.hpp), with -o
};

// The words of a command that verifies the same designs the same way (for the reproduce line).
std::vector<std::string> reproduce_words(const VerifyArgs& a) {
  std::vector<std::string> w = {"verify"};
  w.insert(w.end(), a.designs.specs.begin(), a.designs.specs.end());
  if (!a.designs.set.empty()) w.insert(w.end(), {"--set", a.designs.set});
  if (a.opt.sim != "verilator") w.insert(w.end(), {"--sim", a.opt.sim});
  if (!a.rtl_dir.empty()) w.insert(w.end(), {"--rtl-dir", a.rtl_dir});
  if (a.pairs_given) w.insert(w.end(), {"--pairs", std::to_string(a.opt.random_pairs)});
  if (a.seed_given) w.insert(w.end(), {"--seed", std::to_string(a.opt.seed)});
  return w;
}

// Traces the failing designs, or every design when none failed.
std::vector<VerifyTrace> trace_designs(const std::vector<VerifyResult>& results, const VerifyOptions& opt,
                                       const std::string& dir) {
  bool any_failed = false;
  for (const auto& r : results) any_failed |= !r.pass();
  std::vector<VerifyTrace> traces(results.size());
  for (size_t i = 0; i < results.size(); ++i)
    if (!any_failed || !results[i].pass()) traces[i] = trace_verify(results[i].spec, opt, dir);
  return traces;
}

int run_verify(const VerifyArgs& args) {
  VerifyOptions opt = args.opt;
  opt.rtl_dir = args.rtl_dir;
  const auto specs = expand_specs(args.designs.specs, args.designs.set);
  check_trace_dir(args.trace_dir);
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
  const auto traces = args.trace_dir.empty() ? std::vector<VerifyTrace>(results.size())
                                             : trace_designs(results, opt, args.trace_dir);
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : results) rows.push_back(verify_row(r));
  if (args.json) {
    nlohmann::json out = rows;
    for (size_t i = 0; i < results.size(); ++i)
      if (!traces[i].fst.empty())
        out[i]["trace"] = {{"fst", traces[i].fst.string()}, {"gtkw", traces[i].gtkw.string()},
                           {"traced_pairs", traces[i].traced}, {"failing_pairs", traces[i].failing}};
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << verify_text(rows, opt.sim, st.builds, st.cached_builds);
    for (const auto& t : traces)
      if (!t.fst.empty())
        std::cout << "  waveform " << t.fst.string() << ": " << t.traced << " pairs, " << t.failing
                  << " failing; view with gtkwave " << t.gtkw.string() << "\n";
  }
  if (shard.given)
    write_shard(args.out, "verify", shard, shard_args,
                {{"rows", rows}, {"builds", st.builds}, {"cached_builds", st.cached_builds}});
  else if (!args.out.empty())
    write_verify_outputs(args.out, rows, opt.sim);
  const int rc = verify_checks(rows).finish();
  if (rc != 0 && args.trace_dir.empty()) print_reproduce_line(reproduce_words(args));
  return rc;
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
              ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40))
              ->each([args](const std::string&) { args->pairs_given = true; });
          sub.add_option("--seed", args->opt.seed, "seed of the random pairs")
              ->each([args](const std::string&) { args->seed_given = true; });
          add_trace_option(sub, &args->trace_dir,
                           "each failing design around its first failing pairs (of every design when all pass; "
                           "simulated in Verilator)");
          sub.add_flag("--json", args->json, "print JSON");
          sub.add_option("-o,--out", args->out, "also write DIR/verify.json (what --json prints) and DIR/report.md");
          add_shard_option(sub, &args->shard);
          add_quiet_option(sub);
          return [=] { return run_verify(*args); };
        },
});

}  // namespace
}  // namespace gm
