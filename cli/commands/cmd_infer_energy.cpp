// greenmac infer-energy --array RxC --mul SPEC [--images N] [--model cnn|mlp|FILE] [--zero-gate] [--validate] [--json]
//                       [--voltage [--dvfs-clocks NS,...] [--vth V] [--alpha A] [--v-min V]]
// greenmac infer-energy --array RxC --mul-layer LAYER=SPEC... [--mul-map FILE] ...: each layer on an array
//                       of its own multiplier (synth/inference_energy_layers.hpp)
// [--quiet]: no progress on stderr (the synthesis, calibration, timed window and images; models/progress.hpp)
//
// Whole inferences of the DNN, one image at a time, through the synthesized array's mapped netlist:
// energy per inference (mean, 95 % CI) and per layer (synth/inference_energy.hpp). A layer output
// that differs from the golden layer, logits that differ from the golden inference, or cycles that
// differ from the cycle model are failed checks (exit status 1).
#include <iostream>
#include <memory>
#include <optional>

#include "cli/array_args.hpp"
#include "cli/command.hpp"
#include "cli/quiet_option.hpp"
#include "cli/report/inference_report.hpp"
#include "cli/report/voltage_report.hpp"
#include "models/checks.hpp"
#include "models/progress.hpp"
#include "models/spec.hpp"
#include "synth/inference_energy.hpp"
#include "synth/inference_energy_layers.hpp"
#include "models/dnn/layer_multipliers.hpp"

namespace gm {
namespace {

struct InferArgs {
  InferenceEnergyOptions opt;
  NetworkRunArgs run;
  bool voltage = false;
  std::vector<double> dvfs_clocks_ns;
  energy::SupplyModel supply;
  std::vector<std::string> mul_layers;  // LAYER=SPEC, one per option
  std::string mul_map;
};

int run_infer(const InferArgs& a) {
  InferenceEnergyOptions opt = a.opt;
  std::optional<dnn::LayerMultipliers> layers;
  if (!a.mul_layers.empty() || !a.mul_map.empty())
    layers = dnn::layer_multipliers_from_options(a.mul_layers, a.mul_map);
  else
    opt.mul = a.run.spec();
  std::tie(opt.rows, opt.cols) = a.run.dims();
  opt.model = a.run.model, opt.images = a.run.images, opt.data_dir = a.run.data;
  if (!(opt.clock_ns > 0)) throw UserError("--clock-ns must be a positive number of ns");
  const bool voltage = a.voltage || !a.dvfs_clocks_ns.empty();
  if (voltage) {  // bad parameters are refused before the synthesis and simulation
    a.supply.check();
    for (const double t : a.dvfs_clocks_ns)
      if (!(t > 0)) throw UserError("--dvfs-clocks takes positive clock periods in ns, e.g. 10,12.5,15,20");
  }
  Progress progress("infer-energy");
  opt.progress = &progress;
  const InferenceEnergyResult r = layers ? inference_energy_per_layer(opt, *layers) : inference_energy(opt);
  progress.finish();
  if (a.run.json) {
    nlohmann::json j = inference_energy_json(r);
    if (voltage) j["voltage_estimate"] = voltage_report_json(voltage_report(r, a.supply, a.dvfs_clocks_ns));
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << inference_energy_text(r);
    if (voltage) std::cout << voltage_report_text(voltage_report(r, a.supply, a.dvfs_clocks_ns));
  }
  CheckLog checks;
  check_inference_energy(r, "infer-energy: " + r.spec + " on the " + r.array + " array: ", checks);
  return checks.finish();
}

const CommandRegistrar reg_infer({
    .name = "infer-energy",
    .help = "energy per inference: whole DNN inferences, one image at a time, through the synthesized array's "
            "mapped netlist (gate-level simulation, OpenSTA pin energies)",
    .order = 72,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto a = std::make_shared<InferArgs>();
          a->run.add_to(sub);
          sub.add_option("--lib", a->opt.lib, "Liberty library: osu018 or PATH.lib")->capture_default_str();
          sub.add_option("--clock-ns", a->opt.clock_ns, "clock period in ns")->capture_default_str();
          sub.add_option("-j,--jobs", a->opt.jobs,
                         "lane groups simulated at once, one thread each (default: one per core); every image "
                         "starts from a fresh simulation in its own lane, so the results do not depend on it")
              ->check(CLI::Range(1, 256));
          sub.add_option("--lanes", a->opt.lanes,
                         "images per pass of the lane-parallel gate simulation (1..64; default: images / jobs)")
              ->check(CLI::Range(1, 64));
          sub.add_option("--activity-model", a->opt.activity_model,
                         "timed: zero-delay lane transitions x per-net glitch factors from a timed (SDF) window of "
                         "the first image; zero: zero-delay transitions only")
              ->check(CLI::IsMember({"timed", "zero"}))
              ->capture_default_str();
          sub.add_option("--window-cycles", a->opt.window_cycles,
                         "sampled cycles per layer of the timed window (0: whole layers)")
              ->capture_default_str();
          sub.add_flag("--zero-gate", a->opt.zero_gate,
                       "zero-gated PEs: a zero activation or weight holds the multiplier's operands and adds 0 "
                       "(the saving is measured in the netlist's activity)");
          sub.add_flag("--voltage", a->voltage,
                       "also ESTIMATE the lowest supply the slack allows (alpha-power law) and the energy there, "
                       "reported apart from the measured figures (docs/energy.md)");
          sub.add_option("--dvfs-clocks", a->dvfs_clocks_ns,
                         "clock periods in ns for the estimated DVFS curve (energy per inference against "
                         "throughput), e.g. 10,12.5,15,20; implies --voltage")
              ->delimiter(',');
          sub.add_option("--vth", a->supply.v_th, "threshold voltage of the alpha-power law (V)")->capture_default_str();
          sub.add_option("--alpha", a->supply.alpha, "velocity-saturation index of the alpha-power law (1..2)")
              ->capture_default_str();
          sub.add_option("--v-min", a->supply.v_min, "lowest supply considered (V)")->capture_default_str();
          sub.add_flag("--validate", a->opt.validate,
                       "also compare the linear pin-energy model with OpenSTA's direct report_power (one more STA run)");
          auto* layer = sub.add_option("--mul-layer", a->mul_layers,
                                       "LAYER=SPEC: run this layer on an array of this multiplier, one option per "
                                       "layer (default=SPEC for the layers not named, else exact:s=1); instead of "
                                       "--mul. Each distinct spec's array is synthesized and simulated on its layers");
          layer->allow_extra_args(false);
          auto* map = sub.add_option("--mul-map", a->mul_map,
                                     "file of `LAYER SPEC` lines (`default SPEC`, # comments): per-layer "
                                     "multipliers, as --mul-layer");
          sub.get_option("--mul")->excludes(layer)->excludes(map);
          // The voltage estimate reads one array's slack and power split; a per-layer run has several.
          for (const char* v : {"--voltage", "--dvfs-clocks"}) sub.get_option(v)->excludes(layer)->excludes(map);
          add_quiet_option(sub);
          return [=] { return run_infer(*a); };
        },
});

}  // namespace
}  // namespace gm
