// greenmac dnn eval --mul SPEC... [--mul-layer LAYER=SPEC]... [--mul-map FILE] [--model cnn|mlp|FILE] [--images N]
//                   [--split test|val] [--json] [--data DIR] [--trace-dir DIR [--trace-layers]]
// greenmac dnn eval --list-layers [--model cnn|mlp|FILE] [--json]                         (dnn_layers.cpp)
// greenmac dnn sensitivity --mul SPEC... [--model] [--images N] [--split] [--json] [-o FILE.csv] (dnn_layers.cpp)
// greenmac dnn tune --mul-layer LAYER=SPEC... [--calib-images N] -o MODEL.json (dnn_tune.cpp)
// greenmac dnn rtl --array RxC --mul SPEC [--images N] [--mul-model gates|lut] [--mul-rtl FILE] [--json]
// greenmac dnn rtl --array RxC --mul-layer LAYER=SPEC... [--mul-map FILE] ...: each layer on an array of its own multiplier
// greenmac dnn storage --array RxC [--model cnn] [--images N] [--mem-energy FILE] [--json] (dnn_storage.cpp)
// greenmac train --model cnn|mlp [--epochs N] [--seed S] -o FILE
//
// dnn eval: int8 inference of the quantized Fashion-MNIST network (docs/dnn.md) with every product
// taken from the multiplier's product table (a = activation, b = weight), side by side with the float
// accuracy stored in the model file and the int8-exact network (exact:s=1). --mul-layer / --mul-map
// add one row: the network with a multiplier per layer (models/dnn/layer_multipliers.hpp).
// train: runs greenmac-train (built beside greenmac when libtorch is available).
#include <csignal>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <tuple>
#include <nlohmann/json.hpp>

#include "cli/array_args.hpp"
#include "cli/command.hpp"
#include "cli/quiet_option.hpp"
#include "models/progress.hpp"
#include "cli/train_binary.hpp"
#include "cli/commands/dnn_layers.hpp"
#include "cli/commands/dnn_tune.hpp"
#include "cli/commands/dnn_storage.hpp"
#include "tb/dnn_on_rtl.hpp"
#include "tb/pe_multiplier.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "models/files.hpp"

namespace gm {
namespace {
namespace fs = std::filesystem;

struct EvalArgs {
  std::vector<std::string> muls;
  std::vector<std::string> mul_layers;  // LAYER=SPEC, one per option
  std::string mul_map;
  bool list_layers = false;
  std::string split = "test";
  std::string model = "cnn";
  size_t images = 0;
  bool json = false;
  std::string data;
  std::string trace_dir;
  bool trace_layers = false;
  size_t batch = 500;
};

std::string percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100 * v);
  return buf;
}

std::string points(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.2f", 100 * v);
  return buf;
}

