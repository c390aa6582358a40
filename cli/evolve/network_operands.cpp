#include "cli/evolve/network_operands.hpp"

#include "generator/array/array.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/dnn/layer_names.hpp"
#include "models/dnn/layer_operand_counter.hpp"
#include "models/dnn/network.hpp"
#include "models/dnn/pe_stream.hpp"
#include "models/product_table.hpp"
#include "models/errors.hpp"
#include "models/spec.hpp"

namespace gm {
namespace {

// Passes one layer's GEMMs to `chosen` and the others' to `rest` (every layer to `chosen` when no
// layer is named), telling them apart by the layer itself as LayerGemm does.
class OneLayer : public dnn::GemmEngine {
 public:
  OneLayer(dnn::GemmEngine& chosen, dnn::GemmEngine& rest, const dnn::Layer* layer)
      : chosen_(chosen), rest_(rest), layer_(layer) {}
  void gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) override {
    chosen_.gemm(x, m, k, w, n, y);
  }
  void gemm_layer(const int8_t* x, int64_t m, int64_t k, const dnn::Layer& l, int32_t* out) override {
    (layer_ == nullptr || &l == layer_ ? chosen_ : rest_).gemm_layer(x, m, k, l, out);
  }

 private:
  dnn::GemmEngine& chosen_;
  dnn::GemmEngine& rest_;
  const dnn::Layer* layer_;
};

}  // namespace

NetworkOperands network_operands(const std::string& model, size_t images, const std::string& data_dir,
                                 const std::string& layer) {
  const dnn::Network net = load_dnn_model(model);
  const auto info = dnn::gemm_layers(net);
  const dnn::Layer* chosen = nullptr;
  if (!layer.empty()) {
    for (const auto& g : info)
      if (g.name == layer) chosen = &net.layers[g.index];
    if (!chosen)
      throw UserError("--layer " + layer + ": model " + model + " has no such layer; its layers are " +
                      dnn::gemm_layer_name_list(net));
  }
  const ImageSet set = load_dnn_images(data_dir, DnnSplit::kTrain, images, net);
  const Spec exact = parse_spec("exact:w=8,s=1");
  const ProductTable table(exact);
  NetworkOperands r;
  r.label = "model " + model + (layer.empty() ? "" : ", layer " + layer) + ", the first " +
            std::to_string(set.count()) + " training images";
  dnn::OperandTrace trace;
  dnn::TableGemm traced(table, 1, &trace), plain(table, 1);
  OneLayer engine(traced, plain, chosen);
  dnn::LayerOperandCounter counter(net, engine);  // each layer's products too, for --dist-layer LAYER=model
  dnn::run_network(net, set.pixels.data(), set.count(), counter);
  r.histogram_text = trace.histogram_text("# operand pairs of exact:w=8,s=1 in " + r.label + "\n# a b count\n");
  for (const auto& g : info)
    r.layer_histograms.emplace_back(
        g.name, counter.layer_trace(g.index).histogram_text("# operand pairs of exact:w=8,s=1 in layer " + g.name +
                                                            " of model " + model + ", the first " +
                                                            std::to_string(set.count()) + " training images\n# a b count\n"));
  dnn::PeStreamOptions po;
  po.depth = make_array_config(po.rows, po.cols, exact, "", 32, false).acc_depth;
  po.limit = 20000;
  dnn::PeStreamRecorder recorder(table, po);
  OneLayer streamed(recorder, plain, chosen);
  const size_t image_bytes = static_cast<size_t>(net.in_c) * net.in_h * net.in_w;
  for (size_t i = 0; i < set.count() && !recorder.full(); ++i)
    dnn::run_network(net, set.pixels.data() + i * image_bytes, 1, streamed, 1);
  const dnn::PePairs& pairs = recorder.pairs;
  r.stream_text = "# the weight-stationary stream of PE (0, 0) of an 8x8 array, " + r.label + "\n";
  for (const auto& [a, b] : pairs) r.stream_text += std::to_string(a) + " " + std::to_string(b) + " 1\n";
  return r;
}

}  // namespace gm
