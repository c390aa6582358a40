// greenmac-train: trains the DNN of issue 5 on Fashion-MNIST with libtorch (CPU), quantizes it to the
// int8 definition of docs/quantization.md and writes the greenmac-qnn-1 model file that
// `greenmac dnn eval` reads. `greenmac train` runs this executable; it is a separate binary so that
// neither gm_models (linked into every Verilator harness) nor the greenmac binary depends on libtorch.
//
//   greenmac-train --model cnn|mlp [--epochs N] [--seed S] [--calib N] [--data DIR] -o FILE
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
#include <fstream>
#include <iostream>
#include <numeric>
#include <random>

#include "models/dnn/network.hpp"
#include "models/dnn/idx.hpp"
#include "models/product_table.hpp"

namespace {

using gm::dnn::Layer;
using gm::dnn::LayerKind;

// One layer of the float network, shaped like its quantized counterpart.
struct Op {
  Layer shape;  // kind, shapes, kernel, pad, pool, relu (the integer fields are filled by quantize)
  torch::nn::Conv2d conv{nullptr};
  torch::nn::Linear fc{nullptr};
};

struct NetImpl : torch::nn::Module {
  std::vector<Op> ops;

  // taps (optional) receives the output of every conv / fc layer after its ReLU, before pooling:
  // the tensors the requantization maps to int8.
  torch::Tensor forward(torch::Tensor x, std::vector<torch::Tensor>* taps = nullptr) {
    for (auto& op : ops) {
      switch (op.shape.kind) {
        case LayerKind::kConv:
          x = op.conv->forward(x);
          break;
        case LayerKind::kFc:
          x = op.fc->forward(x.flatten(1));
          break;
        case LayerKind::kMaxPool:
          x = torch::max_pool2d(x, op.shape.pool);
          continue;
      }
      if (op.shape.relu) x = torch::relu(x);
      if (taps) taps->push_back(x);
    }
    return x;
  }
};
TORCH_MODULE(Net);

// Layer list builder: tracks the running (C, H, W) shape.
struct Builder {
  int c = 1, h = 28, w = 28;
  std::vector<Layer> layers;
  void conv(int out, int k, int pad) {
    Layer l;
    l.kind = LayerKind::kConv;
    l.in_c = c, l.in_h = h, l.in_w = w, l.kernel = k, l.pad = pad, l.relu = true;
    l.out_c = out, l.out_h = h + 2 * pad - k + 1, l.out_w = w + 2 * pad - k + 1;
    push(l);
  }
  void pool(int p) {
    Layer l;
    l.kind = LayerKind::kMaxPool;
    l.in_c = c, l.in_h = h, l.in_w = w, l.pool = p, l.out_c = c, l.out_h = h / p, l.out_w = w / p;
    push(l);
  }
  void fc(int out, bool relu) {
    Layer l;
    l.kind = LayerKind::kFc;
    l.in_c = c, l.in_h = h, l.in_w = w, l.relu = relu, l.out_c = out, l.out_h = 1, l.out_w = 1;
    push(l);
  }
  void push(const Layer& l) {
    layers.push_back(l);
    c = l.out_c, h = l.out_h, w = l.out_w;
  }
};

std::vector<Layer> architecture(const std::string& model) {
  Builder b;
  if (model == "cnn") {
    b.conv(16, 3, 1);  // 28x28x16
    b.pool(2);         // 14x14x16
    b.conv(32, 3, 0);  // 12x12x32
    b.pool(2);         // 6x6x32
    b.fc(10, false);   // 1152 -> 10
  } else {
    b.fc(128, true);  // 784 -> 128
    b.fc(64, true);   // 128 -> 64
    b.fc(10, false);  // 64 -> 10
  }
  return b.layers;
}

Net make_net(const std::vector<Layer>& layers) {
  Net net;
  int i = 0;
  for (const auto& l : layers) {
    Op op;
    op.shape = l;
    const std::string name = "l" + std::to_string(i++);
    if (l.kind == LayerKind::kConv)
      op.conv = net->register_module(name, torch::nn::Conv2d(torch::nn::Conv2dOptions(l.in_c, l.out_c, l.kernel).padding(l.pad)));
    if (l.kind == LayerKind::kFc) op.fc = net->register_module(name, torch::nn::Linear(l.in_size(), l.out_c));
    net->ops.push_back(op);
  }
  return net;
}

// Images as float tensors of the quantized input: x_q / 127, shape (n, 1, 28, 28).
torch::Tensor to_tensor(const gm::ImageSet& set, size_t first, size_t n) {
  const int px = set.rows * set.cols;
  auto t = torch::empty({static_cast<int64_t>(n), 1, set.rows, set.cols});
  float* p = t.data_ptr<float>();
  for (size_t i = 0; i < n * px; ++i)
    p[i] = static_cast<float>(gm::dnn::quantize_pixel(set.pixels[first * px + i]) * gm::dnn::kInputScale);
  return t;
}

torch::Tensor labels_tensor(const gm::ImageSet& set, const std::vector<size_t>& idx) {
  auto t = torch::empty({static_cast<int64_t>(idx.size())}, torch::kLong);
  for (size_t i = 0; i < idx.size(); ++i) t[i] = static_cast<int64_t>(set.labels[idx[i]]);
  return t;
}

double float_accuracy(Net& net, const gm::ImageSet& test) {
  torch::NoGradGuard ng;
  net->eval();
  size_t ok = 0;
  for (size_t first = 0; first < test.count(); first += 1000) {
    const size_t n = std::min<size_t>(1000, test.count() - first);
    auto pred = net->forward(to_tensor(test, first, n)).argmax(1);
    for (size_t i = 0; i < n; ++i) ok += pred[i].item<int64_t>() == test.labels[first + i];
  }
  return static_cast<double>(ok) / static_cast<double>(test.count());
}

void train(Net& net, const gm::ImageSet& data, int epochs, uint64_t seed, double lr) {
  torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(lr));
  std::mt19937_64 rng(seed);
  std::vector<size_t> order(data.count());
  std::iota(order.begin(), order.end(), 0);
  const int px = data.rows * data.cols;
  const size_t bs = 64;
  for (int e = 0; e < epochs; ++e) {
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
      auto x = torch::empty({static_cast<int64_t>(bs), 1, data.rows, data.cols});
      float* p = x.data_ptr<float>();
      for (size_t i = 0; i < bs; ++i)
        for (int j = 0; j < px; ++j)
          p[i * px + j] = static_cast<float>(gm::dnn::quantize_pixel(data.pixels[idx[i] * px + j]) * gm::dnn::kInputScale);
      opt.zero_grad();
      auto loss = torch::nn::functional::cross_entropy(net->forward(x), labels_tensor(data, idx));
      loss.backward();
      opt.step();
      loss_sum += loss.item<double>();
      ++batches;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "epoch %d/%d  lr %.2e  loss %.4f  (%.1f s)\n", e + 1, epochs, rate, loss_sum / batches, secs);
  }
}