int run_eval(const EvalArgs& args) {
  if (args.list_layers) return print_layer_list(args.model, args.json);
  DnnEvalOptions opt;
  opt.model = args.model;
  opt.split = parse_dnn_split(args.split);
  if (!args.mul_layers.empty() || !args.mul_map.empty())
    opt.layers = dnn::layer_multipliers_from_options(args.mul_layers, args.mul_map);
  opt.images = args.images;
  opt.data_dir = args.data;
  opt.trace_dir = args.trace_dir;
  opt.trace_layers = args.trace_layers;
  opt.batch = args.batch;
  for (const auto& m : args.muls) opt.specs.push_back(parse_spec(m));
  Progress progress("dnn eval");
  opt.progress = &progress;
  const DnnEvalReport rep = dnn_eval(opt);
  progress.finish();
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rep.rows) {
      nlohmann::json j = {{"spec", r.spec},
                          {"model", rep.model},
                          {"split", rep.split},
                          {"images", rep.images},
                          {"accuracy", r.accuracy},
                          {"float_accuracy", rep.float_accuracy},
                          {"float_images", rep.float_images},
                          {"macs_per_image", rep.macs_per_image},
                          {"agreement_with_exact", r.agreement},
                          {"seconds", r.seconds}};
      if (!r.histogram_file.empty()) j["trace"] = {{"histogram", r.histogram_file}, {"stream", r.stream_file}};
      if (!r.layer_histogram_files.empty()) {
        j["layer_histograms"] = nlohmann::json::object();  // layer name -> its histogram file
        for (const auto& [layer, file] : r.layer_histogram_files) j["layer_histograms"][layer] = file;
      }
      if (!r.layers.empty()) {
        j["layers"] = nlohmann::json::object();
        for (const auto& [layer, spec] : r.layers) j["layers"][layer] = spec;
      }
      out.push_back(j);
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("model %s (%s): %lld MACs/image, %zu %s images, golden product-table inference\n", rep.model.c_str(),
              rep.model_file.c_str(), static_cast<long long>(rep.macs_per_image), rep.images, rep.split.c_str());
  int width = 34;  // a per-layer row is named by its canonical text, which is longer
  for (const auto& r : rep.rows) width = std::max(width, static_cast<int>(r.spec.size()));
  std::printf("%-*s %9s %9s %10s %9s\n", width, "multiplier", "accuracy", "vs float", "vs exact", "agree");
  std::printf("%-*s %9s %9s %10s %9s   (libtorch, %lld test images, from the model file)\n", width, "float",
              percent(rep.float_accuracy).c_str(), "", "", "", static_cast<long long>(rep.float_images));
  const double exact_acc = rep.rows.front().accuracy;
  for (const auto& r : rep.rows)
    std::printf("%-*s %9s %9s %10s %9s\n", width, r.spec.c_str(), percent(r.accuracy).c_str(),
                points(r.accuracy - rep.float_accuracy).c_str(), points(r.accuracy - exact_acc).c_str(),
                percent(r.agreement).c_str());
  if (!args.trace_dir.empty()) std::printf("operand traces in %s\n", args.trace_dir.c_str());
  return 0;
}

struct TrainArgs {
  std::string model = "cnn", output, data;
  int epochs = 0;
  uint64_t seed = 1;
  size_t calib = 2000;
  int threads = 1;
  // Fine-tuning (models/dnn/train/finetune.hpp): passed to greenmac-train as given, which checks them.
  std::string finetune, mul_map, prune_mode, lr, prune, train_images, val_images, test_images, min_epoch;
  std::vector<std::string> mul_layers;
  bool json = false;
};

int run_train(const TrainArgs& a) {
  const fs::path bin = require_train_binary();
  std::vector<std::string> argv = {bin.string(), "--model", a.model, "--seed", std::to_string(a.seed),
                                   "--calib", std::to_string(a.calib), "--threads", std::to_string(a.threads),
                                   "-o", a.output};
  if (a.epochs) argv.insert(argv.end(), {"--epochs", std::to_string(a.epochs)});
  if (!a.data.empty()) argv.insert(argv.end(), {"--data", a.data});
  const std::pair<const char*, const std::string*> passed[] = {
      {"--finetune", &a.finetune},         {"--mul-map", &a.mul_map},          {"--prune", &a.prune},
      {"--prune-mode", &a.prune_mode},     {"--lr", &a.lr},                    {"--train-images", &a.train_images},
      {"--val-images", &a.val_images},     {"--test-images", &a.test_images},  {"--min-epoch", &a.min_epoch}};
  for (const auto& [flag, value] : passed)
    if (!value->empty()) argv.insert(argv.end(), {flag, *value});
  for (const auto& m : a.mul_layers) argv.insert(argv.end(), {"--mul-layer", m});
  if (a.json) argv.push_back("--json");
  // The trainer reports its epochs itself (greenmac: train: ...); --quiet before or after `train`
  // reaches it here (GREENMAC_PROGRESS=0 reaches it through the environment).
  if (!stderr_progress_output().enabled) argv.push_back("--quiet");
  std::vector<char*> cargv;
  for (auto& s : argv) cargv.push_back(s.data());
  cargv.push_back(nullptr);
  std::cout.flush();
  // The trainer replaces greenmac: it gets the default signal handling back (greenmac blocks
  // SIGINT/SIGTERM/SIGHUP for its interrupt thread, and a blocked mask survives exec).
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, nullptr);
  execv(bin.c_str(), cargv.data());
  throw UserError("cannot run '" + bin.string() + "'");
}

struct RtlArgs {
  DnnRtlOptions opt;
  NetworkRunArgs run;  // --array --mul --model --images --data --json
  std::string mul_model = "gates";
  std::vector<std::string> mul_layers;  // LAYER=SPEC, one per option
  std::string mul_map;
};

