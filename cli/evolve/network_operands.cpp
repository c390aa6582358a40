#include "cli/evolve/network_operands.hpp"

#include "generator/array/array.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/dnn/network.hpp"
#include "models/dnn/pe_stream.hpp"
#include "models/product_table.hpp"
#include "models/spec.hpp"

namespace gm {

NetworkOperands network_operands(const std::string& model, size_t images, const std::string& data_dir) {
  const dnn::Network net = load_dnn_model(model);
  const ImageSet set = load_dnn_images(data_dir, DnnSplit::kTrain, images, net);
  const Spec exact = parse_spec("exact:w=8,s=1");
  const ProductTable table(exact);
  NetworkOperands r;
  r.label = "model " + model + ", the first " + std::to_string(set.count()) + " training images";
  dnn::OperandTrace trace;
  dnn::TableGemm engine(table, 1, &trace);
  dnn::run_network(net, set.pixels.data(), set.count(), engine);
  r.histogram_text = trace.histogram_text("# operand pairs of exact:w=8,s=1 in " + r.label + "\n# a b count\n");
  dnn::PeStreamOptions po;
  po.depth = make_array_config(po.rows, po.cols, exact, "", 32, false).acc_depth;
  po.limit = 20000;
  const dnn::PePairs pairs = dnn::network_pe_stream(net, set.pixels.data(), set.count(), table, po);
  r.stream_text = "# the weight-stationary stream of PE (0, 0) of an 8x8 array, " + r.label + "\n";
  for (const auto& [a, b] : pairs) r.stream_text += std::to_string(a) + " " + std::to_string(b) + " 1\n";
  return r;
}

}  // namespace gm
