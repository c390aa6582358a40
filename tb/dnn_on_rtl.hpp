// RTL inference: every conv (through im2col) and fully connected layer of the quantized network runs
// whole on the Verilated systolic array: products, K sums in the accumulators, then bias,
// requantization, ReLU and the clamp in the array's output stage (--requant), so the layer's int8
// outputs leave the hardware. Only im2col, the layout and max pooling run on the host.
// Every layer's outputs are compared bit for bit with the golden layer (models/dnn/network.hpp) on
// the same inputs, the logits with the golden inference's on every image, and the array's cycle
// count with the cycle model's.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/checks.hpp"
#include "tb/array_runner.hpp"
#include "models/dnn/idx.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "models/dnn/network.hpp"
#include "models/product_table.hpp"

namespace gm {

class Progress;  // models/progress.hpp

// One conv or fc layer's check: its outputs on the array against the golden layer on the same
// inputs, and its cycles against the model, summed over the batches.
struct DnnLayerCheck {
  std::string layer;  // Layer::describe()
  uint64_t outputs = 0, mismatches = 0;
  uint64_t cycles = 0, cycles_model = 0;
  std::string name;   // dnn::layer_name: conv1, fc1, ... (dnn rtl fills it)
  std::string spec;   // canonical spec of the multiplier in the PEs of the layer's array (dnn rtl fills it)
};

// What the array did over some GEMMs: cycles (measured and modelled), MACs, simulator CPU time and
// the per-layer checks, by layer index of the network (pooling layers stay empty).
struct ArrayRunCounts {
  explicit ArrayRunCounts(size_t network_layers = 0) : layers(network_layers) {}
  void add(const ArrayRunCounts& other);
  uint64_t cycles = 0, cycles_model = 0, macs = 0;
  double sim_cpu_seconds = 0;
  std::vector<DnnLayerCheck> layers;
};

// A GemmEngine on the Verilated array (the multiplier's a operand is the activation, b the weight).
// With an output-stage array (ArrayConfig::out_stage), gemm_layer runs a whole layer on it and
// checks the layer's outputs against `golden` (the golden engine) on the same inputs; gemm() gives
// the plain sums and needs an array without the output stage.
class ArrayGemm : public dnn::GemmEngine, public ArrayRunCounts {
 public:
  ArrayGemm(const GemmRunner& runner, const dnn::Network& net, dnn::GemmEngine& golden)
      : ArrayRunCounts(net.layers.size()), runner_(runner), net_(net), golden_(golden) {}
  void gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) override;
  void gemm_layer(const int8_t* x, int64_t m, int64_t k, const dnn::Layer& layer, int32_t* out) override;

 private:
  const GemmRunner& runner_;
  const dnn::Network& net_;
  dnn::GemmEngine& golden_;
};

// The network on `images` in batches of `batch` images, every batch on the array (ArrayGemm), the
// batches spread over `jobs` workers (0: one per core), each running its own simulator processes.
// The batches, and so the GEMMs and their cycle counts, do not depend on `jobs`.
struct BatchedRun {
  std::vector<int32_t> logits;  // images x classes, in image order
  ArrayRunCounts totals;
};
BatchedRun run_batches_on_array(const GemmRunner& runner, const dnn::Network& net, const ImageSet& images,
                                size_t batch, int jobs, const ProductTable& table);

// The same with an array per layer: net.layers[i] (conv/fc) runs on *runner_of_layer[i] (pooling
// layers: nullptr), each worker with its own copy of every distinct runner; `make_golden` makes
// each worker's golden engine (e.g. dnn::LayerGemm of the per-layer configuration), which every
// layer's outputs are checked against. `progress`, when set, gets a "rtl" stage of the batches.
using GoldenEngineFactory = std::function<std::unique_ptr<dnn::GemmEngine>()>;
BatchedRun run_batches_on_arrays(const std::vector<const GemmRunner*>& runner_of_layer, const dnn::Network& net,
                                 const ImageSet& images, size_t batch, int jobs, const GoldenEngineFactory& make_golden,
                                 Progress* progress = nullptr);

// `dnn rtl` builds a lookup-table harness profile-guided (tb/array_runner.hpp) from this many images on.
constexpr size_t kProfileGuidedFromImages = 5000;

struct DnnRtlOptions {
  int rows = 8, cols = 8;
  Spec mul;  // the multiplier of every PE (8-bit signed), parsed by the caller
  // Per-layer multipliers instead of `mul` (models/dnn/layer_multipliers.hpp): every conv/fc layer
  // runs on an array of its own multiplier, one harness per distinct spec, and is checked against
  // the golden per-layer inference (dnn::LayerGemm). Not with mul_rtl (a file replaces one spec).
  std::optional<dnn::LayerMultipliers> layers;
  std::string model = "cnn";
  size_t images = 200;
  std::string data_dir;
  size_t batch = 1000;  // images per GEMM (one harness run per layer and batch)
  int jobs = 0;         // batches simulated at once; 0: one per core
  int acc_depth = 0;    // accumulator entries per column D; 0: R + C
  // The PE multiplier (tb/pe_multiplier.hpp): its gate-level RTL (default) or its lookup table,
  // verified first against the RTL it stands for; mul_rtl: the user's Verilog in place of the
  // generated RTL.
  MulModel mul_model = MulModel::kGate;
  std::string mul_rtl;
  // The harness's compilation (lookup tables only); unset: profile-guided from
  // kProfileGuidedFromImages images on, else plain.
  std::optional<HarnessTuning> tuning;
  Progress* progress = nullptr;  // set: stages "build" (the PE multipliers and harnesses) and "rtl" (batches)
};

struct DnnRtlReport {
  // spec: the canonical spec, or with per-layer multipliers the configuration's canonical text
  // (LayerMultipliers::canonical); name: Spec::name() or LayerMultipliers::name().
  std::string spec, name, array, model;
  bool per_layer = false;  // run with DnnRtlOptions::layers
  size_t images = 0;
  double accuracy = 0, golden_accuracy = 0;
  uint64_t mismatches = 0;  // logits that differ from the golden inference
  int acc_depth = 0;        // D of the array
  std::vector<DnnLayerCheck> layers;  // conv and fc layers only, in network order
  uint64_t layer_mismatches = 0;      // layer outputs that differ from the golden layer's, all layers
  uint64_t cycles = 0, cycles_model = 0, macs = 0;
  double seconds = 0, sim_cpu_seconds = 0, build_seconds = 0;
  bool profile_guided = false;  // the harness was compiled profile-guided
  std::string mul_model;      // "gates" | "lut"
  std::string mul_rtl;        // the user's multiplier file, or empty (generated)
  uint64_t mul_verified_pairs = 0;  // lut: pairs on which the RTL was proven equal to the table (all specs)
  std::string mul_failure;    // lut: the RTL differs from the model (one line); nothing was run
};

// Throws UserError / SpecError on bad input.
DnnRtlReport dnn_rtl(const DnnRtlOptions& opt);

// The run's checks: logits equal the golden inference's, cycles equal the cycle model's (and, with
// the report, every layer's outputs equal the golden layer's). `who` names the command ("dnn rtl",
// "characterize", ...).
void check_dnn_rtl(const std::string& who, const std::string& name, const std::string& array, uint64_t images,
                   uint64_t mismatches, uint64_t cycles, uint64_t cycles_model, CheckLog& checks);
void check_dnn_rtl(const std::string& who, const DnnRtlReport& r, CheckLog& checks);

}  // namespace gm