int run_rtl(const RtlArgs& a) {
  DnnRtlOptions opt = a.opt;
  if (!a.mul_layers.empty() || !a.mul_map.empty())
    opt.layers = dnn::layer_multipliers_from_options(a.mul_layers, a.mul_map);
  else
    opt.mul = parse_spec(a.run.mul);
  std::tie(opt.rows, opt.cols) = a.run.dims();
  opt.model = a.run.model, opt.images = a.run.images, opt.data_dir = a.run.data;
  opt.mul_model = parse_mul_model(a.mul_model);
  Progress progress("dnn rtl");
  opt.progress = &progress;
  const DnnRtlReport r = dnn_rtl(opt);
  progress.finish();
  if (a.run.json) {
    nlohmann::json j = {{"spec", r.spec},     {"array", r.array},         {"images", r.images},
                        {"accuracy", r.accuracy}, {"mismatches", r.mismatches}, {"cycles", r.cycles},
                        {"cycles_model", r.cycles_model}, {"model", r.model}, {"macs", r.macs},
                        {"golden_accuracy", r.golden_accuracy}, {"seconds", r.seconds}};
    j["name"] = r.name;  // the design's name, or gm_layers_<hash> of a per-layer configuration
    j["acc_depth"] = r.acc_depth;
    j["mul_model"] = r.mul_model;
    j["mul_verified_pairs"] = r.mul_verified_pairs;
    j["harness"] = r.profile_guided ? "profile-guided" : "plain";
    j["build_seconds"] = r.build_seconds;
    j["sim_cpu_seconds"] = r.sim_cpu_seconds;
    if (!r.mul_rtl.empty()) j["mul_rtl"] = r.mul_rtl;
    if (!r.mul_failure.empty()) j["mul_failure"] = r.mul_failure;
    j["layer_mismatches"] = r.layer_mismatches;
    j["layers"] = nlohmann::json::array();  // the per-layer checks (an array since before per-layer multipliers)
    j["layer_specs"] = nlohmann::json::object();  // layer name -> the multiplier of its array
    for (const DnnLayerCheck& l : r.layers) {
      j["layers"].push_back({{"layer", l.layer}, {"name", l.name}, {"spec", l.spec}, {"outputs", l.outputs},
                             {"mismatches", l.mismatches}, {"cycles", l.cycles}, {"cycles_model", l.cycles_model}});
      j["layer_specs"][l.name] = l.spec;
    }
    std::cout << j.dump(2) << "\n";
  } else if (!r.mul_failure.empty()) {
    std::cout << r.name << " on a " << r.array << " array: nothing run, the multiplier RTL failed verification\n";
  } else {
    std::cout << r.name << " on a " << r.array << " array, " << r.model << ", " << r.images << " images\n";
    if (r.per_layer) std::cout << "  per layer       each layer on a " << r.array << " array of its own multiplier: " << r.spec << "\n";
    const std::string rtl = r.mul_rtl.empty() ? "the generated RTL" : r.mul_rtl;
    if (r.mul_model == "gates")
      std::cout << "  PE multipliers  gates: " << rtl << " simulated in every PE\n";
    else
      std::cout << "  PE multipliers  lut: lookup tables of the model, " << rtl << " verified equal on all "
                << r.mul_verified_pairs << " operand pairs\n";
    std::cout << "  accuracy        " << percent(r.accuracy) << " (golden " << percent(r.golden_accuracy) << ")\n";
    std::cout << "  logit mismatches " << r.mismatches << " (against the golden inference)\n";
    std::cout << "  layer outputs   " << r.layer_mismatches << " mismatches (each conv/fc layer's int8 outputs from "
              << "the array's output stage, D=" << r.acc_depth << ", against the golden layer)\n";
    for (const DnnLayerCheck& l : r.layers)
      std::cout << "    " << l.name << " (" << l.layer << ") on " << l.spec << ": " << l.mismatches << " of " << l.outputs << " differ, " << l.cycles
                << " cycles (model " << l.cycles_model << ")\n";
    std::cout << "  cycles          " << r.cycles << " (cycle model " << r.cycles_model << ")\n";
    std::cout << "  MACs            " << r.macs << "; " << r.seconds << " s wall, " << r.sim_cpu_seconds
              << " s simulation CPU; harness " << (r.profile_guided ? "profile-guided" : "plain") << ", built in "
              << r.build_seconds << " s (0: cached)\n";
  }
  CheckLog checks;
  check_dnn_rtl("dnn rtl", r, checks);
  return checks.finish();
}

