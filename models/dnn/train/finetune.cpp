#include "models/dnn/train/finetune.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <numeric>
#include <optional>
#include <random>
#include <nlohmann/json.hpp>

#include "models/dnn/evaluate.hpp"
#include "models/dnn/layer_gemm.hpp"
#include "models/dnn/prune_channels.hpp"
#include "models/dnn/train/emulation.hpp"
#include "models/dnn/train/pruning.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/progress.hpp"
#include "models/stopwatch.hpp"

namespace gm::train {
namespace {

// Checks the options before any work; returns the pruning mode.
PruneMode check(const FinetuneOptions& o) {
  if (o.train_images < 1 || o.train_images > kTrainingImages)
    throw UserError("--train-images must be 1.." + std::to_string(kTrainingImages) +
                    " (the last 10,000 training images are the validation split)");
  if (!(o.prune >= 0 && o.prune < 1)) throw UserError("--prune takes a sparsity in [0, 1), e.g. 0.5");
  if (!(o.lr > 0)) throw UserError("--lr must be a positive learning rate, e.g. 1e-4");
  if (o.min_epoch < 0 || o.min_epoch > o.epochs)
    throw UserError("--min-epoch must be 0.." + std::to_string(o.epochs) + " (the epochs run)");
  return parse_prune_mode(o.prune_mode);
}

// The operand width of every conv/fc layer (its multiplier's); the first keeps 8 bits (its input is
// the pixel, models/dnn/operand_fit.hpp).
std::vector<int> operand_widths(const dnn::Network& net, const dnn::LayerMultipliers& lm) {
  std::vector<int> widths;
  for (const dnn::LayerSpec& l : lm.assignments(net)) {
    if (widths.empty() && l.spec.w != 8)
      throw UserError("layer " + l.name + ": the first layer's input is the pixel (0..127), so it keeps 8 bits; give it "
                      "a w=8 multiplier (--mul-layer " + l.name + "=exact:s=1)");
    widths.push_back(l.spec.w);
  }
  return widths;
}

bool fits(const dnn::Network& net, const dnn::LayerMultipliers& lm) {
  try {
    lm.resolve(net);
    return true;
  } catch (const UserError&) {
    return false;
  }
}

}  // namespace

int run_finetune(const FinetuneOptions& o) {
  const PruneMode prune_mode = check(o);
  ensure_output_file(o.output, "-o");
  const auto t0 = std::chrono::steady_clock::now();
  const dnn::Network start = load_dnn_model(o.start);
  const dnn::LayerMultipliers lm = dnn::layer_multipliers_from_options(o.mul_layers, o.mul_map);
  const std::vector<int> widths = operand_widths(start, lm);
  // The start measured as it is: on the configuration when its operands fit it, else (a narrower
  // configuration: quantization-aware fine-tuning) on exact int8 multipliers.
  const dnn::LayerMultipliers start_lm = fits(start, lm) ? lm : dnn::LayerMultipliers();
  ImageSet train_set = load_fashion_mnist(fashion_mnist_dir(o.data_dir), "train");
  train_set.pixels.resize(o.train_images * train_set.rows * train_set.cols);
  train_set.labels.resize(o.train_images);
  const ImageSet val = load_dnn_images(o.data_dir, DnnSplit::kVal, o.val_images, start);
  const ImageSet test = load_dnn_images(o.data_dir, DnnSplit::kTest, o.test_images, start);

  torch::manual_seed(o.seed);
  torch::set_num_threads(o.threads);
  Net net = from_quantized(start);
  const std::vector<double> scales = activation_scales(start, widths);
  std::optional<Pruning> pruning;
  if (o.prune > 0) pruning.emplace(net, o.prune, prune_mode);
  const Emulation emulation(start, scales, lm, o.threads);

  // The int8 model of the float weights as they are now, with the starting model's scales.
  auto export_model = [&] {
    dnn::Network q = start;
    q.layers = quantize(net, scales, widths);
    if (pruning && prune_mode == PruneMode::kChannel) dnn::drop_dead_channels(q);
    q.validate("fine-tuned model");
    return q;
  };
  // Progress on stderr as `greenmac train` (models/progress.hpp): the epochs, each a step noting its
  // batch, and one line per epoch with its loss and validation accuracy; --quiet silences them.
  Progress progress("train");
  progress.stage("epochs", static_cast<size_t>(o.epochs), "epochs");
  const double start_val = dnn::layer_accuracy(start, start_lm, val, o.threads);
  dnn::Network best = export_model();
  double best_val = dnn::layer_accuracy(best, lm, val, o.threads);
  int best_epoch = 0;
  char line[256];
  std::snprintf(line, sizeof line, "greenmac: train: epoch 0 (the start%s): val %.4f%s", pruning ? ", pruned" : "",
                best_val, o.min_epoch > 0 ? " (not a candidate: --min-epoch)" : "");
  progress.log(line);
  if (o.min_epoch > 0) best_val = -1;  // any kept epoch replaces the start

  torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(o.lr));
  std::mt19937_64 rng(o.seed);
  std::vector<size_t> order(train_set.count());
  std::iota(order.begin(), order.end(), 0);
  const size_t bs = 64;
  const size_t batches_per_epoch = order.size() / bs;
  for (int e = 1; e <= o.epochs; ++e) {
    const auto te = std::chrono::steady_clock::now();
    const std::string step = "epoch " + std::to_string(e) + "/" + std::to_string(o.epochs);
    progress.begin(step);
    std::shuffle(order.begin(), order.end(), rng);
    net->train();
    double loss_sum = 0;
    size_t batches = 0;
    for (size_t first = 0; first + bs <= order.size(); first += bs) {
      const std::vector<size_t> idx(order.begin() + first, order.begin() + first + bs);
      opt.zero_grad();
      auto loss = torch::nn::functional::cross_entropy(emulation.forward(net, images_tensor(train_set, idx)),
                                                       labels_tensor(train_set, idx));
      loss.backward();
      opt.step();
      if (pruning) pruning->apply(net);
      loss_sum += loss.item<double>();
      ++batches;
      progress.note(step, "batch " + std::to_string(batches) + "/" + std::to_string(batches_per_epoch));
    }
    progress.note(step, "validation");
    const dnn::Network cand = export_model();
    const double val_acc = dnn::layer_accuracy(cand, lm, val, o.threads);
    progress.end(step);
    std::snprintf(line, sizeof line, "greenmac: train: epoch %d/%d: loss %.4f, val %.4f (%.1f s)", e, o.epochs,
                  loss_sum / std::max<size_t>(1, batches), val_acc, seconds_since(te));
    progress.log(line);
    if (e >= o.min_epoch && val_acc > best_val) best = cand, best_val = val_acc, best_epoch = e;
  }

