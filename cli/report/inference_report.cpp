#include "cli/report/inference_report.hpp"

#include "generator/array/array.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/energy/layer_stats.hpp"
#include "synth/inference_energy_layers.hpp"
#include "tb/array_runner.hpp"

namespace gm {

namespace {

InferenceEnergyOptions inference_options(const ArrayInferenceOptions& opt) {
  InferenceEnergyOptions io;
  io.rows = opt.rows, io.cols = opt.cols, io.model = opt.model, io.images = opt.images;
  io.data_dir = opt.data_dir, io.lib = opt.lib, io.clock_ns = opt.clock_ns, io.jobs = opt.jobs;
  return io;
}

// The measured `compute` with the storage of the same images added: the golden inference through
// `mul`'s product table, one image at a time (batch 1), on the same array (output stage, 32-bit
// accumulators: inference_energy's configuration).
ArrayInferenceEnergy with_storage(InferenceEnergyResult compute, const Spec& mul, const ArrayInferenceOptions& opt) {
  ArrayInferenceEnergy e;
  e.array = std::to_string(opt.rows) + "x" + std::to_string(opt.cols);
  e.compute = std::move(compute);
  const ArrayConfig cfg = make_array_config(opt.rows, opt.cols, mul, "", 32, false, 0, true);
  const dnn::Network net = load_dnn_model(opt.model);
  const ImageSet set = load_dnn_test_set(opt.data_dir, opt.images, net);
  const energy::StorageReport st = energy::layer_stats(net, set.pixels.data(), set.count(), shared_product_table(mul),
                                                       array_timing(cfg), opt.mem, 1, cfg.acc_width);
  const double n = static_cast<double>(st.images);
  e.mem_table = opt.mem.name + " (" + opt.mem.node + "; " + opt.mem.source + ")";
  for (const InferenceLayerEnergy& c : e.compute.per_layer) {
    const energy::LayerEnergyStats* s = nullptr;
    for (const auto& l : st.layers)
      if (l.index == c.index) s = &l;
    if (!s) throw std::logic_error("array_inference_energy: layer " + std::to_string(c.index) + " has no storage stats");
    ArrayInferenceLayer l;
    l.layer = c.layer, l.index = c.index, l.spec = c.spec, l.macs = c.macs, l.cycles = c.cycles;
    l.utilization = c.utilization;
    l.zero_activation_share = c.zero_activation_share, l.zero_weight_share = c.zero_weight_share;
    l.energy_compute_nj = c.energy_compute_nj, l.energy_compute_ci_nj = c.energy_ci_nj;
    l.energy_storage_nj = s->int8.outside_array() / n * 1e-3;
    l.energy_storage_fp32_nj = s->fp32.outside_array() / n * 1e-3;
    l.energy_accumulator_table_nj = s->int8.accumulator / n * 1e-3;
    l.cycles_model = s->cycles;
    e.per_layer.push_back(l);
    e.energy_storage_nj += l.energy_storage_nj;
    e.energy_storage_fp32_nj += l.energy_storage_fp32_nj;
    e.energy_accumulator_table_nj += l.energy_accumulator_table_nj;
    e.mac_int8_table_nj += s->compute_int8_pj / n * 1e-3;
    e.mac_fp32_table_nj += s->compute_fp32_pj / n * 1e-3;
  }
  e.energy_compute_nj = e.compute.energy_nj;
  e.energy_ci_nj = e.compute.energy_ci_nj;
  e.energy_nj = e.energy_compute_nj + e.energy_storage_nj;
  return e;
}

}  // namespace

ArrayInferenceEnergy array_inference_energy(const Spec& mul, const ArrayInferenceOptions& opt) {
  InferenceEnergyOptions io = inference_options(opt);
  io.mul = mul;
  return with_storage(inference_energy(io), mul, opt);
}

ArrayInferenceEnergy array_inference_energy(const dnn::LayerMultipliers& layers, const ArrayInferenceOptions& opt) {
  // The storage counts accesses of the tiling schedule (layer shapes and the array only, not the
  // products), so the int8-exact inference's counts are the configuration's; check_array_inference
  // compares its cycles with the netlist runs' per layer.
  return with_storage(inference_energy_per_layer(inference_options(opt), layers), parse_spec("exact:s=1"), opt);
}

nlohmann::json array_inference_methods(const ArrayInferenceEnergy& e) {
  const InferenceEnergyResult& c = e.compute;
  // infer-energy names its activity model "zero-delay", or a description of the glitch-aware estimate.
  const bool glitches = c.activity_model != "zero-delay";
  const std::string sim = glitches ? c.activity_model + " (glitches counted, estimated from the window)"
                                   : "zero-delay simulation (glitches not counted)";
  return {{"energy_compute_nj",
           "measured: " + std::to_string(c.images_simulated) + " whole inferences, up to 64 images per pass (lanes), through the "
           "mapped " + e.array + " array netlist (" + sim + ") x OpenSTA's per-pin energy per transition, plus clock "
           "pins and leakage per cycle; includes the accumulators, the output stage and the control"},
          {"energy_storage_nj",
           "table estimate: buffer accesses counted from the tiling schedule x energy per access (" + e.mem_table +
           "); weight, parameter, activation and output buffers (and DRAM if the table has it), not the "
           "accumulators (measured in the compute)"},
          {"energy_nj", "energy_compute_nj (measured) + energy_storage_nj (table estimate)"},
          {"energy_ci_nj", "95 % confidence half-width (Student t) of the measured compute energy over the images; "
                           "the storage estimate is the same for every image"},
          {"glitch_share", glitches
                               ? std::string("measured: 1 - zero-delay / timed transitions over the timed window")
                               : std::string("null: the simulation is zero-delay, glitches are not counted")},
          {"energy_storage_fp32_nj", "table estimate: the same accesses with 32-bit elements"},
          {"energy_accumulator_table_nj", "table estimate of the accumulator accesses, for comparison only (not "
                                          "added: the accumulator flops are in the measured compute)"},
          {"mac_int8_table_nj", "table estimate: MACs x the table's int8 MAC energy (comparison only)"},
          {"mac_fp32_table_nj", "table estimate: MACs x the table's fp32 MAC energy (comparison only)"},
          {"per_layer", "energy_compute_nj measured, energy_storage_nj table estimate, as above; cycles and "
                        "utilization from the netlist simulation (checked against the cycle model)"}};
}

nlohmann::json array_inference_json(const ArrayInferenceEnergy& e) {
  const InferenceEnergyResult& c = e.compute;
  // inference_energy_json's per-layer objects (layer, macs, cycles, utilization, zero shares, the
  // measured compute and its checks) with the storage estimates added.
  nlohmann::json layers = inference_energy_json(c).at("per_layer");
  for (size_t i = 0; i < e.per_layer.size(); ++i) {
    const ArrayInferenceLayer& l = e.per_layer[i];
    layers[i]["energy_storage_nj"] = l.energy_storage_nj;
    layers[i]["energy_storage_fp32_nj"] = l.energy_storage_fp32_nj;
    layers[i]["energy_accumulator_table_nj"] = l.energy_accumulator_table_nj;
  }
  return {{"array", e.array},
          {"energy_nj", e.energy_nj},
          {"energy_compute_nj", e.energy_compute_nj},
          {"energy_storage_nj", e.energy_storage_nj},
          {"energy_ci_nj", e.energy_ci_nj},
          {"images_simulated", c.images_simulated},
          {"accuracy_simulated", c.accuracy},
          {"cycles_per_inference", c.cycles_per_inference},
          {"clock_ns", c.clock_ns},
          {"slack_ns", c.slack_ns},
          {"area_um2", c.area_um2},
          {"activity_model", c.activity_model},
          {"glitch_share", c.activity_model != "zero-delay" ? nlohmann::json(c.glitch_share) : nlohmann::json()},
          {"energy_storage_fp32_nj", e.energy_storage_fp32_nj},
          {"energy_accumulator_table_nj", e.energy_accumulator_table_nj},
          {"mac_int8_table_nj", e.mac_int8_table_nj},
          {"mac_fp32_table_nj", e.mac_fp32_table_nj},
          {"energy_per_image_nj", c.energy_per_image_nj},
          {"mem_table", e.mem_table},
          {"seconds", c.seconds},
          {"synth_seconds", c.synth_seconds},
          {"synth_cached", c.synth_cached},
          {"per_layer", layers},
          {"methods", array_inference_methods(e)}};
}

void check_inference_energy(const InferenceEnergyResult& r, const std::string& who, CheckLog& checks) {
  checks.expect(r.logit_mismatches == 0,
                who + std::to_string(r.logit_mismatches) + " logits differ from the golden inference");
  checks.expect(r.pins_without_energy == 0,
                who + std::to_string(r.pins_without_energy) + " simulated pins have no OpenSTA energy");
  for (const auto& l : r.per_layer) {
    checks.expect(l.mismatches == 0, who + "layer " + std::to_string(l.index) + " (" + l.layer + "): " +
                                         std::to_string(l.mismatches) + " of " + std::to_string(l.outputs) +
                                         " outputs differ from the golden layer");
    checks.expect(l.cycles_total == l.cycles_model_total,
                  who + "layer " + std::to_string(l.index) + ": " + std::to_string(l.cycles_total) +
                      " cycles, the cycle model says " + std::to_string(l.cycles_model_total));
  }
}

void check_array_inference(const ArrayInferenceEnergy& e, const std::string& who, CheckLog& checks) {
  check_inference_energy(e.compute, who, checks);
  // The storage model's schedule is the one the netlist ran.
  for (size_t i = 0; i < e.per_layer.size(); ++i)
    checks.expect(e.per_layer[i].cycles_model == e.compute.per_layer[i].cycles_total,
                  who + "layer " + std::to_string(e.per_layer[i].index) + ": the storage model counts " +
                      std::to_string(e.per_layer[i].cycles_model) + " cycles, the netlist ran " +
                      std::to_string(e.compute.per_layer[i].cycles_total));
}

}  // namespace gm