const CommandRegistrar reg_dnn({
    .name = "dnn",
    .help = "int8 DNN inference on Fashion-MNIST with every product through a multiplier model",
    .order = 70,
    .setup =
        [](CLI::App& sub) -> RunFn {
          sub.require_subcommand(1);
          auto args = std::make_shared<EvalArgs>();
          CLI::App* ev = sub.add_subcommand(
              "eval", "accuracy of the quantized network with each multiplier (a = activation, b = weight), "
                      "beside float and int8-exact");
          ev->add_option("--mul", args->muls, "multiplier specs (8-bit signed), e.g. drum:k=4,s=1")->expected(1, -1);
          ev->add_option("--mul-layer", args->mul_layers,
                         "LAYER=SPEC: one layer's multiplier, one option per layer (specs contain commas), e.g. "
                         "--mul-layer conv1=drum:k=4,s=1; default=SPEC for the layers not named (else exact:s=1). "
                         "Adds one row: the network with these multipliers")
              ->allow_extra_args(false);
          ev->add_option("--mul-map", args->mul_map,
                         "file of `LAYER SPEC` lines (`default SPEC`, # comments): per-layer multipliers, as --mul-layer");
          auto* list = ev->add_flag("--list-layers", args->list_layers,
                                    "list the model's conv/fc layers (names for --mul-layer, K, N, MACs) and run nothing");
          list->excludes(ev->get_option("--mul"))->excludes(ev->get_option("--mul-layer"))->excludes(ev->get_option("--mul-map"));
          ev->add_option("--split", args->split,
                         "test: the 10,000 test images; val: the last 10,000 training images (docs/dnn.md)")
              ->check(CLI::IsMember({"test", "val"}))
              ->capture_default_str();
          ev->add_option("--model", args->model, "cnn, mlp (the shipped models/dnn/weights/*.json) or a model file")
              ->capture_default_str();
          ev->add_option("--images", args->images, "first N images of the split (default all 10,000)")->check(CLI::Range(1, 1000000));
          ev->add_option("--data", args->data,
                         "Fashion-MNIST directory (default $GREENMAC_FASHION_MNIST or /usr/share/datasets/fashion-mnist)");
          ev->add_option("--trace-dir", args->trace_dir,
                         "write each multiplier's operand-pair histogram and a sampled operand stream here");
          ev->add_flag("--trace-layers", args->trace_layers,
                       "with --trace-dir: also each conv/fc layer's operand-pair histogram, "
                       "DIR/MULTIPLIER_MODEL_LAYER.dist (layer names as --list-layers)");
          ev->add_option("--batch", args->batch, "images per GEMM call")->check(CLI::Range(1, 100000))->capture_default_str();
          ev->add_flag("--json", args->json, "print JSON");
          add_quiet_option(*ev);

          auto rargs = std::make_shared<RtlArgs>();
          CLI::App* rt = sub.add_subcommand(
              "rtl", "the same int8 inference with every conv and fc layer on the Verilated systolic array; logits "
                     "checked bit for bit against the golden inference");
          rargs->run.images = rargs->opt.images;
          rargs->run.add_to(*rt, "multiplier spec (8-bit signed)");
          rt->add_option("--batch", rargs->opt.batch, "images per GEMM (one simulator run per layer and batch)")
              ->check(CLI::Range(1, 10000))
              ->capture_default_str();
          rt->add_option("-j,--jobs", rargs->opt.jobs,
                         "batches simulated at once, one simulator process each (default: one per core); the "
                         "results and cycle counts do not depend on it")
              ->check(CLI::Range(1, 256));
          rt->add_option("--acc-depth", rargs->opt.acc_depth, "accumulator entries per column D (default R + C)")
              ->check(CLI::Range(1, 4096));
          rt->add_option("--mul-model", rargs->mul_model,
                         "PE multipliers: gates (the multiplier's RTL in every PE) or lut (lookup tables of the model, "
                         "after verifying the RTL against it on every operand pair)")
              ->capture_default_str();
          auto* rt_layer = rt->add_option(
              "--mul-layer", rargs->mul_layers,
              "LAYER=SPEC: run this layer on an array of this multiplier, one option per layer (default=SPEC for "
              "the layers not named, else exact:s=1); instead of --mul. Checked against the golden per-layer "
              "inference");
          rt_layer->allow_extra_args(false);
          auto* rt_map = rt->add_option("--mul-map", rargs->mul_map,
                                        "file of `LAYER SPEC` lines (`default SPEC`, # comments): per-layer "
                                        "multipliers, as --mul-layer");
          rt->get_option("--mul")->excludes(rt_layer)->excludes(rt_map);
          add_quiet_option(*rt);
          rt->add_option("--mul-rtl", rargs->opt.mul_rtl,
                         "Verilog file to use as the PE multiplier instead of the generated RTL (must define the "
                         "spec's module with ports a_i, b_i, y_o); the spec's model stays the oracle");
          const RunFn storage = add_dnn_storage(sub);
          CLI::App* st = sub.get_subcommand("storage");
          const RunFn sensitivity = add_dnn_sensitivity(sub);
          CLI::App* se = sub.get_subcommand("sensitivity");
          const RunFn tune = add_dnn_tune(sub);
          return [=] {
            if (rt->parsed()) return run_rtl(*rargs);
            if (ev->parsed()) return run_eval(*args);
            if (st->parsed()) return storage();
            if (se->parsed()) return sensitivity();
            return tune();
          };
        },
});

