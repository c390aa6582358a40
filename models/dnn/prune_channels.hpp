// Removing pruned channels from a quantized network, so that channel pruning saves cycles and not
// only switching: a channel whose weights and bias are all zero outputs requantize(0) = 0 on every
// image, so it can be dropped from its layer together with the inputs that read it in the next
// conv/fc layer. The smaller network then runs on the array in fewer tiles (docs/dnn.md, "Pruning").
//
// The compacted network computes exactly what the original computes when the dropped inputs'
// products are 0, i.e. for every multiplier with M(0, w) = 0 (the exact one, and every multiplier
// that zero gating accepts). Pooling layers pass a channel through, so they shrink with it.
#pragma once

#include <vector>

#include "models/dnn/network.hpp"

namespace gm::dnn {

// The output channels of net.layers[index] (conv or fc) whose weights and bias are all zero.
std::vector<int> dead_channels(const Network& net, size_t index);

// Drops the dead output channels of every conv/fc layer but the last (the class scores keep every
// class) and the matching inputs of the conv/fc layer after it. A layer keeps at least one channel.
// Returns the number of channels dropped; the result passes Network::validate.
int drop_dead_channels(Network& net);

}  // namespace gm::dnn