  const double start_test = dnn::layer_accuracy(start, start_lm, test, o.threads);
  const double best_test = dnn::layer_accuracy(best, lm, test, o.threads);
  progress.finish();
  const double secs = seconds_since(t0);
  const std::string config = lm.canonical(start);
  char text[768];
  std::snprintf(text, sizeof text,
                "; fine-tuned by greenmac train (libtorch %s): %s%s, Adam lr %.0e, batch 64, %d epochs on the first "
                "%zu training images, seed %llu; epoch %d kept, chosen on %zu validation images (val accuracy %.4f)",
                TORCH_VERSION, config.c_str(), pruning ? (", " + pruning->describe()).c_str() : "", o.lr, o.epochs,
                train_set.count(), static_cast<unsigned long long>(o.seed), best_epoch, val.count(), best_val);
  best.training = start.training + text;
  best.reference_logits.clear();  // the float logits of the start no longer describe this model
  write_file_atomic(o.output, dnn::network_to_json(best));
  if (o.json) {
    nlohmann::json j = {{"model", o.output},       {"start", o.start},           {"layers", config},
                        {"epochs", o.epochs},      {"epoch_kept", best_epoch},   {"val_images", val.count()},
                        {"test_images", test.count()}, {"val_accuracy_start", start_val}, {"val_accuracy", best_val},
                        {"test_accuracy_start", start_test}, {"test_accuracy", best_test},
                        {"start_layers", start_lm.canonical(start)},
                        {"macs_per_image", best.macs_per_image()}, {"macs_per_image_start", start.macs_per_image()},
                        {"seconds", secs}};
    if (pruning) j["pruning"] = pruning->describe();
    std::cout << j.dump(2) << "\n";
  } else {
    std::printf("%s fine-tuned for %s%s: test accuracy %.4f%s -> %.4f (golden int8 path, %zu images); epoch %d of %d "
                "kept on validation (%.4f -> %.4f); %lld MACs/image; %.0f s -> %s\n",
                start.name.c_str(), config.c_str(), pruning ? (", " + pruning->describe()).c_str() : "", start_test,
                start_lm.empty() && !lm.empty() ? " (the start on exact int8)" : "",
                best_test, test.count(), best_epoch, o.epochs, start_val, best_val,
                static_cast<long long>(best.macs_per_image()), secs, o.output.c_str());
  }
  return 0;
}

}  // namespace gm::train
