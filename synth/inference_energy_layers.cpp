#include "synth/inference_energy_layers.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "models/dnn/evaluate.hpp"

namespace gm {

InferenceEnergyResult inference_energy_per_layer(const InferenceEnergyOptions& opt,
                                                 const dnn::LayerMultipliers& layers) {
  const dnn::Network net = load_dnn_model(opt.model);
  const std::vector<dnn::LayerSpec> resolved = layers.resolve(net);  // UserError for an unknown layer
  std::vector<InferenceEnergyResult> runs;  // one per distinct spec, each on its own array's netlist
  for (const Spec& spec : dnn::distinct_specs(resolved)) {
    InferenceEnergyOptions o = opt;
    o.mul = spec;
    o.layers = layers;
    runs.push_back(inference_energy(o));
    runs.back().spec = spec.canonical();  // the run's array, not the configuration
  }
  InferenceEnergyResult res = compose_per_layer_runs(runs);
  res.spec = layers.canonical(net);
  res.name = layers.name(net);
  for (const auto& l : resolved) res.layer_specs.emplace_back(l.name, l.spec.canonical());
  return res;
}

InferenceEnergyResult compose_per_layer_runs(const std::vector<InferenceEnergyResult>& runs) {
  if (runs.empty()) throw std::logic_error("compose_per_layer_runs: no runs");
  const InferenceEnergyResult& first = runs.front();
  InferenceEnergyResult res;
  res.array = first.array;
  res.zero_gate = first.zero_gate;
  res.clock_ns = first.clock_ns;
  res.images_simulated = first.images_simulated;
  res.energy_per_image_nj.assign(first.energy_per_image_nj.size(), 0.0);
  res.slack_ns = first.slack_ns;
  res.synth_cached = true;
  res.validated = true;
  res.activity_model = first.activity_model;
  int last_layer = -1;
  double base_pj = 0, leakage_pj = 0, cycles = 0, glitch_weighted = 0;
  for (const InferenceEnergyResult& r : runs) {
    if (r.images_simulated != res.images_simulated || r.energy_per_image_nj.size() != res.energy_per_image_nj.size())
      throw std::logic_error("compose_per_layer_runs: the runs simulated different images");
    for (size_t i = 0; i < r.energy_per_image_nj.size(); ++i) res.energy_per_image_nj[i] += r.energy_per_image_nj[i];
    res.logit_mismatches += r.logit_mismatches;
    res.cycles_per_inference += r.cycles_per_inference;
    base_pj += r.base_power_mw * r.cycles_per_inference;
    leakage_pj += r.leakage_mw * r.cycles_per_inference;
    cycles += r.cycles_per_inference;
    res.slack_ns = std::min(res.slack_ns, r.slack_ns);
    res.area_um2 += r.area_um2;
    res.cell_count += r.cell_count;
    res.pins_without_energy += r.pins_without_energy;
    for (const InferenceLayerEnergy& l : r.per_layer) {
      res.per_layer.push_back(l);
      res.per_layer.back().spec = r.spec;
      if (l.index > last_layer) last_layer = l.index, res.accuracy = r.accuracy;
    }
    // The validation that is furthest from OpenSTA's direct figure stands for all arrays.
    res.validated = res.validated && r.validated;
    if (r.validated && std::abs(r.check.relative_error()) >= std::abs(res.check.relative_error())) res.check = r.check;
    res.synth_cached = res.synth_cached && r.synth_cached;
    res.synth_seconds += r.synth_seconds, res.calib_seconds += r.calib_seconds, res.seconds += r.seconds;
    res.sim_seconds += r.sim_seconds, res.sim_wall_seconds += r.sim_wall_seconds, res.timed_seconds += r.timed_seconds;
    res.lanes = std::max(res.lanes, r.lanes);
    res.passes += r.passes;
    res.window_cycles += r.window_cycles;
    glitch_weighted += r.glitch_share * static_cast<double>(r.window_cycles);
  }
  if (!res.validated) res.check = PinEnergyCheck{};
  std::sort(res.per_layer.begin(), res.per_layer.end(),
            [](const InferenceLayerEnergy& a, const InferenceLayerEnergy& b) { return a.index < b.index; });
  const double n = static_cast<double>(res.energy_per_image_nj.size());
  res.energy_nj = n > 0 ? std::accumulate(res.energy_per_image_nj.begin(), res.energy_per_image_nj.end(), 0.0) / n : 0;
  res.energy_ci_nj = ci95_half_width(res.energy_per_image_nj);
  res.base_power_mw = cycles > 0 ? base_pj / cycles : 0;
  res.leakage_mw = cycles > 0 ? leakage_pj / cycles : 0;
  res.glitch_share = res.window_cycles ? glitch_weighted / static_cast<double>(res.window_cycles) : 0;
  if (res.window_cycles) res.activity_model += " (each array its own window; " + std::to_string(res.window_cycles) + " cycles in all)";
  return res;
}

}  // namespace gm
