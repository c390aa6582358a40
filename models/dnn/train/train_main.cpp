// greenmac-train: trains the DNN of issue 5 on Fashion-MNIST with libtorch (CPU), quantizes it to the
// int8 definition of docs/quantization.md and writes the greenmac-qnn-1 model file that
// `greenmac dnn eval` reads. `greenmac train` runs this executable; it is a separate binary so that
// neither gm_models (linked into every Verilator harness) nor the greenmac binary depends on libtorch.
//
//   greenmac-train --model cnn|mlp [--epochs N] [--seed S] [--calib N] [--data DIR] -o FILE
//   greenmac-train --finetune cnn|mlp|FILE [--mul-layer LAYER=SPEC]... [--mul-map FILE]
//                  [--prune S [--prune-mode weight|channel]] [--epochs E] [--lr R] -o FILE   (finetune.hpp)
//
// Deterministic for a given seed: the weights are initialised after torch::manual_seed(seed), the
// batches are shuffled by std::mt19937_64(seed), and libtorch runs on a fixed number of threads
// (--threads, default 1: float sums may differ between thread counts; on a loaded machine one thread
// is also faster, since libtorch's OpenMP workers spin-wait).
//
// The float network sees exactly the quantized input (x_q / 127 with x_q = quantize_pixel(p)), so the
// input mapping costs no accuracy; float_accuracy in the file is measured on the whole test set.
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <random>

#include "models/dnn/evaluate.hpp"
#include "models/dnn/network.hpp"
#include "models/dnn/idx.hpp"
#include "models/dnn/train/finetune.hpp"
#include "models/dnn/train/float_net.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/progress.hpp"
#include "models/spec.hpp"
#include "models/dnn/layer_gemm.hpp"

