// `characterize SPEC... --dnn --array RxC`: the energy per inference of each design on the whole
// array, compute and storage apart, per image and per layer (issue 11).
//
//   compute  MEASURED: whole inferences, one image at a time, through the mapped array netlist
//            (gate-level simulation) x OpenSTA's per-pin energies (synth/inference_energy.hpp).
//   storage  TABLE ESTIMATE: accesses counted from the tiling schedule x the energy-per-access table
//            (models/energy/layer_stats.hpp; Horowitz 45 nm scaled to 180 nm, or --mem-energy), the
//            part outside the array netlist (weights, parameters, activations, outputs, DRAM): the
//            accumulators are flops in the netlist, so their energy is already in the compute.
//   fp32     the same network's storage (and MAC) energy in fp32 from the same table, for comparison.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/checks.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "models/energy/mem_energy.hpp"
#include "models/spec.hpp"
#include "synth/inference_energy.hpp"

namespace gm {

struct ArrayInferenceOptions {
  int rows = 8, cols = 8;
  std::string model = "cnn", data_dir, lib = "osu018";
  double clock_ns = 10;
  size_t images = 32;  // test images simulated, each a whole inference
  int jobs = 0;        // images simulated at once (0: one per core)
  energy::MemEnergyTable mem = energy::default_mem_energy_table();
};

struct ArrayInferenceLayer {
  std::string layer;
  int index = 0;     // in the network's layer list
  std::string spec;  // a per-layer configuration: the canonical spec of the layer's array (else empty)
  uint64_t macs = 0;
  double cycles = 0, utilization = 0, zero_activation_share = 0, zero_weight_share = 0;
  double energy_compute_nj = 0, energy_compute_ci_nj = 0;  // measured, per image (mean, 95 % half-width)
  double energy_storage_nj = 0;                            // table, outside the array, per image
  double energy_storage_fp32_nj = 0;                       // table, the same parts in fp32
  double energy_accumulator_table_nj = 0;                  // table, NOT added (measured in the compute)
  uint64_t cycles_model = 0;                               // the storage model's cycles (cycle model), all images
};

struct ArrayInferenceEnergy {
  std::string array;  // "RxC"
  InferenceEnergyResult compute;
  std::vector<ArrayInferenceLayer> per_layer;
  double energy_compute_nj = 0, energy_ci_nj = 0;  // per image; the CI is the compute's (storage is the same every image)
  double energy_storage_nj = 0, energy_nj = 0;
  double energy_storage_fp32_nj = 0, energy_accumulator_table_nj = 0;
  double mac_int8_table_nj = 0, mac_fp32_table_nj = 0;  // the table's MAC energies x MACs (comparison only)
  std::string mem_table;                                 // the table's name, node and source
};

// Throws UserError (tools, data, spec) like inference_energy.
ArrayInferenceEnergy array_inference_energy(const Spec& mul, const ArrayInferenceOptions& opt);
// A per-layer configuration: the compute of inference_energy_per_layer (one netlist run per distinct
// spec, composed per image; synth/inference_energy_layers.hpp), the storage as above (it does not
// depend on the products).
ArrayInferenceEnergy array_inference_energy(const dnn::LayerMultipliers& layers, const ArrayInferenceOptions& opt);

// The keys (energy_nj, energy_compute_nj, energy_storage_nj, energy_ci_nj, images_simulated,
// cycles_per_inference, clock_ns, slack_ns, glitch_share, per_layer[], methods{}) and the fp32 side.
nlohmann::json array_inference_json(const ArrayInferenceEnergy& e);

// What each figure is (measured or table), one line per key: the "methods" object and the report.
nlohmann::json array_inference_methods(const ArrayInferenceEnergy& e);

// The failed checks of a whole-inference run: logits, layer outputs, cycles against the cycle model,
// pins without an energy. `who` opens every message. Shared with `infer-energy`.
void check_inference_energy(const InferenceEnergyResult& r, const std::string& who, CheckLog& checks);
void check_array_inference(const ArrayInferenceEnergy& e, const std::string& who, CheckLog& checks);

}  // namespace gm
