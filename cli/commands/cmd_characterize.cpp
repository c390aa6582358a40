// greenmac characterize SPEC...: error metrics and synthesis side by side, ratios against exact and
// yosys, report.md / report.json / results.csv and Pareto plots in -o DIR.
// greenmac characterize --array RxC --mul SPEC ...: one whole array beside the same array with exact
// multipliers (synth/array_synth.hpp). --mul selects this mode.
// greenmac characterize SPEC... --dnn --array RxC [--images N] [--sim-images M] [--mem-energy FILE]:
// whole inferences of each design on the RxC array, energy per inference with compute (measured on
// the netlist) and storage (table estimate) apart, per layer (cli/report/inference_report.hpp); the
// same array is the one of --rtl-images and of the weight-stationary PE stream.
// ... --dnn --mul-layer LAYER=SPEC... [--mul-map FILE]: one more row, the network with a multiplier per
// conv/fc layer (models/dnn/layer_multipliers.hpp): its accuracy and agreement and, with --array,
// whole inferences with each layer on an array of its own multiplier. With --dnn, --mul-map is the
// layers' map; with --array --mul, the array's per-PE map.
// ... --shard I/N -o DIR: only the I-th of N shares of the rows, into DIR/shards; `greenmac merge DIR`
// writes the report (cli/shard/characterize_shard.hpp).
#include <iostream>
#include <tuple>

#include "generator/array/array.hpp"
#include "cli/array_args.hpp"
#include "cli/report/array_characterize.hpp"
#include "synth/array_synth.hpp"
#include "cli/report/characterize.hpp"
#include "cli/command.hpp"
#include "cli/quiet_option.hpp"
#include "cli/shard/characterize_shard.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "models/energy/mem_energy.hpp"
#include "models/files.hpp"
#include "models/progress.hpp"