// Post-training quantization (docs/quantization.md): per-output-channel symmetric int8 weights, int32
// bias, activation scales from the largest value each tap reaches on the calibration images.
std::vector<Layer> quantize(Net& net, const gm::ImageSet& calib) {
  torch::NoGradGuard ng;
  net->eval();
  std::vector<torch::Tensor> taps;
  net->forward(to_tensor(calib, 0, calib.count()), &taps);
  std::vector<Layer> out;
  double in_scale = gm::dnn::kInputScale;
  size_t tap = 0;
  for (auto& op : net->ops) {
    Layer l = op.shape;
    if (l.kind == LayerKind::kMaxPool) {
      out.push_back(l);
      continue;
    }
    const bool last = &op == &net->ops.back();
    const double peak = taps[tap++].abs().max().item<double>();
    // Hidden layers: int8 (0..127 after ReLU). The class scores keep 16 bits so that argmax ties
    // are rare; they never feed another multiplier.
    l.out_max = last ? 32767 : 127;
    l.out_min = l.relu ? 0 : -l.out_max - 1;
    l.out_scale = peak > 0 ? peak / l.out_max : 1.0;
    l.in_scale = in_scale;
    torch::Tensor w = (l.kind == LayerKind::kConv ? op.conv->weight : op.fc->weight).detach().reshape({l.out_c, -1}).to(torch::kDouble);
    torch::Tensor b = (l.kind == LayerKind::kConv ? op.conv->bias : op.fc->bias).detach().to(torch::kDouble);
    const int64_t k = l.k(), n = l.n();
    l.weights.assign(k * n, 0);
    for (int64_t j = 0; j < n; ++j) {
      const double wmax = w[j].abs().max().item<double>();
      const double ws = wmax > 0 ? wmax / 127.0 : 1.0;
      l.w_scale.push_back(ws);
      auto wj = w[j].contiguous();
      const double* wp = wj.data_ptr<double>();
      for (int64_t t = 0; t < k; ++t) l.weights[t * n + j] = gm::dnn::quantize_weight(wp[t], ws);
      const double bq = std::round(b[j].item<double>() / (in_scale * ws));
      l.bias.push_back(static_cast<int32_t>(std::clamp(bq, -2147483648.0, 2147483647.0)));
      l.requant.push_back(gm::dnn::make_requant(in_scale * ws / l.out_scale));
    }
    in_scale = l.out_scale;
    out.push_back(l);
  }
  return out;
}

