// Fine-tuning a quantized model (greenmac train --finetune): approximation-aware (the forward pass
// emulates each layer's multiplier, emulation.hpp), after pruning (pruning.hpp), or both. Training
// uses the first 50,000 training images; the epoch kept is the one whose int8 model has the best
// accuracy on the validation split (the last 10,000 training images) through the golden path with
// the layers' multipliers (epoch 0, the starting point, included); the test accuracy of the kept
// model is reported, never used to choose.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gm::train {

struct FinetuneOptions {
  std::string start;                    // "cnn", "mlp" or a model file
  std::vector<std::string> mul_layers;  // LAYER=SPEC
  std::string mul_map;
  double prune = 0;                     // sparsity; 0: no pruning
  std::string prune_mode = "weight";
  int epochs = 3;
  int min_epoch = 0;  // epochs before it are not kept (1: the start never is, whatever its accuracy)
  double lr = 1e-4;
  uint64_t seed = 1;
  size_t train_images = 50000;  // the first N training images (at most 50,000)
  size_t val_images = 10000;    // the first N of the validation split
  size_t test_images = 10000;
  int threads = 1;
  std::string data_dir;
  std::string output;
  bool json = false;
};

int run_finetune(const FinetuneOptions& opt);

}  // namespace gm::train