const CommandRegistrar reg_train({
    .name = "train",
    .help = "train and int8-quantize the Fashion-MNIST network with libtorch (runs greenmac-train)",
    .order = 71,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto a = std::make_shared<TrainArgs>();
          sub.add_option("--model", a->model, "network")->check(CLI::IsMember({"cnn", "mlp"}))->capture_default_str();
          sub.add_option("--epochs", a->epochs, "training epochs (default: cnn 20, mlp 10)")->check(CLI::Range(1, 1000));
          sub.add_option("--seed", a->seed, "seed of the initial weights and the batch order")->capture_default_str();
          sub.add_option("--calib", a->calib, "training images that calibrate the activation scales")
              ->check(CLI::Range(1, 60000))
              ->capture_default_str();
          sub.add_option("--threads", a->threads, "libtorch threads (float sums may differ between thread counts)")
              ->check(CLI::Range(1, 64))
              ->capture_default_str();
          sub.add_option("--data", a->data, "Fashion-MNIST directory");
          sub.add_option("-o,--output", a->output, "model file to write")->required();
          auto* ft = sub.add_option("--finetune", a->finetune,
                                    "fine-tune this model (cnn, mlp or a model file) instead of training: the "
                                    "forward pass emulates the layers' multipliers; the epoch is chosen on the "
                                    "validation split (docs/dnn.md, \"Fine-tuning\")");
          auto needs_ft = [ft](CLI::Option* o) { o->needs(ft); };
          needs_ft(sub.add_option("--mul-layer", a->mul_layers, "LAYER=SPEC, one per option: the layer's multiplier"));
          needs_ft(sub.add_option("--mul-map", a->mul_map, "file of `LAYER SPEC` lines, as --mul-layer"));
          needs_ft(sub.add_option("--prune", a->prune, "magnitude-prune this fraction (0..1) first, then fine-tune"));
          needs_ft(sub.add_option("--prune-mode", a->prune_mode,
                                  "weight (unstructured) or channel (whole output channels, removed from the model)"));
          needs_ft(sub.add_option("--lr", a->lr, "Adam learning rate of fine-tuning (default 1e-4)"));
          needs_ft(sub.add_option("--min-epoch", a->min_epoch, "keep no epoch before this one (1: never the start)"));
          needs_ft(sub.add_option("--train-images", a->train_images, "fine-tune on the first N training images (<= 50,000)"));
          needs_ft(sub.add_option("--val-images", a->val_images, "validation images (of the last 10,000 training images)"));
          needs_ft(sub.add_option("--test-images", a->test_images, "test images of the reported accuracy"));
          needs_ft(sub.add_flag("--json", a->json, "print the result as JSON"));
          add_quiet_option(sub);
          return [=] { return run_train(*a); };
        },
});

}  // namespace
}  // namespace gm
