// The operands a network gives its multipliers, for `greenmac evolve --model`: the histogram of every
// product of the inference (the error weights) and the weight-stationary stream of PE (0, 0) of an
// 8x8 array (the switching), both from the exact 8-bit multiplier on the first images of the
// training split. Training images, because the circuits are later chosen on the validation split
// and reported on the test split; neither may shape them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "models/metrics.hpp"

namespace gm {

struct NetworkOperands {
  std::string histogram_text;  // 'a b count' lines (metrics --dist format), every product
  std::string stream_text;     // 'a b 1' lines, in the PE's order
  std::string label;           // "model cnn, 2000 training images"
  // Every conv/fc layer's own products in the same inference ('a b count' lines), network order:
  // for evolve --dist-layer LAYER=model.
  std::vector<std::pair<std::string, std::string>> layer_histograms;
};

// layer: "" for every conv/fc layer, else one layer's name (dnn eval --list-layers): only its
// products and its stream, for a circuit evolved for that layer (explore's evolved lever then
// tries it there like any other). Throws UserError (model file, data, layer name) before any work.
NetworkOperands network_operands(const std::string& model, size_t images, const std::string& data_dir,
                                 const std::string& layer = "");

}  // namespace gm
