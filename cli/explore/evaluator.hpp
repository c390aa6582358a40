// What `explore` measures on a point (cli/explore/point.hpp), cheapest first:
//   accuracy  the golden int8 path (dnn::layer_accuracy) on the validation split, which the search
//             selects on, and on the test images, which it only reports;
//   training  greenmac-train --finetune (pruning, quantization-aware, approximation-aware), a
//             separate process with its log in DIR/logs;
//   energy    gate-level whole inferences through the synthesized arrays (infer-energy's method,
//             per-layer multipliers: synth/inference_energy_layers.hpp), the storage table
//             estimate, and the voltage estimate at the lowest supply the slack allows;
//   RTL       the chosen point through `dnn rtl` (the Verilated array) against the golden inference.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cli/explore/options.hpp"
#include "cli/explore/point.hpp"
#include "models/dnn/idx.hpp"
#include "models/dnn/network.hpp"
#include "tb/dnn_on_rtl.hpp"

namespace gm::explore {

// One training run: fine-tuning of `from`'s model for `mul_layers`, with optional channel pruning.
struct TrainStep {
  std::vector<std::string> mul_layers;
  double prune = 0;  // channel sparsity; 0: none
  int epochs = 1;
  double lr = 1e-4;
};

class Evaluator {
 public:
  Evaluator(const ExploreOptions& opt, const PointStore& store);
  // Fills p.val_accuracy and p.test_accuracy.
  void accuracy(Point& p) const;
  // The validation accuracy of p's model under other multipliers (the ladders' probe).
  double val_accuracy(const std::string& model, const std::vector<std::string>& mul_layers) const;
  // Trains p.model (written to the store) from `from`'s model; UserError when the trainer fails.
  void train(Point& p, const Point& from, const TrainStep& step) const;
  // ALWANN weight tuning of `from`'s model for p.mul_layers, written as p.model.
  void tune(Point& p, const Point& from) const;
  // Fills p.energy (measured and estimated); the mismatches go into p.energy->mismatches.
  void energy(Point& p) const;
  DnnRtlReport rtl(const Point& p) const;
  const dnn::Network& network(const std::string& model) const;  // loaded once per file

 private:
  const ExploreOptions& opt_;
  const PointStore& store_;
  ImageSet val_, test_;
  mutable std::map<std::string, dnn::Network> nets_;  // nodes stay put: LayerGemm keeps a reference
};

}  // namespace gm::explore
