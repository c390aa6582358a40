// The worker behind `greenmac dnn eval` and `greenmac bench dnn`: loads the model file and the test
// set, runs the golden int8 inference for int8-exact and each multiplier, and records operand traces
// (returned in memory, written to files, or both).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "models/dnn/network.hpp"
#include "models/dnn/idx.hpp"
#include "models/spec.hpp"

namespace gm {

struct DnnEvalOptions {
  std::vector<Spec> specs;  // the variants; exact:s=1 is always evaluated first
  std::string model = "cnn";  // "cnn", "mlp" or a model file path
  size_t images = 0;          // first N test images; 0 = all
  std::string data_dir;       // "" = $GREENMAC_FASHION_MNIST or the default
  std::string trace_dir;      // "" = no trace files; else each multiplier's traces are written there too
  bool keep_traces = false;   // return each multiplier's operand trace in DnnEvalRow::trace
  size_t batch = 500;         // images per GEMM call
  int threads = 0;            // golden GEMM threads (0 = all cores); traces force 1
};

struct DnnEvalRow {
  std::string spec;        // canonical spec
  std::string name;        // design name
  double accuracy = 0;     // top-1 on the evaluated images
  double agreement = 0;    // share of images whose class equals the int8-exact network's
  double seconds = 0;      // inference wall time
  uint64_t macs = 0;       // products looked up
  std::string histogram_file, stream_file;  // trace files, when a trace_dir was given
  // With keep_traces: the operand pairs this multiplier's network multiplied (histogram of every
  // product, sampled stream), for callers that use them in the same process (characterize --dnn).
  std::shared_ptr<const dnn::OperandTrace> trace;
};

struct DnnEvalReport {
  std::string model, model_file;
  size_t images = 0;
  int64_t macs_per_image = 0;
  double float_accuracy = 0;
  int64_t float_images = 0;
  std::vector<DnnEvalRow> rows;  // rows[0] is exact:s=1
};

// The model file for --model: "cnn" / "mlp" name the shipped files (models/dnn/weights/), anything else
// is a path. Throws UserError when missing or malformed.
dnn::Network load_dnn_model(const std::string& model);

// The first `images` Fashion-MNIST test images (0: all) from `data_dir` (default: fashion_mnist_dir()),
// checked to fit the network (input shape, class count). Throws UserError when they are missing,
// malformed or do not fit. Every entry that runs a network loads its data through this.
ImageSet load_dnn_test_set(const std::string& data_dir, size_t images, const dnn::Network& net);

// Throws UserError (data, model file) or SpecError (a spec that is not 8-bit signed).
DnnEvalReport dnn_eval(const DnnEvalOptions& opt);

}  // namespace gm
