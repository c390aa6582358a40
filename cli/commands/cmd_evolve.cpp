// greenmac evolve --w 8 --s 1 (--dist FILE [--stream FILE] | --model MODEL) [--dist-layer LAYER=FILE]...
//                 --bound METRIC=VALUE[,...]...
//                 [--seed-from SPEC] [--seconds T | --evaluations N] [--seed S] [--threads N] [--shard I/N] -o LIBDIR:
// multipliers evolved for a network's operands (cli/evolve/evolve.hpp), stored as `evo` designs.
// With --shard, one of N independent searches (cli/evolve/evolve_shard.hpp), joined by `greenmac merge`.
#include "cli/command.hpp"
#include "cli/quiet_option.hpp"
#include "models/progress.hpp"
#include "cli/evolve/evolve.hpp"
#include "cli/evolve/evolve_shard.hpp"
#include "cli/evolve/report.hpp"

namespace gm {
namespace {

struct EvolveArgs {
  EvolveOptions opt;
  int s = 1;
  std::string out;
  bool json = false, no_synth = false;
  std::string shard;  // "I/N" (cli/evolve/evolve_shard.hpp)
  std::string delay = "zero";
};

int run_evolve_command(EvolveArgs args) {
  args.opt.is_signed = args.s == 1;
  args.opt.out = args.out;
  args.opt.synth = !args.no_synth;
  evo::activity_delay_from_name(args.delay, args.opt.activity_delay);  // checked by the option
  Progress progress("evolve");
  args.opt.progress = &progress;
  if (!args.shard.empty()) {
    const int status = run_evolve_shard(args.opt, parse_shard(args.shard));
    progress.finish();
    return status;
  }
  const EvolveResult r = run_evolve(args.opt);
  progress.finish();
  return finish_evolve_report(r, args.opt.out, args.json);
}

const CommandRegistrar reg({
    .name = "evolve",
    .help = "evolve approximate multipliers for a network's operands (CGP), stored as evo designs in a library",
    .order = 55,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto a = std::make_shared<EvolveArgs>();
          sub.add_option("--w", a->opt.w, "operand width (2..8)")->default_val(8);
          sub.add_option("--s", a->s, "1: signed operands, 0: unsigned")->default_val(1)->check(CLI::IsMember({0, 1}));
          sub.add_option("--dist", a->opt.dist_file,
                         "operand histogram that weights the error: 'a b weight' lines (dnn eval --trace-dir writes one)");
          sub.add_option("--stream", a->opt.stream_file,
                         "operand sequence for the switching estimate, in order ('a b weight' lines, weights ignored); "
                         "default: 4096 pairs drawn from --dist");
          sub.add_option("--activity-model", a->delay,
                         "how the switching estimate counts transitions: zero (zero delay, no glitches) or unit "
                         "(every gate one step: glitches counted, about twice the evaluation time)")
              ->default_val("zero")
              ->check(CLI::IsMember({"zero", "unit"}));
          sub.add_option("--dist-layer", a->opt.dist_layers,
                         "LAYER=FILE, one per layer: every --bound must also hold under this layer's histogram "
                         "(dnn eval --trace-dir DIR --trace-layers writes them); with --dist or --model, where FILE may be "
                         "the word model: that layer's products in the same inference")
              ->allow_extra_args(false);
          sub.add_option("--model", a->opt.model,
                         "instead of --dist/--stream: the operands of this network (cnn, mlp or a model file) on the "
                         "first --images training images: every product's histogram and the stream of PE (0, 0) of an "
                         "8x8 array, kept in LIBDIR/operands.dist and .stream");
          sub.add_option("--images", a->opt.model_images, "with --model: training images run")
              ->default_val(2000)
              ->check(CLI::Range(1, 50000));
          sub.add_option("--data", a->opt.data_dir, "with --model: Fashion-MNIST directory");
          sub.add_option("--layer", a->opt.model_layer,
                         "with --model: one layer's operands only (names: dnn eval --list-layers), for a circuit "
                         "evolved for that layer");
          sub.add_option("--bound", a->opt.bounds,
                         "METRIC=VALUE[,...]: one circuit per --bound; metrics er, wmed, wmred, wce, bias, wmse; "
                         "wmed/wce/bias in products or % of 2^(2w), e.g. --bound wmed=0.05%")
              ->required();
          sub.add_option("--seed-from", a->opt.seed_from, "design the search starts from (default exact:w=W,s=S)");
          sub.add_option("--seconds", a->opt.seconds, "search time of the whole run, split between the bounds")
              ->default_val(60)
              ->check(CLI::Range(0.0, 1e7));
          sub.add_option("--evaluations", a->opt.evaluations,
                         "stop each bound's search after N candidates instead of a time (reproducible from --seed)");
          sub.add_option("--seed", a->opt.seed, "random seed")->default_val(1);
          sub.add_option("--threads", a->opt.threads, "candidates evaluated in parallel")
              ->default_val(1)
              ->check(CLI::Range(1, 64));
          sub.add_option("--lambda", a->opt.cgp.lambda, "offspring per generation")->default_val(4)->check(CLI::Range(1, 64));
          sub.add_option("--max-mutations", a->opt.cgp.max_mutations, "active genes changed per offspring, at most")
              ->default_val(5)
              ->check(CLI::Range(1, 1000));
          sub.add_option("--lib", a->opt.lib, "liberty of the cell costs and of the measurement: osu018 or a .lib path")
              ->default_val("osu018");
          sub.add_option("-o,--out", a->out, "library folder (ID.gmnet, ID.json per circuit; evolve.json, evolve.md)")
              ->required();
          sub.add_flag("--no-synth", a->no_synth, "skip the measurement of the stored circuits by greenmac synth");
          sub.add_flag("--json", a->json, "print the run as JSON");
          add_quiet_option(sub);
          add_shard_option(sub, &a->shard);  // shard I searches from --seed + I; merge keeps the cheapest
          return [=] { return run_evolve_command(*a); };
        },
});

}  // namespace
}  // namespace gm