namespace gm {
namespace {

struct CharArgs {
  SpecArgs designs;
  CharOptions opt;
  std::string out = "out/characterize";
  std::string dist;
  std::string array = "8x8";
  const CLI::Option* array_given = nullptr;  // --array on the command line (not its default)
  const CLI::Option* sim_images_given = nullptr;
  std::string mem_energy;
  std::string energy_array;
  std::string dnn_stream;  // --dnn-stream, "" when not given
  ArrayArgs array_mode;  // --mul, --mul-map, --acc-width, --zero-gate, --gemm (its --array is `array`)
  std::vector<std::string> mul_layers;  // --mul-layer LAYER=SPEC, one per option (with --dnn)
  bool json = false;
  std::string shard;  // --shard I/N, "" when not given
};

int run_characterize_array(const CharArgs& args) {
  if (!args.shard.empty())
    throw UserError("--shard does not apply to an array characterization (--mul): it is one design; shard a "
                    "sweep of SPECs instead");
  if (args.opt.dnn.enabled || !args.dist.empty() || args.opt.dnn.rtl_images > 0 || !args.mem_energy.empty() ||
      args.sim_images_given->count() > 0 || !args.mul_layers.empty())
    throw UserError("--dnn, --mul-layer, --rtl-images, --sim-images, --mem-energy and --dist do not apply to an array "
                    "characterization (--mul)");
  ArrayArgs a = args.array_mode;
  a.array = args.array;
  a.given(args.designs);  // rejects SPEC... with --mul
  const ArrayConfig cfg = a.config();
  const GemmProblem gemm = a.gemm(args.opt.synth.seed);
  ensure_output_dir(args.out);  // fail before the synthesis, not after
  Progress progress("characterize");
  progress.stage("array", 1, "arrays");  // the array and its exact twin: one step
  progress.begin(cfg.canonical());
  const ArrayCharReport rep = characterize_array(cfg, gemm, a.options(args.opt.synth, ""));
  progress.end(cfg.canonical());
  progress.finish();
  write_array_characterization(rep, args.out);
  if (args.json) {
    std::cout << array_char_json(rep).dump(2) << "\n";
  } else {
    std::cout << array_synth_table({rep.array, rep.exact});
    std::cout << "vs exact: area " << rep.vs_exact.area << ", delay " << rep.vs_exact.delay << ", power "
              << rep.vs_exact.power << ", energy/MAC " << rep.vs_exact.energy << "; report in " << args.out
              << "/report.md\n";
  }
  return array_char_checks(rep).finish();
}

int run_characterize(const CharArgs& args) {
  if (!args.array_mode.mul.empty()) return run_characterize_array(args);
  const Shard shard = args.shard.empty() ? Shard{} : parse_shard(args.shard);
  if (shard.given && args.json)
    throw UserError("--json prints the report's rows, which a --shard run does not make; drop --json (greenmac "
                    "merge writes report.json)");
  CharOptions opt = args.opt;
  ArrayArgs array_opts = args.array_mode;
  if (!args.mul_layers.empty() || !array_opts.mul_map.empty()) {
    if (!opt.dnn.enabled)
      throw UserError("--mul-layer and --mul-map need --dnn (a multiplier per layer of the network; --mul-map "
                      "with --array RxC --mul SPEC is the array's per-PE map)");
    opt.dnn.layers = dnn::layer_multipliers_from_options(args.mul_layers, array_opts.mul_map);
    array_opts.mul_map.clear();  // the layers' map, not the array's
  }
  array_opts.given(args.designs);  // array options without --mul are an error
  opt.out_dir = args.out;
  if (opt.dnn.rtl_images > 0 && !opt.dnn.enabled)
    throw UserError("--rtl-images needs --dnn (it runs the network on the array)");
  if (opt.dnn.enabled && !args.dist.empty())
    throw UserError("--dist and --dnn both weight the metrics; give one of them");
  std::tie(opt.dnn.rows, opt.dnn.cols) = parse_array_dims(args.array);
  opt.dnn.inference = args.array_given->count() > 0 && opt.dnn.sim_images > 0;
  if (args.array_given->count() > 0 && !opt.dnn.enabled)
    throw UserError("--array needs --dnn (whole inferences of the network on the array) or --mul (an array "
                    "characterization)");
  if (args.sim_images_given->count() > 0 && args.array_given->count() == 0)
    throw UserError("--sim-images needs --dnn --array RxC (the images simulated on the array)");
  if (!args.mem_energy.empty()) {
    if (!opt.dnn.inference) throw UserError("--mem-energy needs --dnn --array RxC (the storage of whole inferences)");
    opt.dnn.mem = energy::load_mem_energy(args.mem_energy);  // a bad file fails before any synthesis
  }
  if (!args.dnn_stream.empty()) {
    if (!opt.dnn.enabled) throw UserError("--dnn-stream needs --dnn (it chooses the network's operand stream)");
    opt.dnn.stream = args.dnn_stream;
  }
  if (!args.energy_array.empty()) {
    if (!opt.dnn.enabled) throw UserError("--array-energy needs --dnn (it simulates the network's own operands)");
    std::tie(opt.dnn.energy_rows, opt.dnn.energy_cols) = parse_array_dims(args.energy_array);
  }
  const auto specs = expand_specs(args.designs.specs, args.designs.set);
  Distribution dist;
  if (!args.dist.empty()) {
    dist = parse_distribution(read_file(args.dist), args.dist);
    opt.dist = &dist;
  }
  // An unknown layer, or a narrow multiplier on a layer whose operands do not fit it: before any output.
  if (opt.dnn.layers) opt.dnn.layers->resolve(load_dnn_model(opt.dnn.model));
  ensure_output_dir(opt.out_dir);  // fail before hours of synthesis, not after
  Progress progress("characterize");
  opt.synth.progress = &progress;
  if (shard.given) {  // its rows only, no report
    const int status = run_characterize_shard(specs, opt, shard);
    progress.finish();
    return status;
  }
  const auto rows = characterize(specs, opt);
  progress.finish();
  write_characterization(rows, opt);
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) out.push_back(char_row_json(r));
    std::cout << out.dump(2) << "\n";
  } else {
    for (const auto& r : rows)
      if (r.has_inference)
        std::cout << r.name() << " on " << r.inference.array << ": " << r.inference.energy_nj
                  << " nJ per inference (+- " << r.inference.energy_ci_nj << ", 95 %; compute " << r.inference.energy_compute_nj
                  << " nJ measured, storage " << r.inference.energy_storage_nj << " nJ table estimate), "
                  << r.inference.compute.images_simulated << " images\n";
    const size_t designs = rows.size() - (opt.dnn.layers ? 1 : 0);
    std::cout << "characterized " << designs << " designs (" << specs.size() << " asked, " << designs - specs.size()
              << " baselines added)"
              << (opt.dnn.layers ? " and the per-layer configuration " + rows.back().name() : std::string())
              << "; report in " << opt.out_dir.string() << "/report.md\n";
  }
  return characterize_checks(rows).finish();
}