namespace {

using namespace gm::train;

double float_accuracy(Net& net, const gm::ImageSet& test) {
  torch::NoGradGuard ng;
  net->eval();
  size_t ok = 0;
  for (size_t first = 0; first < test.count(); first += 1000) {
    const size_t n = std::min<size_t>(1000, test.count() - first);
    auto pred = net->forward(images_tensor(test, first, n)).argmax(1);
    for (size_t i = 0; i < n; ++i) ok += pred[i].item<int64_t>() == test.labels[first + i];
  }
  return static_cast<double>(ok) / static_cast<double>(test.count());
}

// Progress as `greenmac train` (models/progress.hpp): an "epochs" stage, each epoch a step noting its
// batch, and one line per epoch with its rate and loss.
void train(Net& net, const gm::ImageSet& data, int epochs, uint64_t seed, double lr, gm::Progress& progress) {
  torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(lr));
  std::mt19937_64 rng(seed);
  std::vector<size_t> order(data.count());
  std::iota(order.begin(), order.end(), 0);
  const size_t bs = 64;
  progress.stage("epochs", static_cast<size_t>(epochs), "epochs");
  for (int e = 0; e < epochs; ++e) {
    const std::string step = "epoch " + std::to_string(e + 1) + "/" + std::to_string(epochs);
    progress.begin(step);
    // Step decay: full rate for the first half, then halved every epoch.
    const double rate = lr * std::pow(0.5, std::max(0, e - epochs / 2 + 1));
    for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(rate);
    std::shuffle(order.begin(), order.end(), rng);
    net->train();
    double loss_sum = 0;
    size_t batches = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (size_t first = 0; first + bs <= order.size(); first += bs) {
      std::vector<size_t> idx(order.begin() + first, order.begin() + first + bs);
      const torch::Tensor x = images_tensor(data, idx);
      opt.zero_grad();
      auto loss = torch::nn::functional::cross_entropy(net->forward(x), labels_tensor(data, idx));
      loss.backward();
      opt.step();
      loss_sum += loss.item<double>();
      ++batches;
      progress.note(step, "batch " + std::to_string(batches) + "/" + std::to_string(order.size() / bs));
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress.end(step);
    char line[160];
    std::snprintf(line, sizeof line, "greenmac: train: epoch %d/%d  lr %.2e  loss %.4f  (%.1f s)", e + 1, epochs, rate,
                  loss_sum / batches, secs);
    progress.log(line);
  }
}

int run(const std::string& model, int epochs, uint64_t seed, size_t calib_images, int threads, const std::string& data_dir,
        const std::string& output) {
  const auto dir = gm::fashion_mnist_dir(data_dir);
  // The first 50,000 training images only: the last 10,000 are the validation split, on which every
  // lever and `explore` choose, so the shipped model must not have seen them.
  const gm::ImageSet train_set = gm::load_fashion_mnist(dir, "train", gm::kTrainingImages);
  const gm::ImageSet test_set = gm::load_fashion_mnist(dir, "t10k");
  torch::manual_seed(seed);
  torch::set_num_threads(threads);
  const auto layers = architecture(model);
  Net net = make_net(layers);
  const double lr = 1e-3;
  const auto t0 = std::chrono::steady_clock::now();
  gm::Progress progress("train");
  train(net, train_set, epochs, seed, lr, progress);
  const double train_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  gm::dnn::Network q;
  q.name = model;
  q.float_accuracy = float_accuracy(net, test_set);
  q.float_images = static_cast<int64_t>(test_set.count());
  gm::ImageSet calib = train_set;
  calib.pixels.resize(calib_images * calib.rows * calib.cols);
  calib.labels.resize(calib_images);
  q.layers = quantize(net, calibrate_scales(net, calib));
  char text[512];
  std::snprintf(text, sizeof text,
                "greenmac-train: libtorch %s, Adam lr %.0e (halved per epoch in the second half), batch 64, %d epochs, "
                "seed %llu, %zu training images, %.0f s on %d thread(s)",
                TORCH_VERSION, lr, epochs, static_cast<unsigned long long>(seed), train_set.count(), train_secs, threads);
  q.training = text;
  std::snprintf(text, sizeof text,
                "max |activation| per layer over the first %zu training images; weights per output channel max |w| / 127",
                calib_images);
  q.calibration = text;
  {
    torch::NoGradGuard ng;
    net->eval();
    auto logits = net->forward(images_tensor(test_set, 0, 64));
    for (int64_t i = 0; i < logits.size(0); ++i) {
      std::vector<float> row;
      for (int64_t j = 0; j < logits.size(1); ++j) row.push_back(logits[i][j].item<float>());
      q.reference_logits.push_back(row);
    }
  }
  q.validate(output);
  const double acc8 = gm::dnn::layer_accuracy(q, gm::dnn::LayerMultipliers(), test_set, 2);  // int8-exact
  const std::string text_out = gm::dnn::network_to_json(q);
  const std::filesystem::path out_path(output);
  if (out_path.has_parent_path()) std::filesystem::create_directories(out_path.parent_path());
  gm::write_file_atomic(out_path, text_out);  // a name of its own beside it, so two trainings never share one
  progress.finish();
  std::printf("%s: float accuracy %.4f, int8-exact accuracy %.4f (%zu test images), %lld MACs/image -> %s\n",
              model.c_str(), q.float_accuracy, acc8, test_set.count(), static_cast<long long>(q.macs_per_image()),
              output.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"greenmac-train: train and int8-quantize the Fashion-MNIST DNN (libtorch, CPU), or fine-tune a "
               "quantized model for per-layer approximate multipliers and pruning"};
  std::string model = "cnn", data_dir, output;
  int epochs = 0;
  uint64_t seed = 1;
  size_t calib = 2000;
  int threads = 1;
  gm::train::FinetuneOptions ft;
  app.add_option("--threads", threads, "libtorch threads (results may differ between thread counts)")->check(CLI::Range(1, 64));
  app.add_option("--model", model, "network")->check(CLI::IsMember({"cnn", "mlp"}));
  app.add_option("--epochs", epochs, "training epochs (default: cnn 20, mlp 10; fine-tuning 3)")->check(CLI::Range(1, 1000));
  app.add_option("--seed", seed, "seed of the initial weights and the batch order");
  app.add_option("--calib", calib, "training images used to calibrate the activation scales")->check(CLI::Range(1, 60000));
  app.add_option("--data", data_dir, "Fashion-MNIST directory (default $GREENMAC_FASHION_MNIST or /usr/share/datasets/fashion-mnist)");
  app.add_option("-o,--output", output, "model file to write")->required();
  app.add_flag_callback("-q,--quiet", [] { gm::set_progress_quiet(true); },
                        "no progress lines on stderr (also GREENMAC_PROGRESS=0); stdout is the same either way");
  auto* finetune = app.add_option("--finetune", ft.start, "fine-tune this model (cnn, mlp or a model file) instead of training");
  auto fo = [&](CLI::Option* o) { return o->needs(finetune); };
  fo(app.add_option("--mul-layer", ft.mul_layers, "LAYER=SPEC: the layer's multiplier, emulated in the forward pass"));
  fo(app.add_option("--mul-map", ft.mul_map, "file of `LAYER SPEC` lines, as --mul-layer"));
  fo(app.add_option("--prune", ft.prune, "magnitude-prune this fraction first (0..1), then fine-tune"));
  fo(app.add_option("--prune-mode", ft.prune_mode, "weight (unstructured) or channel (whole output channels, removed)"));
  fo(app.add_option("--lr", ft.lr, "Adam learning rate of fine-tuning"));
  fo(app.add_option("--min-epoch", ft.min_epoch, "keep no epoch before this one (1: never the start)"));
  fo(app.add_option("--train-images", ft.train_images, "fine-tune on the first N training images (at most 50,000)"));
  fo(app.add_option("--val-images", ft.val_images, "validation images that choose the epoch (the last 10,000 training images)"));
  fo(app.add_option("--test-images", ft.test_images, "test images of the reported accuracy"));
  fo(app.add_flag("--json", ft.json, "print the result as JSON"));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    if (!ft.start.empty()) {
      ft.epochs = epochs ? epochs : 3;
      ft.seed = seed, ft.threads = threads, ft.data_dir = data_dir, ft.output = output;
      return gm::train::run_finetune(ft);
    }
    if (epochs == 0) epochs = model == "cnn" ? 20 : 10;
    return run(model, epochs, seed, calib, threads, data_dir, output);
  } catch (const gm::DataError& e) {
    std::cerr << "greenmac: error: " << e.what() << "\n";
    return 2;
  } catch (const gm::UserError& e) {
    std::cerr << "greenmac: error: " << e.what() << "\n";
    return 2;
  } catch (const gm::SpecError& e) {
    std::cerr << "greenmac: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "greenmac-train: internal error: " << e.what() << "\n";
    return 1;
  }
}
