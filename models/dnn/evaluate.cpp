#include "models/dnn/evaluate.hpp"

#include <algorithm>
#include <chrono>
#include <functional>

#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/name_or_path.hpp"
#include "models/version.hpp"
#include "models/dnn/idx.hpp"
#include "models/dnn/layer_gemm.hpp"
#include "models/dnn/layer_names.hpp"
#include "models/dnn/layer_operand_counter.hpp"
#include "models/dnn/operand_fit.hpp"
#include "models/product_table.hpp"
#include "models/progress.hpp"
#include "models/install_layout.hpp"

namespace gm {
namespace fs = std::filesystem;

dnn::Network load_dnn_model(const std::string& model) {
  // "cnn" and "mlp" always mean the shipped models, even when the working directory holds a file of
  // that name (models/name_or_path.hpp).
  const auto builtin = builtin_or_path({"--model", {"cnn", "mlp"}, ".json", "model file"}, model);
  const fs::path path = builtin ? data_file(fs::path("models") / "dnn" / "weights" / (*builtin + ".json")) : fs::path(model);
  try {
    return dnn::load_network(path);
  } catch (const DataError& e) {
    throw UserError(e.what());
  }
}

ImageSet load_dnn_test_set(const std::string& data_dir, size_t images, const dnn::Network& net) {
  return load_dnn_images(data_dir, DnnSplit::kTest, images, net);
}

DnnSplit parse_dnn_split(const std::string& text) {
  if (text == "test") return DnnSplit::kTest;
  if (text == "val") return DnnSplit::kVal;
  throw UserError("--split '" + text + "': use test (the 10,000 test images) or val (the last 10,000 training images)");
}

const char* dnn_split_name(DnnSplit split) {
  return split == DnnSplit::kVal ? "val" : split == DnnSplit::kTrain ? "train" : "test";
}

ImageSet load_dnn_images(const std::string& data_dir, DnnSplit split, size_t images, const dnn::Network& net) {
  try {
    ImageSet set;
    if (split == DnnSplit::kTest) {
      set = load_fashion_mnist(fashion_mnist_dir(data_dir), "t10k", images);
    } else if (split == DnnSplit::kTrain) {
      const size_t n = images ? std::min(images, kTrainingImages) : kTrainingImages;  // never into val
      set = load_fashion_mnist(fashion_mnist_dir(data_dir), "train", n);
    } else {
      const ImageSet train = load_fashion_mnist(fashion_mnist_dir(data_dir), "train");
      if (train.count() < kValidationImages)
        throw DataError("the training split in '" + fashion_mnist_dir(data_dir).string() + "' has " +
                        std::to_string(train.count()) + " images, fewer than the " + std::to_string(kValidationImages) +
                        " of the validation split; use --split test or the full Fashion-MNIST");
      const size_t first = train.count() - kValidationImages;
      const size_t n = images && images < kValidationImages ? images : kValidationImages;
      const size_t px = static_cast<size_t>(train.rows) * train.cols;
      set.rows = train.rows;
      set.cols = train.cols;
      set.pixels.assign(train.pixels.begin() + first * px, train.pixels.begin() + (first + n) * px);
      set.labels.assign(train.labels.begin() + first, train.labels.begin() + first + n);
    }
    dnn::check_fits_data(net, 1, set.rows, set.cols, set.labels);  // Fashion-MNIST is grey: one channel
    return set;
  } catch (const DataError& e) {
    throw UserError(e.what());
  }
}

namespace {

std::vector<int> classes_of(const std::vector<int32_t>& out, int classes, size_t count) {
  std::vector<int> c(count);
  for (size_t i = 0; i < count; ++i) c[i] = dnn::argmax(out.data() + i * classes, classes);
  return c;
}

}  // namespace

DnnEvalReport dnn_eval(const DnnEvalOptions& opt) {
  std::vector<Spec> specs = {parse_spec("exact:s=1")};
  for (const auto& s : opt.specs) {
    dnn::check_dnn_spec(s);
    bool dup = false;
    for (const auto& t : specs) dup = dup || t.canonical() == s.canonical();
    if (!dup) specs.push_back(s);
  }
  if (opt.trace_layers && opt.trace_dir.empty())
    throw UserError("--trace-layers needs --trace-dir DIR: the per-layer histograms are written there; add --trace-dir");
  if (!opt.trace_dir.empty()) ensure_output_dir(opt.trace_dir, "--trace-dir");  // before any work
  const dnn::Network net = load_dnn_model(opt.model);
  for (const auto& s : specs) dnn::check_operands_fit(net, s);  // a narrow multiplier on wider operands
  if (opt.layers) opt.layers->resolve(net);  // an unknown layer name or a narrow layer: before the data is read
  const ImageSet test = load_dnn_images(opt.data_dir, opt.split, opt.images, net);

  DnnEvalReport rep;
  rep.model = net.name;
  rep.model_file = net.source;
  rep.split = dnn_split_name(opt.split);
  rep.images = test.count();
  rep.macs_per_image = net.macs_per_image();
  rep.float_accuracy = net.float_accuracy;
  rep.float_images = net.float_images;
  std::vector<int> exact_classes;
  const bool writing = !opt.trace_dir.empty(), tracing = writing || opt.keep_traces;
  // One row: `engine` (built on `trace` when tracing) runs the whole network.
  progress_stage(opt.progress, "dnn", specs.size() + (opt.layers ? 1 : 0),
                 "networks of " + std::to_string(test.count()) + " images");
  auto evaluate = [&](DnnEvalRow row, dnn::GemmEngine& engine, const std::function<uint64_t()>& macs,
                      const std::shared_ptr<dnn::OperandTrace>& trace) {
    progress_begin(opt.progress, row.name);
    // With --trace-layers the products are counted per layer on their way to the row's engine.
    dnn::LayerOperandCounter counter(net, engine);
    dnn::GemmEngine& runner = opt.trace_layers ? static_cast<dnn::GemmEngine&>(counter) : engine;
    const auto t0 = std::chrono::steady_clock::now();
    const auto out = dnn::run_network(net, test.pixels.data(), test.count(), runner, opt.batch);
    row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    row.macs = macs();
    row.accuracy = dnn::accuracy(out, net.classes(), test.labels.data(), test.count());
    const auto classes = classes_of(out, net.classes(), test.count());
    if (exact_classes.empty()) exact_classes = classes;
    size_t same = 0;
    for (size_t i = 0; i < classes.size(); ++i) same += classes[i] == exact_classes[i];
    row.agreement = classes.empty() ? 0 : static_cast<double>(same) / classes.size();
    if (opt.keep_traces) row.trace = trace;
    if (writing) {
      const std::string head = "# generated by greenmac " + std::string(kVersion) + ": operand pairs (a = activation, b = weight) of " +
                               row.spec + " in `dnn eval` of model " + net.name + " on " + std::to_string(test.count()) +
                               " " + rep.split + " images\n";
      const fs::path hist = fs::path(opt.trace_dir) / (row.name + "_" + net.name + ".dist");
      const fs::path stream = fs::path(opt.trace_dir) / (row.name + "_" + net.name + ".stream");
      write_file_atomic(hist, trace->histogram_text(head + "# histogram: a b count, every product of the inference\n"));
      write_file_atomic(stream, trace->stream_text(head + "# sampled stream: whole dot products (every " +
                                                  std::to_string(trace->stride) +
                                                  "th output element), pairs in order, a b 1\n"));
      row.histogram_file = hist.string();
      row.stream_file = stream.string();
      for (const auto& layer : opt.trace_layers ? dnn::gemm_layers(net) : std::vector<dnn::GemmLayerInfo>{}) {
        const fs::path file = fs::path(opt.trace_dir) / (row.name + "_" + net.name + "_" + layer.name + ".dist");
        write_file_atomic(file, counter.layer_trace(layer.index).histogram_text(
                                    head + "# histogram of layer " + layer.name + " (" + layer.description +
                                    "): a b count, every product of that layer\n"));
        row.layer_histogram_files.emplace_back(layer.name, file.string());
      }
    }
    progress_end(opt.progress, row.name);
    rep.rows.push_back(row);
  };
  auto new_trace = [&] {
    auto trace = std::make_shared<dnn::OperandTrace>();
    if (tracing) trace->set_expected_macs(static_cast<uint64_t>(rep.macs_per_image) * test.count());
    return trace;
  };
  for (const auto& spec : specs) {
    const ProductTable table(spec);
    const auto trace = new_trace();
    dnn::TableGemm engine(table, opt.threads, tracing ? trace.get() : nullptr);
    DnnEvalRow row;
    row.spec = spec.canonical();
    row.name = spec.name();
    evaluate(row, engine, [&] { return engine.macs(); }, trace);
  }
  if (opt.layers) {
    const auto trace = new_trace();
    dnn::LayerGemm engine(net, *opt.layers, opt.threads, tracing ? trace.get() : nullptr);
    DnnEvalRow row;
    row.spec = opt.layers->canonical(net);
    row.name = opt.layers->name(net);
    for (const auto& l : opt.layers->resolve(net)) row.layers.emplace_back(l.name, l.spec.canonical());
    evaluate(row, engine, [&] { return engine.macs(); }, trace);
  }
  return rep;
}

}  // namespace gm
