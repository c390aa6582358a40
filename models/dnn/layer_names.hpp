// Stable layer names: every layer of a network is named by its kind and its 1-based ordinal among
// the layers of that kind, in network order: the CNN's conv1, pool1, conv2, pool2, fc1; the MLP's
// fc1, fc2, fc3. Per-layer options (--mul-layer, --mul-map), reports and JSON use these names, and
// they come from this one place (docs/dnn.md, "Per-layer multipliers").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/dnn/network.hpp"

namespace gm::dnn {

// "conv", "fc" or "pool": the prefix of a layer's name.
const char* layer_name_prefix(LayerKind kind);

// The name of net.layers[index]: prefix + ordinal among the layers of that kind ("conv2", "pool1").
// Throws std::out_of_range for an index outside the network.
std::string layer_name(const Network& net, size_t index);

// One conv or fc layer: what `dnn eval --list-layers` prints and per-layer reports carry.
struct GemmLayerInfo {
  size_t index = 0;          // in net.layers
  std::string name;          // layer_name(net, index)
  std::string description;   // Layer::describe()
  int64_t k = 0, n = 0;      // its GEMM: K (dot-product length) and N (output channels)
  int64_t macs_per_image = 0;
  double mac_share = 0;      // macs_per_image / the network's MACs per image
};

// The conv and fc layers of `net` in network order (the layers a multiplier can be assigned to).
std::vector<GemmLayerInfo> gemm_layers(const Network& net);

// Their names joined by ", " ("conv1, conv2, fc1"), for messages that list the valid names.
std::string gemm_layer_name_list(const Network& net);

}  // namespace gm::dnn
