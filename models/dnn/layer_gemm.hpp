// The golden engine of a per-layer configuration: each conv/fc layer's GEMM goes to the TableGemm
// of that layer's multiplier (one ProductTable and one TableGemm per distinct spec, shared by the
// layers that use it). Everything else is TableGemm's: the same products, the same host output
// stage, so a configuration that gives every layer X computes exactly what TableGemm(X) computes.
#pragma once

#include <memory>
#include <vector>

#include "models/dnn/idx.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "models/dnn/network.hpp"
#include "models/product_table.hpp"

namespace gm::dnn {

class LayerGemm : public GemmEngine {
 public:
  // `net` must outlive the engine and stay where it is: a call is matched to its layer by the
  // address of the weights it multiplies (run_layer passes net.layers[i]'s own weights). Resolves
  // `layers` against `net` (UserError for an unknown layer name). threads and trace go to every
  // TableGemm (a shared trace sees the products of all layers, in call order).
  LayerGemm(const Network& net, const LayerMultipliers& layers, int threads = 0, OperandTrace* trace = nullptr);

  // The layer is found by its weights `w`; a GEMM on weights of no layer of `net` is a
  // programming error (std::logic_error).
  void gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) override;
  void gemm_layer(const int8_t* x, int64_t m, int64_t k, const Layer& layer, int32_t* out) override;

  uint64_t macs() const;                              // products looked up, all layers
  const Spec& spec_of_layer(size_t index) const;      // the multiplier of net.layers[index] (conv/fc)
  size_t distinct_specs() const { return tables_.size(); }

 private:
  TableGemm& engine_for(const int8_t* weights);
  const Network& net_;
  std::vector<std::unique_ptr<ProductTable>> tables_;  // one per distinct spec
  std::vector<std::unique_ptr<TableGemm>> engines_;    // engines_[i] looks up in *tables_[i]
  std::vector<Spec> specs_;                            // specs_[i]: the spec of tables_[i]
  std::vector<int> engine_of_layer_;                   // per net.layers index; -1 for maxpool
};

// Top-1 accuracy of `net` on `images` through the golden path with the layers' multipliers (500
// images per GEMM; threads as LayerGemm's).
double layer_accuracy(const Network& net, const LayerMultipliers& layers, const ImageSet& images, int threads = 0);

}  // namespace gm::dnn