const CommandRegistrar reg({
    .name = "characterize",
    .help = "error metrics and synthesis (area, delay, power, energy) per design, with ratios against exact "
            "and yosys, report.md/json, results.csv and Pareto plots",
    .order = 60,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto args = std::make_shared<CharArgs>();
          args->designs.add_to(sub);
          sub.add_option("--lib", args->opt.synth.lib, "liberty: osu018 or the path of a .lib file");
          sub.add_option("--clock-ns", args->opt.synth.clock_ns, "clock period for timing and power (0.01..1000)")
              ->check(CLI::Range(0.01, 1000.0));
          sub.add_option("--activity", args->opt.synth.activity,
                         "operand stream for the power simulation: uniform, or an operand-pair file (a b weight)");
          sub.add_option("--dist", args->dist, "weight the error metrics by an operand-pair file (a b weight)");
          sub.add_option("-j,--jobs", args->opt.synth.jobs, "designs synthesized (and with --array simulated) in parallel; the results do not depend on it")->check(CLI::Range(1, 64));
          sub.add_option("-o,--out", args->out, "report directory (default out/characterize)");
          sub.add_flag("--dnn", args->opt.dnn.enabled,
                       "add the Fashion-MNIST accuracy; weight the metrics and drive the power simulation with the "
                       "operands the network's multipliers see (8-bit signed designs)");
          sub.add_option("--model", args->opt.dnn.model, "with --dnn: cnn, mlp or a model file");
          sub.add_option("--images", args->opt.dnn.images, "with --dnn: first N test images (default all)");
          sub.add_option("--dnn-stream", args->dnn_stream,
                         "with --dnn: operand stream of the power simulation: ws (the weight-stationary stream of PE "
                         "(0,0) of the --array array, default) or random (pairs drawn at random from the trace, for "
                         "comparison)")
              ->check(CLI::IsMember({"ws", "random"}));
          sub.add_option("--data", args->opt.dnn.data_dir, "with --dnn: Fashion-MNIST directory");
          sub.add_option("--rtl-images", args->opt.dnn.rtl_images,
                         "with --dnn: also run N images per design on the Verilated array and check the logits");
          args->array_given =
              sub.add_option("--array", args->array,
                             "with --dnn: whole inferences on an RxC array (energy per inference, compute measured "
                             "and storage estimated), also the array of --rtl-images and of the PE stream; with "
                             "--mul: the array characterized")
                  ->capture_default_str();
          args->sim_images_given =
              sub.add_option("--sim-images", args->opt.dnn.sim_images,
                             "with --dnn --array: images simulated on the array netlist, each a whole inference "
                             "(at most --images; 0: no whole inferences)")
                  ->capture_default_str();
          sub.add_option("--mem-energy", args->mem_energy,
                         "with --dnn --array: energy-per-access table (JSON, docs/energy.md) for the storage estimate");
          sub.add_option("--seed", args->opt.synth.seed, "seed of the operand stream (with --mul: of the GEMM)");
          args->array_mode.add_to(sub, false);
          sub.add_option("--mul-layer", args->mul_layers,
                         "with --dnn: LAYER=SPEC, one per option: one more row, the network with this layer's "
                         "products from SPEC (default=SPEC for the layers not named, else exact:s=1; `dnn eval "
                         "--list-layers` names the layers): its accuracy and agreement with exact and, with --array "
                         "--sim-images, whole inferences with each layer on an array of its own multiplier; no error "
                         "metrics or synthesis (they are per multiplier)")
              ->allow_extra_args(false);
          sub.get_option("--mul-map")
              ->description("with --dnn: file of `LAYER SPEC` lines (`default SPEC`, # comments): per-layer "
                            "multipliers, as --mul-layer; with --array --mul: per-row/column/PE multipliers "
                            "(docs/array.md)");
          sub.add_option("--array-energy", args->energy_array,
                         "with --dnn: the OLD array energy estimate (before --array's whole inferences): an RxC "
                         "array of each design simulated on a few rows of the network's largest layer");
          sub.add_flag("--json", args->json, "also print the rows as JSON");
          add_quiet_option(sub);
          add_shard_option(sub, &args->shard);
          return [=] { return run_characterize(*args); };
        },
});

}  // namespace
}  // namespace gm
