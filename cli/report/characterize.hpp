// Characterization: error metrics and synthesis results of each design side by side, each cost also
// as a ratio against the exact multiplier (default architecture) and the behavioural `yosys` baseline
// of the same width and signedness, which are added when not asked for. Writes report.md,
// report.json, results.csv and gnuplot plots (PNG and SVG) with the Pareto fronts marked.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/report/inference_report.hpp"
#include "models/checks.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "synth/mult_synth.hpp"
#include "models/metrics.hpp"

namespace gm {

struct CostRatios {
  double area = 0, delay = 0, power = 0, power_vectorless = 0, energy = 0;
  double energy_multiplier = 0;  // the multiplier's own cells, without the wrapper flops
};

struct CharRow {
  Spec spec;               // unset for a per-layer configuration
  bool reference = false;  // added as a baseline, not asked for
  // A per-layer configuration (--dnn with --mul-layer / --mul-map), not a design: it has no spec, no
  // error metrics, no single-multiplier synthesis, no ratios and no Pareto fronts (those are per
  // multiplier); it has the DNN accuracy and agreement and, with --dnn --array, whole inferences.
  // config_spec is LayerMultipliers::canonical, config_name its name, layers each conv/fc layer's
  // name and canonical spec in network order.
  bool configuration = false;
  std::string config_spec, config_name;
  std::vector<std::pair<std::string, std::string>> layers;
  std::string name() const { return configuration ? config_name : spec.name(); }
  ErrorMetrics metrics;
  SynthResult synth;
  CostRatios vs_exact, vs_yosys;
  bool front_power_mred = false, front_area_mred = false, front_energy_nmed = false;
  // With --dnn: the network's accuracy with this multiplier; the metrics above are then weighted by
  // the operand pairs the network's multipliers saw, and the power comes from its operand stream.
  bool has_dnn = false;
  double accuracy = 0;
  double agreement = 0;  // share of the images classified as the int8-exact network classifies them
  int64_t macs_per_image = 0;
  // Multiplier energy: the multiplier's own cells' energy per product (no wrapper flops) x products
  // per image; the wrapper's flops apart.
  double energy_per_inference_nj = 0;
  double wrapper_energy_per_inference_nj = 0;
  std::string dnn_stream;  // "weight-stationary" or "random pairs": the operand stream of the power
  bool front_accuracy_energy = false;
  // With --dnn --array RxC: whole inferences on the RxC array of this multiplier, compute measured
  // and storage a table estimate (inference_report.hpp). Asked designs and the exact baseline; not
  // the behavioural yosys baseline.
  bool has_inference = false;
  ArrayInferenceEnergy inference;
  double inference_vs_exact = 0;  // energy_nj / the exact baseline's (0 when it has none)
  // With --array-energy (the OLD estimate, before issue 11; not the default): an array built from
  // this multiplier, synthesized and simulated on one of the network's own GEMMs (its largest
  // layer, 8 rows of one image, weights reloaded every 8 cycles), energy per MAC x MACs.
  bool has_array_energy = false;
  std::string energy_array;           // "RxC"
  double array_energy_per_mac_pj = 0;
  double array_energy_per_inference_nj = 0;
  double array_area_um2 = 0;
  bool array_netlist_ok = true;  // the array's mapped netlist reproduced the golden GEMM and cycles
  // With --rtl-images: the same inference on the Verilated array.
  bool has_rtl = false;
  size_t rtl_images = 0;
  std::string rtl_array;  // "RxC"
  uint64_t rtl_mismatches = 0, rtl_cycles = 0, rtl_cycles_model = 0;
  uint64_t rtl_layer_mismatches = 0;  // conv/fc layer outputs of the array that differ from the golden layer's
};

// The DNN side of a characterization (issue 5): accuracy, DNN-weighted metrics, DNN activity.
struct CharDnnOptions {
  bool enabled = false;
  std::string model = "cnn";
  size_t images = 0;        // 0 = the whole test set
  std::string data_dir;
  size_t rtl_images = 0;    // > 0: run this many images per asked variant on the array too
  int rows = 8, cols = 8;   // the array of --array: the RTL sample, the PE stream, whole inferences
  // --array given: whole inferences on that array (array_inference_energy), `sim_images` images
  // (at most --images), storage from `mem` (--mem-energy).
  bool inference = false;
  size_t sim_images = 32;
  energy::MemEnergyTable mem = energy::default_mem_energy_table();
  int energy_rows = 0, energy_cols = 0;  // > 0: array energy per inference on an array of this size
  int64_t energy_gemm_rows = 8;          // rows of the captured layer GEMM simulated for the array energy
  // The operand stream of the single-multiplier power: "ws", the weight-stationary stream of PE
  // (0, 0) of the rows x cols array (models/dnn/pe_stream.hpp), or "random", pairs drawn at random
  // from the sampled dot products (the stream before issue 11, kept for comparison).
  std::string stream = "ws";
  // --mul-layer / --mul-map: one more row, the network with a multiplier per conv/fc layer
  // (accuracy through dnn::LayerGemm on the same images; with `inference`, whole inferences through
  // inference_energy_per_layer). No RTL sample and no --array-energy estimate for it.
  std::optional<dnn::LayerMultipliers> layers;
};

struct CharOptions {
  SynthOptions synth;
  std::filesystem::path out_dir = "out/characterize";
  const Distribution* dist = nullptr;  // weight the error metrics by an operand distribution
  CharDnnOptions dnn;
};

// Adds the baselines, computes metrics and synthesis, ratios and fronts; with opt.dnn.layers the
// configuration's row comes last (and the 8-bit signed baselines are added for it). Throws
// UserError on bad input.
std::vector<CharRow> characterize(const std::vector<Spec>& specs, const CharOptions& opt);

// characterize() in three steps, so that `--shard I/N` can split the middle one over processes
// (cli/shard/characterize_shard.cpp):
//   plan      the asked specs followed by the baselines added for them (the rows' order);
//   rows      each row's own figures (metrics, synthesis, DNN and array work), for any subset of the
//             plan's rows: nothing in a row depends on the other rows;
//   finish    what joins the rows: ratios against the baselines, Pareto fronts, the per-layer
//             configuration's row last and the whole-inference ratios.
struct CharPlan {
  std::vector<Spec> specs;      // asked, then the added baselines
  std::vector<bool> reference;  // per spec: a baseline added, not asked for
  std::map<std::string, std::pair<std::string, std::string>> base_names;  // "8s" -> (exact, yosys) names
};
CharPlan plan_characterization(const std::vector<Spec>& specs, bool per_layer_configuration);

struct CharPart {
  std::vector<CharRow> rows;      // the rows asked for, in that order, without ratios or fronts
  std::optional<CharRow> config;  // the per-layer configuration's row, when asked for (with_configuration)
};
// Throws UserError on bad input (a distribution that does not fit, tools, data).
CharPart characterize_rows(const CharPlan& plan, const std::vector<size_t>& indices, const CharOptions& opt,
                           bool with_configuration);

// `rows` are all of the plan's rows in its order.
std::vector<CharRow> finish_characterization(const CharPlan& plan, std::vector<CharRow> rows,
                                             const std::optional<CharRow>& config);

// Every check of a characterization: each mapped netlist computes its design's products (and the
// array energy's array its golden GEMM), the RTL sample's logits and cycles equal the golden
// inference's and the cycle model's.
CheckLog characterize_checks(const std::vector<CharRow>& rows);

// Writes the report files into opt.out_dir (each atomically); report.md opens with a line per failed check.
void write_characterization(const std::vector<CharRow>& rows, const CharOptions& opt);

nlohmann::json char_row_json(const CharRow& row);

}  // namespace gm
