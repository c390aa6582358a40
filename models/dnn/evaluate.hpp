// The worker behind `greenmac dnn eval` and `greenmac bench dnn`: loads the model file and the test
// set, runs the golden int8 inference for int8-exact and each multiplier, and records operand traces
// (returned in memory, written to files, or both).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/dnn/layer_multipliers.hpp"
#include "models/dnn/network.hpp"
#include "models/dnn/idx.hpp"
#include "models/spec.hpp"

namespace gm {

class Progress;  // models/progress.hpp

// The images a network is measured on (--split): the 10,000 Fashion-MNIST test images, or the
// validation split, the LAST 10,000 of the 60,000 training images (for choices a lever makes).
// Training and fine-tuning use only the images before it (kTrainingImages), so the shipped models
// never saw the validation split.
enum class DnnSplit { kTest, kVal, kTrain };  // kTrain: the first images of the 50,000 (calibration)
inline constexpr size_t kValidationImages = 10000;
inline constexpr size_t kTrainingImages = 60000 - kValidationImages;
DnnSplit parse_dnn_split(const std::string& text);  // "test" or "val"; UserError otherwise
const char* dnn_split_name(DnnSplit split);         // "test", "val"

struct DnnEvalOptions {
  std::vector<Spec> specs;  // the variants; exact:s=1 is always evaluated first
  std::string model = "cnn";  // "cnn", "mlp" or a model file path
  size_t images = 0;          // first N test images; 0 = all
  std::string data_dir;       // "" = $GREENMAC_FASHION_MNIST or the default
  std::string trace_dir;      // "" = no trace files; else each multiplier's traces are written there too
  bool trace_layers = false;  // with trace_dir: also one histogram per row and conv/fc layer (needs trace_dir)
  bool keep_traces = false;   // return each multiplier's operand trace in DnnEvalRow::trace
  size_t batch = 500;         // images per GEMM call
  int threads = 0;            // golden GEMM threads (0 = all cores); traces force 1
  DnnSplit split = DnnSplit::kTest;
  // A per-layer configuration: one more row after the specs' rows, named by its canonical text.
  std::optional<dnn::LayerMultipliers> layers;
  Progress* progress = nullptr;  // set: a "dnn" stage, one item per network evaluated (models/progress.hpp)
};

struct DnnEvalRow {
  std::string spec;        // canonical spec
  std::string name;        // design name
  double accuracy = 0;     // top-1 on the evaluated images
  double agreement = 0;    // share of images whose class equals the int8-exact network's
  double seconds = 0;      // inference wall time
  uint64_t macs = 0;       // products looked up
  std::string histogram_file, stream_file;  // trace files, when a trace_dir was given
  // With trace_layers: each conv/fc layer's name and its histogram file (DIR/ROW_MODEL_LAYER.dist),
  // network order. The layers' counts add up to histogram_file's.
  std::vector<std::pair<std::string, std::string>> layer_histogram_files;
  // With keep_traces: the operand pairs this multiplier's network multiplied (histogram of every
  // product, sampled stream), for callers that use them in the same process (characterize --dnn).
  std::shared_ptr<const dnn::OperandTrace> trace;
  // The per-layer row only: each conv/fc layer's name and canonical spec, network order.
  std::vector<std::pair<std::string, std::string>> layers;
};

struct DnnEvalReport {
  std::string model, model_file;
  std::string split = "test";  // dnn_split_name
  size_t images = 0;
  int64_t macs_per_image = 0;
  double float_accuracy = 0;
  int64_t float_images = 0;
  std::vector<DnnEvalRow> rows;  // rows[0] is exact:s=1; the per-layer row (if any) is last
};

// The model file for --model: "cnn" / "mlp" name the shipped files (models/dnn/weights/), anything else
// is a path. Throws UserError when missing or malformed.
dnn::Network load_dnn_model(const std::string& model);

// The first `images` Fashion-MNIST test images (0: all) from `data_dir` (default: fashion_mnist_dir()),
// checked to fit the network (input shape, class count). Throws UserError when they are missing,
// malformed or do not fit. Every entry that runs a network loads its data through this.
ImageSet load_dnn_test_set(const std::string& data_dir, size_t images, const dnn::Network& net);
// The same for a split: kTest is load_dnn_test_set; kVal the first `images` (0: all) of the last
// 10,000 training images. Throws UserError like load_dnn_test_set.
ImageSet load_dnn_images(const std::string& data_dir, DnnSplit split, size_t images, const dnn::Network& net);

// Throws UserError (data, model file, a per-layer configuration naming a layer the model does not
// have, trace_layers without trace_dir) or SpecError (a spec that is not 8-bit signed), before any inference.
DnnEvalReport dnn_eval(const DnnEvalOptions& opt);

}  // namespace gm
