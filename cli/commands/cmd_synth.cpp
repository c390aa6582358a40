// greenmac synth SPEC... [--lib osu018|PATH.lib] [--clock-ns NS] [--activity uniform|FILE]
//                [--activity-model timed|zero] [-j N]
//                [--json|--csv] [-o DIR]: area, timing and power of each design in a standard-cell
// library (Yosys + OpenSTA), with switching activity from a gate-level simulation.
// greenmac synth --array RxC --mul SPEC [--mul-map FILE] [--acc-width N] [--zero-gate] [--gemm MxKxN]
//                [--seed S] ...: the same for a whole systolic array, with activity from a GEMM's streams
// (synth/array_synth.hpp).
// greenmac synth SPEC... --shard I/N -o DIR: only the I-th of N shares of the designs, into DIR/shards;
// `greenmac merge DIR` writes DIR/synth.json and synth.csv (cli/shard/synth_shard.hpp).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/array_args.hpp"
#include "cli/report/index_html.hpp"
#include "synth/array_synth.hpp"
#include "models/checks.hpp"
#include "cli/command.hpp"
#include "cli/quiet_option.hpp"
#include "models/progress.hpp"
#include "cli/shard/synth_shard.hpp"
#include "models/files.hpp"
#include "synth/mult_synth.hpp"

namespace gm {
namespace {

// The array options shared by `synth` and `characterize` (declared in array_synth.hpp).
struct SynthArgs {
  SpecArgs designs;
  ArrayArgs array;
  SynthOptions opt;
  std::string out_dir;
  bool json = false, csv = false;
  std::string shard;  // --shard I/N, "" when not given
};

int run_synth_array(const SynthArgs& args) {
  if (!args.shard.empty())
    throw UserError("--shard does not apply to an array synthesis (--array --mul): it is one design; shard a "
                    "list of SPECs instead");
  const ArrayConfig cfg = args.array.config();
  const GemmProblem gemm = args.array.gemm(args.opt.seed);
  Progress progress("synth");
  progress.stage("synth", 1, "arrays");
  progress.begin(cfg.canonical());
  const ArraySynthResult r = synth_array(cfg, gemm, args.array.options(args.opt, args.out_dir));
  progress.end(cfg.canonical());
  progress.finish();
  const nlohmann::json j = nlohmann::json::array({array_synth_json(r)});
  if (!args.out_dir.empty()) {
    write_file_atomic(std::filesystem::path(args.out_dir) / "synth.json", j.dump(2) + "\n");
    write_file_atomic(std::filesystem::path(args.out_dir) / "synth.csv", array_synth_csv({r}));
    write_index_html(args.out_dir);
  }
  if (args.json) {
    std::cout << j.dump(2) << "\n";
  } else if (args.csv) {
    std::cout << array_synth_csv({r});
  } else {
    std::cout << array_synth_table({r});
    std::cout << (r.cached ? "0 synthesized, 1 from the cache\n" : "1 synthesized, 0 from the cache\n");
  }
  CheckLog checks;
  checks.expect(r.netlist_matches_model, "synth: the mapped netlist of " + r.name +
                                             " does not reproduce the golden GEMM and the cycle model (run `greenmac gemm`)");
  return checks.finish();
}

int run_synth(const SynthArgs& args) {
  if (args.array.given(args.designs)) return run_synth_array(args);
  SynthOptions opt = args.opt;
  opt.keep_dir = args.out_dir;
  const auto specs = expand_specs(args.designs.specs, args.designs.set);
  if (specs.empty()) throw UserError("no designs given; name SPECs or use --set default");
  if (!args.shard.empty()) {
    const Shard shard = parse_shard(args.shard);
    if (args.out_dir.empty()) throw UserError("--shard needs -o DIR (the shards' results go to DIR/shards)");
    if (args.json || args.csv)
      throw UserError("--json and --csv print all the designs, which a --shard run does not have; drop them "
                      "(greenmac merge writes synth.json and synth.csv)");
    return run_synth_shard(specs, opt, shard);  // its designs only, no synth.json
  }
  SynthStats st;
  Progress progress("synth");
  opt.progress = &progress;
  const auto results = synth_designs(specs, opt, &st);
  progress.finish();
  nlohmann::json j = nlohmann::json::array();
  for (const auto& r : results) j.push_back(synth_result_json(r));
  if (!args.out_dir.empty()) write_synth_files(args.out_dir, results);
  if (args.json) {
    std::cout << j.dump(2) << "\n";
  } else if (args.csv) {
    std::cout << synth_csv(results);
  } else {
    std::cout << synth_table(results);
    std::cout << st.synthesized << " synthesized, " << st.cached << " from the cache\n";
  }
  return synth_checks(results).finish();
}

const CommandRegistrar reg({
    .name = "synth",
    .help = "synthesize each design with input/output registers onto a standard-cell library (Yosys, OpenSTA): "
            "area, critical path, fmax, power (vectorless and from simulated switching activity)",
    .order = 60,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto args = std::make_shared<SynthArgs>();
          args->designs.add_to(sub);
          sub.add_option("--lib", args->opt.lib, "Liberty library: osu018 (qflow-tech-osu018) or PATH.lib");
          sub.add_option("--clock-ns", args->opt.clock_ns, "clock period in ns for slack and power (default 10)");
          sub.add_option("--activity", args->opt.activity,
                         "operand stream for the switching activity: uniform (random pairs) or an operand-pair "
                         "file (\"a b weight\" lines, as `metrics --dist`)");
          sub.add_option("--cycles", args->opt.cycles, "simulated clock cycles for the activity (default 20000)")
              ->check(CLI::Range(uint64_t{2}, uint64_t{100'000'000}));
          sub.add_option("--activity-model", args->opt.activity_model,
                         "how the gate-level simulation counts transitions: timed (default: event-driven with "
                         "OpenSTA's SDF delays, glitches counted) or zero (zero-delay, no glitches)");
          sub.add_option("--seed", args->opt.seed, "seed of the operand stream (with --array: of the random GEMM)");
          args->array.add_to(sub);
          sub.add_option("-j,--jobs", args->opt.jobs, "designs run in parallel (default 2)");
          auto* json = sub.add_flag("--json", args->json, "print JSON");
          sub.add_flag("--csv", args->csv, "print CSV, one row per design")->excludes(json);
          sub.add_option("-o,--out", args->out_dir,
                         "keep netlists, scripts and reports in DIR/<name>/, plus DIR/synth.json and DIR/synth.csv");
          add_quiet_option(sub);
          add_shard_option(sub, &args->shard);
          return [=] { return run_synth(*args); };
        },
});

}  // namespace
}  // namespace gm