// int8-exact accuracy through the golden path, as a check of the file just written.
double int8_accuracy(const gm::dnn::Network& qnet, const gm::ImageSet& test) {
  gm::ProductTable exact(8, true, [](int64_t a, int64_t b) { return a * b; });
  gm::dnn::TableGemm engine(exact, 2);
  const auto out = gm::dnn::run_network(qnet, test.pixels.data(), test.count(), engine, 500);
  return gm::dnn::accuracy(out, qnet.classes(), test.labels.data(), test.count());
}

int run(const std::string& model, int epochs, uint64_t seed, size_t calib_images, int threads, const std::string& data_dir,
        const std::string& output) {
  const auto dir = gm::fashion_mnist_dir(data_dir);
  const gm::ImageSet train_set = gm::load_fashion_mnist(dir, "train");
  const gm::ImageSet test_set = gm::load_fashion_mnist(dir, "t10k");
  torch::manual_seed(seed);
  torch::set_num_threads(threads);
  const auto layers = architecture(model);
  Net net = make_net(layers);
  const double lr = 1e-3;
  const auto t0 = std::chrono::steady_clock::now();
  train(net, train_set, epochs, seed, lr);
  const double train_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  gm::dnn::Network q;
  q.name = model;
  q.float_accuracy = float_accuracy(net, test_set);
  q.float_images = static_cast<int64_t>(test_set.count());
  gm::ImageSet calib = train_set;
  calib.pixels.resize(calib_images * calib.rows * calib.cols);
  calib.labels.resize(calib_images);
  q.layers = quantize(net, calib);
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
    auto logits = net->forward(to_tensor(test_set, 0, 64));
    for (int64_t i = 0; i < logits.size(0); ++i) {
      std::vector<float> row;
      for (int64_t j = 0; j < logits.size(1); ++j) row.push_back(logits[i][j].item<float>());
      q.reference_logits.push_back(row);
    }
  }
  q.validate(output);
  const double acc8 = int8_accuracy(q, test_set);
  const std::string text_out = gm::dnn::network_to_json(q);
  const std::filesystem::path out_path(output);
  if (out_path.has_parent_path()) std::filesystem::create_directories(out_path.parent_path());
  const std::filesystem::path tmp = out_path.string() + ".tmp";
  {
    std::ofstream f(tmp);
    f << text_out;
    if (!f) throw gm::DataError("cannot write '" + tmp.string() + "'");
  }
  std::filesystem::rename(tmp, out_path);
  std::printf("%s: float accuracy %.4f, int8-exact accuracy %.4f (%zu test images), %lld MACs/image -> %s\n",
              model.c_str(), q.float_accuracy, acc8, test_set.count(), static_cast<long long>(q.macs_per_image()),
              output.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"greenmac-train: train and int8-quantize the Fashion-MNIST DNN (libtorch, CPU)"};
  std::string model = "cnn", data_dir, output;
  int epochs = 0;
  uint64_t seed = 1;
  size_t calib = 2000;
  int threads = 1;
  app.add_option("--threads", threads, "libtorch threads (results may differ between thread counts)")->check(CLI::Range(1, 64));
  app.add_option("--model", model, "network")->check(CLI::IsMember({"cnn", "mlp"}));
  app.add_option("--epochs", epochs, "training epochs (default: cnn 20, mlp 10)")->check(CLI::Range(1, 1000));
  app.add_option("--seed", seed, "seed of the initial weights and the batch order");
  app.add_option("--calib", calib, "training images used to calibrate the activation scales")->check(CLI::Range(1, 60000));
  app.add_option("--data", data_dir, "Fashion-MNIST directory (default $GREENMAC_FASHION_MNIST or /usr/share/datasets/fashion-mnist)");
  app.add_option("-o,--output", output, "model file to write")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (epochs == 0) epochs = model == "cnn" ? 20 : 10;
  try {
    return run(model, epochs, seed, calib, threads, data_dir, output);
  } catch (const gm::DataError& e) {
    std::cerr << "greenmac-train: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "greenmac-train: internal error: " << e.what() << "\n";
    return 1;
  }
}
