// Whole inferences of the shipped CNN through the mapped array netlist, and their energy per image
// (`greenmac infer-energy`; docs/energy/infer.md).
//
// The array (with the output stage, 32-bit accumulators) is synthesized by the array flow
// (synth/array_synth.hpp; its mapped net.v is kept), read back for the cycle-by-cycle gate
// simulation (SeqGateSim, compiled cell functions) and calibrated once by OpenSTA into an energy per
// transition of every pin (synth/pin_energy.hpp). Then the test images run at batch 1 through the
// network in image lanes: up to 64 images in one pass of the simulation, image j in bit j of every
// net's word (synth/array_lanes.hpp); every conv and fc layer is one GEMM per image, all lanes
// driven through the array's stream protocol together (their control must agree), with the
// layer's real activations, weights and per-column output-stage parameters; im2col, the layout and
// pooling run on the host. Every lane's layer outputs are checked against the golden layer on the
// same inputs, its logits against the golden inference, its cycles against the cycle model.
//
// Per image and layer: sum over nets of transitions x e_net x glitch factor + base power x period x
// cycles, where e_net is the sum of the net's pins' energies and the glitch factor (timed / zero-
// delay transitions of the net) comes from a timed window (TimedGateSim, SDF) of the first image.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "generator/array/array.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "synth/pin_energy.hpp"

namespace gm {

class Progress;  // models/progress.hpp

struct InferenceEnergyOptions {
  int rows = 8, cols = 8;
  Spec mul;  // every PE's multiplier (8-bit signed)
  std::string model = "cnn";
  size_t images = 32;
  std::string data_dir;
  std::string lib = "osu018";
  double clock_ns = 10;
  int jobs = 0;           // lane groups simulated at once (one thread each); 0: one per core
  int lanes = 0;          // images per pass of the lane-parallel simulation (1..64); 0: images / jobs
  bool validate = false;  // also run the OpenSTA check of the linear model (validate_pin_energy)
  // "timed": zero-delay lane transitions x per-net glitch factors from a timed window (TimedGateSim
  // with OpenSTA's SDF: the first image, at most window_cycles sampled cycles of each layer);
  // "zero": zero-delay transitions only.
  std::string activity_model = "timed";
  uint64_t window_cycles = 2000;  // per layer; 0: whole layers
  // Zero-gated PEs (docs/array.md, "Zero gating"): a zero activation or weight holds the
  // multiplier's operands and adds 0, so the gating's saving is measured in the netlist's activity.
  bool zero_gate = false;
  // Per-layer multipliers (synth/inference_energy_layers.hpp runs this once per distinct spec):
  // the golden engine is the configuration's dnn::LayerGemm, and only the conv/fc layers whose
  // multiplier is `mul` run on the netlist; the others take the golden layer's outputs (their own
  // run checks that their netlist gives the same), so every layer sees the activations of the
  // per-layer inference. The figures (energy, cycles, per_layer) then cover only `mul`'s layers.
  // Unset: every conv/fc layer on the netlist of `mul`.
  std::optional<dnn::LayerMultipliers> layers;
  // Set: stages "synthesis" (the array), "calibration" (OpenSTA), "timed window" (the first image,
  // with --activity-model timed) and "images" (one item per image, counted as each pass of lanes
  // ends; the step notes its layer). Per-layer runs name each stage after their spec. Not a setting.
  Progress* progress = nullptr;
};

struct InferenceLayerEnergy {
  std::string layer;  // Layer::describe()
  int index = 0;      // in the network's layer list
  std::string spec;   // per-layer multipliers: the canonical spec of the layer's array (else empty)
  // Per image (all images equal for macs; the rest are means over the images).
  uint64_t macs = 0;
  double cycles = 0, utilization = 0;  // utilization = MACs / (cycles x R x C)
  double zero_activation_share = 0, zero_weight_share = 0;  // over the MACs performed
  double energy_compute_nj = 0, energy_ci_nj = 0;          // mean, 95 % half-width
  double transitions = 0;                                   // pin transitions (mean)
  // Checks over all images.
  uint64_t outputs = 0, mismatches = 0, cycles_total = 0, cycles_model_total = 0;
};

struct InferenceEnergyResult {
  // spec: the canonical spec, or the per-layer configuration's canonical text; name: the array's
  // design name, or LayerMultipliers::name() of a per-layer configuration.
  std::string spec, array, name;
  // Per-layer multipliers: layer name -> canonical spec, in network order (empty otherwise).
  std::vector<std::pair<std::string, std::string>> layer_specs;
  bool zero_gate = false;
  size_t images_simulated = 0;
  double accuracy = 0;  // on the simulated images (logits from the netlist)
  uint64_t logit_mismatches = 0;  // netlist logits that differ from the golden inference
  double cycles_per_inference = 0;
  double clock_ns = 0, slack_ns = 0, area_um2 = 0;
  int cell_count = 0;
  std::vector<double> energy_per_image_nj;
  double energy_nj = 0, energy_ci_nj = 0;  // mean, 95 % half-width (Student t)
  double base_power_mw = 0;                // clock pins and leakage (per-cycle part)
  double leakage_mw = 0;                   // of which leakage (OpenSTA, nominal supply)
  std::vector<InferenceLayerEnergy> per_layer;
  PinEnergyCheck check;  // with validate
  bool validated = false;
  size_t pins_without_energy = 0;  // simulated pins OpenSTA gave no figure for (should be 0)
  double synth_seconds = 0, calib_seconds = 0, seconds = 0;
  double sim_seconds = 0;  // summed over the workers (CPU-like)
  double sim_wall_seconds = 0;  // the lane simulation, wall
  size_t lanes = 0, passes = 0;  // images per pass, passes
  bool synth_cached = false;
  // The activity: "zero-delay" or "zero-delay lanes x per-net glitch factors from a timed window of
  // N cycles"; glitch_share = 1 - zero-delay / timed transitions over that window (0 for zero).
  std::string activity_model;
  double glitch_share = 0;
  uint64_t window_cycles = 0;  // sampled cycles of the timed window
  double timed_seconds = 0;    // SDF + the timed window
};

// The two-sided 95 % Student t quantile for `dof` degrees of freedom (t_0.975).
double student_t95(int dof);
// Half-width of the 95 % confidence interval of the mean of `v` (0 for fewer than 2 values).
double ci95_half_width(const std::vector<double>& v);

// Throws UserError (tools, data, spec) on bad input.
InferenceEnergyResult inference_energy(const InferenceEnergyOptions& opt);

nlohmann::json inference_energy_json(const InferenceEnergyResult& r);
std::string inference_energy_text(const InferenceEnergyResult& r);

}  // namespace gm
