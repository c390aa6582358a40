// The worker behind `greenmac dnn sensitivity`: for each multiplier and each conv/fc layer, the
// accuracy of the network with ONLY that layer's products from the multiplier (every other layer
// int8-exact), beside the int8-exact accuracy and the accuracy with every layer approximated. A
// measurement, not a selection (docs/dnn.md, "Per-layer multipliers").
//
// The result equals dnn_eval of the per-layer configuration `LAYER=SPEC` (exact for the rest)
// bit for bit; the layers before the approximated one are computed once per batch and shared.
#pragma once

#include <string>
#include <vector>

#include "models/dnn/evaluate.hpp"
#include "models/dnn/layer_names.hpp"
#include "models/spec.hpp"

namespace gm {

class Progress;  // models/progress.hpp

struct DnnSensitivityOptions {
  std::vector<Spec> specs;    // at least one; each 8-bit signed
  std::string model = "cnn";  // "cnn", "mlp" or a model file path
  size_t images = 0;          // first N images of the split; 0 = all
  std::string data_dir;       // "" = $GREENMAC_FASHION_MNIST or the default
  DnnSplit split = DnnSplit::kTest;
  size_t batch = 500;  // images per GEMM call
  int threads = 0;     // golden GEMM threads (0 = all cores)
  Progress* progress = nullptr;  // set: an "images" stage, counted a batch at a time (not a setting)
};

struct DnnSensitivityRow {
  std::string spec;                // canonical
  std::vector<double> only_layer;  // per entry of DnnSensitivityReport::layers
  double all_layers = 0;           // every conv/fc layer through the multiplier
};

struct DnnSensitivityReport {
  std::string model, model_file, split;
  size_t images = 0;
  double exact_accuracy = 0;  // exact:s=1 in every layer
  std::vector<dnn::GemmLayerInfo> layers;
  std::vector<DnnSensitivityRow> rows;  // one per distinct spec, in the order given
  double seconds = 0;                   // wall time of the inferences
};

// Throws UserError (no spec, data, model file) or SpecError (a spec that is not 8-bit signed),
// before any inference.
DnnSensitivityReport dnn_sensitivity(const DnnSensitivityOptions& opt);

}  // namespace gm
