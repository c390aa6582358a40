#include "models/dnn/sensitivity.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

#include "models/errors.hpp"
#include "models/product_table.hpp"
#include "models/progress.hpp"

namespace gm {

DnnSensitivityReport dnn_sensitivity(const DnnSensitivityOptions& opt) {
  if (opt.specs.empty()) throw UserError("dnn sensitivity needs at least one multiplier: --mul SPEC...");
  std::vector<Spec> specs;
  for (const auto& s : opt.specs) {
    dnn::check_dnn_spec(s);
    bool dup = false;
    for (const auto& t : specs) dup = dup || t.canonical() == s.canonical();
    if (!dup) specs.push_back(s);
  }
  const dnn::Network net = load_dnn_model(opt.model);
  const ImageSet set = load_dnn_images(opt.data_dir, opt.split, opt.images, net);

  DnnSensitivityReport rep;
  rep.model = net.name;
  rep.model_file = net.source;
  rep.split = dnn_split_name(opt.split);
  rep.images = set.count();
  rep.layers = dnn::gemm_layers(net);

  const ProductTable exact_table(parse_spec("exact:s=1"));
  dnn::TableGemm exact(exact_table, opt.threads);
  std::vector<std::unique_ptr<ProductTable>> tables;
  std::vector<std::unique_ptr<dnn::TableGemm>> engines;
  for (const auto& s : specs) {
    tables.push_back(std::make_unique<ProductTable>(s));
    engines.push_back(std::make_unique<dnn::TableGemm>(*tables.back(), opt.threads));
  }

  const int classes = net.classes();
  const size_t count = set.count(), layers = net.layers.size(), gl = rep.layers.size();
  const int64_t in_size = int64_t{net.in_c} * net.in_h * net.in_w;
  // Final outputs, count x classes each: exact, [spec][gemm layer] with only that layer
  // approximated, [spec] with every layer approximated.
  std::vector<int32_t> exact_out(count * classes);
  std::vector<std::vector<std::vector<int32_t>>> only(specs.size(),
                                                      std::vector<std::vector<int32_t>>(gl, exact_out));
  std::vector<std::vector<int32_t>> all(specs.size(), exact_out);

  const auto t0 = std::chrono::steady_clock::now();
  const size_t batch = std::max<size_t>(1, opt.batch);
  // Each batch runs 1 + specs x (gemm layers + 1) inferences: the step is the batch, the items its images.
  progress_stage(opt.progress, "images", count, "images");
  for (size_t first = 0; first < count; first += batch) {
    const size_t images = std::min(batch, count - first);
    const std::string step = "images " + std::to_string(first + 1) + ".." + std::to_string(first + images);
    progress_begin(opt.progress, step);
    // inputs[i]: the int8-exact network's input of layer i on this batch (inputs[layers]: its output).
    std::vector<std::vector<int32_t>> inputs(layers + 1);
    inputs[0].resize(images * in_size);
    for (size_t i = 0; i < inputs[0].size(); ++i) inputs[0][i] = dnn::quantize_pixel(set.pixels[first * in_size + i]);
    for (size_t i = 0; i < layers; ++i) inputs[i + 1] = dnn::run_layer(net.layers[i], inputs[i], images, exact);
    auto keep = [&](std::vector<int32_t>& dst, const std::vector<int32_t>& act) {
      std::copy(act.begin(), act.end(), dst.begin() + first * classes);
    };
    keep(exact_out, inputs[layers]);
    for (size_t s = 0; s < specs.size(); ++s) {
      for (size_t g = 0; g < gl; ++g) {
        const size_t li = rep.layers[g].index;
        std::vector<int32_t> act = dnn::run_layer(net.layers[li], inputs[li], images, *engines[s]);
        for (size_t j = li + 1; j < layers; ++j) act = dnn::run_layer(net.layers[j], act, images, exact);
        keep(only[s][g], act);
      }
      std::vector<int32_t> act = inputs[0];
      for (size_t j = 0; j < layers; ++j) act = dnn::run_layer(net.layers[j], act, images, *engines[s]);
      keep(all[s], act);
    }
    progress_end(opt.progress, step, images);
  }
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const uint8_t* labels = set.labels.data();
  rep.exact_accuracy = dnn::accuracy(exact_out, classes, labels, count);
  for (size_t s = 0; s < specs.size(); ++s) {
    DnnSensitivityRow row;
    row.spec = specs[s].canonical();
    for (size_t g = 0; g < gl; ++g) row.only_layer.push_back(dnn::accuracy(only[s][g], classes, labels, count));
    row.all_layers = dnn::accuracy(all[s], classes, labels, count);
    rep.rows.push_back(std::move(row));
  }
  return rep;
}

}  // namespace gm
