// greenmac dnn eval --list-layers [--model cnn|mlp|FILE] [--json]
// greenmac dnn sensitivity --mul SPEC... [--model cnn|mlp|FILE] [--images N] [--split test|val]
//                          [--data DIR] [--batch N] [--json] [-o FILE.csv] [--quiet]
//
// sensitivity: for each multiplier and each conv/fc layer, the accuracy with only that layer's
// products from the multiplier (the other layers int8-exact), beside exact and all layers.
#include "cli/commands/dnn_layers.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/quiet_option.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/dnn/layer_names.hpp"
#include "models/dnn/sensitivity.hpp"
#include "models/files.hpp"
#include "models/progress.hpp"

namespace gm {
namespace {

std::string number(const char* fmt, double v) {  // printf of one number
  char buf[48];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

}  // namespace

int print_layer_list(const std::string& model, bool json) {
  const dnn::Network net = load_dnn_model(model);
  const auto layers = dnn::gemm_layers(net);
  if (json) {
    nlohmann::json j = {{"model", net.name}, {"model_file", net.source}, {"macs_per_image", net.macs_per_image()}};
    j["layers"] = nlohmann::json::array();
    for (const auto& l : layers)
      j["layers"].push_back({{"name", l.name},
                             {"index", l.index},
                             {"description", l.description},
                             {"k", l.k},
                             {"n", l.n},
                             {"macs_per_image", l.macs_per_image},
                             {"mac_share", l.mac_share}});
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::printf("model %s (%s): %lld MACs/image; the conv/fc layers, by the names --mul-layer takes\n", net.name.c_str(),
              net.source.c_str(), static_cast<long long>(net.macs_per_image()));
  std::printf("%-8s %8s %6s %12s %8s  %s\n", "layer", "K", "N", "MACs/image", "share", "description");
  for (const auto& l : layers)
    std::printf("%-8s %8lld %6lld %12lld %8s  %s\n", l.name.c_str(), static_cast<long long>(l.k),
                static_cast<long long>(l.n), static_cast<long long>(l.macs_per_image),
                number("%.2f%%", 100 * l.mac_share).c_str(), l.description.c_str());
  return 0;
}

namespace {

struct SensitivityArgs {
  std::vector<std::string> muls;
  std::string model = "cnn", data, split = "test", csv;
  size_t images = 0, batch = 500;
  bool json = false;
};

std::string csv_text(const DnnSensitivityReport& r) {
  std::ostringstream os;
  os << "model,split,images,spec,layer,mac_share,accuracy,exact_accuracy,loss_pp\n";
  auto line = [&](const std::string& spec, const std::string& layer, double share, double acc) {
    os << r.model << "," << r.split << "," << r.images << ",\"" << spec << "\"," << layer << "," << number("%.6f", share)
       << "," << number("%.6f", acc) << "," << number("%.6f", r.exact_accuracy) << ","
       << number("%.4f", 100 * (r.exact_accuracy - acc)) << "\n";
  };
  for (const auto& row : r.rows) {
    for (size_t g = 0; g < r.layers.size(); ++g) line(row.spec, r.layers[g].name, r.layers[g].mac_share, row.only_layer[g]);
    line(row.spec, "all", 1.0, row.all_layers);
  }
  return os.str();
}

int run_sensitivity(const SensitivityArgs& a) {
  DnnSensitivityOptions opt;
  for (const auto& m : a.muls) opt.specs.push_back(parse_spec(m));
  opt.model = a.model;
  opt.images = a.images;
  opt.data_dir = a.data;
  opt.split = parse_dnn_split(a.split);
  opt.batch = a.batch;
  if (!a.csv.empty()) ensure_output_file(a.csv, "-o");  // before any work: a bad -o fails now, not after the inferences
  Progress progress("dnn sensitivity");
  opt.progress = &progress;
  const DnnSensitivityReport r = dnn_sensitivity(opt);
  progress.finish();
  if (!a.csv.empty()) write_file_atomic(a.csv, csv_text(r));
  if (a.json) {
    nlohmann::json j = {{"model", r.model}, {"model_file", r.model_file}, {"split", r.split},
                        {"images", r.images}, {"exact_accuracy", r.exact_accuracy}, {"seconds", r.seconds}};
    j["layers"] = nlohmann::json::array();
    for (const auto& l : r.layers)
      j["layers"].push_back({{"name", l.name}, {"description", l.description}, {"macs_per_image", l.macs_per_image},
                             {"mac_share", l.mac_share}});
    j["rows"] = nlohmann::json::array();
    for (const auto& row : r.rows) {
      nlohmann::json only = nlohmann::json::object();
      for (size_t g = 0; g < r.layers.size(); ++g) only[r.layers[g].name] = row.only_layer[g];
      j["rows"].push_back({{"spec", row.spec}, {"only_layer", only}, {"all_layers", row.all_layers}});
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::printf("model %s (%s), %zu %s images: accuracy with only the named layer's products from the multiplier (the "
              "other layers int8-exact); in brackets the change from int8-exact in points\n",
              r.model.c_str(), r.model_file.c_str(), r.images, r.split.c_str());
  std::printf("int8-exact (exact:s=1 in every layer): %s\n", number("%.2f%%", 100 * r.exact_accuracy).c_str());
  size_t width = 12;
  for (const auto& row : r.rows) width = std::max(width, row.spec.size());
  std::printf("%-*s", static_cast<int>(width), "multiplier");
  for (const auto& l : r.layers)
    std::printf(" %17s", (l.name + " (" + number("%.1f%%", 100 * l.mac_share) + ")").c_str());
  std::printf(" %17s\n", "all layers");
  auto cell = [&](double acc) {
    return number("%.2f%%", 100 * acc) + " (" + number("%+.2f", 100 * (acc - r.exact_accuracy)) + ")";
  };
  for (const auto& row : r.rows) {
    std::printf("%-*s", static_cast<int>(width), row.spec.c_str());
    for (double acc : row.only_layer) std::printf(" %17s", cell(acc).c_str());
    std::printf(" %17s\n", cell(row.all_layers).c_str());
  }
  std::printf("(share: the layer's part of the network's MACs; %.1f s of inference)\n", r.seconds);
  if (!a.csv.empty()) std::printf("CSV in %s\n", a.csv.c_str());
  return 0;
}

}  // namespace

RunFn add_dnn_sensitivity(CLI::App& dnn) {
  auto a = std::make_shared<SensitivityArgs>();
  CLI::App* se = dnn.add_subcommand(
      "sensitivity", "per layer: the accuracy with only that layer's products from the multiplier (the others "
                     "int8-exact), beside int8-exact and all layers approximated");
  se->add_option("--mul", a->muls, "multiplier specs (8-bit signed), e.g. drum:k=4,s=1")->expected(1, -1)->required();
  se->add_option("--model", a->model, "cnn, mlp (the shipped models/dnn/weights/*.json) or a model file")
      ->capture_default_str();
  se->add_option("--images", a->images, "first N images of the split (default all 10,000)")->check(CLI::Range(1, 1000000));
  se->add_option("--split", a->split,
                 "test: the 10,000 test images; val: the last 10,000 training images (docs/dnn.md)")
      ->check(CLI::IsMember({"test", "val"}))
      ->capture_default_str();
  se->add_option("--data", a->data,
                 "Fashion-MNIST directory (default $GREENMAC_FASHION_MNIST or /usr/share/datasets/fashion-mnist)");
  se->add_option("--batch", a->batch, "images per GEMM call")->check(CLI::Range(1, 100000))->capture_default_str();
  se->add_option("-o,--output", a->csv, "also write the table as CSV (one line per multiplier and layer)");
  se->add_flag("--json", a->json, "print JSON");
  add_quiet_option(*se);
  return [a] { return run_sensitivity(*a); };
}

}  // namespace gm
