// greenmac dnn tune --mul-layer LAYER=SPEC... [--mul-map FILE] [--model cnn|mlp|FILE] [--calib-images N]
//                   [--images N] [--data DIR] [--json] [--quiet] -o MODEL.json
//
// Each approximated layer's weights are replaced by the ones that bring its products closest to the
// exact ones under the layer's activation histogram, measured on calibration images from the
// training set (never the validation split, on which levers choose, nor the test set). The tuned model is written to -o; its accuracy
// with the same multipliers is then measured on the test images, beside the untuned model's.
// Progress on stderr (models/progress.hpp): five steps, the histograms, the tuning, three accuracies.
#include "cli/commands/dnn_tune.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/quiet_option.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/dnn/layer_gemm.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "models/dnn/layer_names.hpp"
#include "models/dnn/weight_tuning.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/product_table.hpp"
#include "models/progress.hpp"

namespace gm {
namespace {

struct TuneArgs {
  std::vector<std::string> mul_layers;
  std::string mul_map, model = "cnn", data, output;
  size_t calib_images = 5000, images = 0;
  bool json = false;
};

int run_tune(const TuneArgs& a) {
  if (a.output.empty()) throw UserError("dnn tune needs -o MODEL.json for the tuned model");
  ensure_output_file(a.output, "-o");  // before any work
  const dnn::Network net = load_dnn_model(a.model);
  const dnn::LayerMultipliers lm = dnn::layer_multipliers_from_options(a.mul_layers, a.mul_map);
  if (lm.empty()) throw UserError("dnn tune needs the multipliers to tune for: --mul-layer LAYER=SPEC or --mul-map FILE");
  const std::vector<dnn::LayerSpec> specs = lm.resolve(net);

  // Calibration on training images (never the validation split, on which levers choose), the report
  // on the test images.
  const ImageSet calib = load_dnn_images(a.data, DnnSplit::kTrain, a.calib_images, net);
  const ImageSet test = load_dnn_test_set(a.data, a.images, net);
  Progress progress("dnn tune");
  progress.stage("steps", 5, "steps");
  const std::string hist_step = "activation histograms of " + std::to_string(calib.count()) + " calibration images";
  progress.begin(hist_step);
  const auto hist = dnn::activation_histograms(net, calib.pixels.data(), calib.count());
  progress.end(hist_step);
  std::vector<dnn::LayerTuning> report;
  progress.begin("tune the weights");
  dnn::Network tuned = dnn::tune_network(net, specs, hist, &report);
  progress.end("tune the weights");
  tuned.training = net.training + "; weights tuned by greenmac dnn tune for " + lm.canonical(net) + " on " +
                   std::to_string(calib.count()) + " calibration images (the first training images)";
  write_file_atomic(a.output, dnn::network_to_json(tuned));

  const auto accuracy = [&](const std::string& which, const dnn::Network& n, const dnn::LayerMultipliers& m) {
    const std::string step = "accuracy " + which + " on " + std::to_string(test.count()) + " test images";
    progress.begin(step);
    const double acc = dnn::layer_accuracy(n, m, test);
    progress.end(step);
    return acc;
  };
  const double exact = accuracy("int8-exact", net, dnn::LayerMultipliers());
  const double before = accuracy("untuned", net, lm), after = accuracy("tuned", tuned, lm);
  progress.finish();
  if (a.json) {
    nlohmann::json j = {{"model", net.name},        {"config", lm.canonical(net)}, {"output", a.output},
                        {"calib_images", calib.count()}, {"calib_split", "train"}, {"images", test.count()},
                        {"exact_accuracy", exact},  {"accuracy_before", before}, {"accuracy_after", after}};
    j["layers"] = nlohmann::json::array();
    for (const auto& t : report)
      j["layers"].push_back({{"name", dnn::layer_name(net, t.layer)},
                             {"weights", t.weights},
                             {"changed", t.changed},
                             {"error_before", t.error_before},
                             {"error_after", t.error_after}});
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::printf("%s tuned for %s\n  calibration: the first %zu training images (not the val split); written to %s\n", net.name.c_str(),
              lm.canonical(net).c_str(), calib.count(), a.output.c_str());
  for (const auto& t : report)
    std::printf("  %-6s %lld of %lld weights changed; dot-product squared error %.4g -> %.4g\n",
                dnn::layer_name(net, t.layer).c_str(), static_cast<long long>(t.changed),
                static_cast<long long>(t.weights), t.error_before, t.error_after);
  std::printf("  test accuracy (%zu images): int8-exact %.2f%%, these multipliers %.2f%% untuned, %.2f%% tuned\n",
              test.count(), 100 * exact, 100 * before, 100 * after);
  return 0;
}

}  // namespace

RunFn add_dnn_tune(CLI::App& dnn) {
  auto a = std::make_shared<TuneArgs>();
  CLI::App* tu = dnn.add_subcommand(
      "tune", "weight tuning for approximate multipliers (ALWANN): each weight replaced by the one whose products "
              "come closest to the exact ones under the layer's measured activations; no retraining");
  tu->add_option("--mul-layer", a->mul_layers,
                 "LAYER=SPEC, one per layer (repeatable; default=SPEC for every layer not named); names from "
                 "`dnn eval --list-layers`");
  tu->add_option("--mul-map", a->mul_map, "map file: `LAYER SPEC` lines (docs/dnn.md)");
  tu->add_option("--model", a->model, "cnn, mlp (the shipped models) or a model file")->capture_default_str();
  tu->add_option("--calib-images", a->calib_images,
                 "calibration images for the activation histograms: the first N training images")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  tu->add_option("--images", a->images, "test images for the accuracy report (default all 10,000)")
      ->check(CLI::Range(1, 1000000));
  tu->add_option("--data", a->data, "Fashion-MNIST directory");
  tu->add_option("-o,--output", a->output, "the tuned model file (JSON, docs/dnn.md)")->required();
  tu->add_flag("--json", a->json, "print JSON");
  add_quiet_option(*tu);
  return [a] { return run_tune(*a); };
}

}  // namespace gm
