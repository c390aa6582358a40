// Magnitude pruning (Han et al., NeurIPS 2015), one-shot, then fine-tuning with the pruned weights
// held at zero (the masks are applied again after every optimizer step).
//   weight:  in every conv/fc layer, the fraction S of its weights with the smallest |w|;
//   channel: in every conv/fc layer but the last (the class scores), the fraction S of its output
//            channels with the smallest L2 norm, weights and bias (Li et al., ICLR 2017). Such a
//            channel outputs 0 and is removed from the model file (models/dnn/prune_channels.hpp),
//            so the array runs fewer tiles; weight pruning leaves zeros for the array to skip
//            switching on.
#pragma once

#include <string>
#include <vector>

#include "models/dnn/train/float_net.hpp"

namespace gm::train {

enum class PruneMode { kWeight, kChannel };
PruneMode parse_prune_mode(const std::string& text);  // "weight" | "channel"; DataError otherwise

class Pruning {
 public:
  // Chooses the pruned weights of `net` now, by magnitude. 0 <= sparsity < 1.
  Pruning(Net& net, double sparsity, PruneMode mode);
  // Zeroes the pruned weights (and, channel mode, biases) of `net`.
  void apply(Net& net) const;
  std::string describe() const;  // "channel pruning, 50 %: conv1 8/16, conv2 16/32 channels kept"

 private:
  struct Mask {
    size_t op = 0;
    torch::Tensor weight, bias;  // 0/1 tensors; bias undefined unless channel mode
  };
  std::vector<Mask> masks_;
  std::string text_;
};

}  // namespace gm::train
