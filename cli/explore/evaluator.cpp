#include "cli/explore/evaluator.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "cli/report/voltage_report.hpp"
#include "cli/train_binary.hpp"
#include "generator/array/array.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/dnn/layer_gemm.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "models/dnn/weight_tuning.hpp"
#include "models/energy/layer_stats.hpp"
#include "models/energy/mem_energy.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/stopwatch.hpp"
#include "synth/inference_energy_layers.hpp"
#include "tb/array_runner.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;

namespace gm::explore {
namespace {

std::string lr_text(double lr) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", lr);
  return buf;
}

dnn::LayerMultipliers config_of(const std::vector<std::string>& mul_layers) {
  return dnn::layer_multipliers_from_options(mul_layers, "");
}

}  // namespace

Evaluator::Evaluator(const ExploreOptions& opt, const PointStore& store) : opt_(opt), store_(store) {
  const dnn::Network& net = network(opt.model);
  val_ = load_dnn_images(opt.data_dir, DnnSplit::kVal, opt.val_images, net);
  test_ = load_dnn_images(opt.data_dir, DnnSplit::kTest, opt.test_images, net);
}

const dnn::Network& Evaluator::network(const std::string& model) const {
  auto it = nets_.find(model);
  if (it == nets_.end()) it = nets_.emplace(model, load_dnn_model(model)).first;
  return it->second;
}

double Evaluator::val_accuracy(const std::string& model, const std::vector<std::string>& mul_layers) const {
  return dnn::layer_accuracy(network(model), config_of(mul_layers), val_, opt_.threads);
}

void Evaluator::accuracy(Point& p) const {
  const dnn::Network& net = network(p.model);
  const dnn::LayerMultipliers lm = config_of(p.mul_layers);
  p.config = lm.canonical(net);
  p.val_accuracy = dnn::layer_accuracy(net, lm, val_, opt_.threads);
  p.test_accuracy = dnn::layer_accuracy(net, lm, test_, opt_.threads);
}

void Evaluator::train(Point& p, const Point& from, const TrainStep& step) const {
  const auto t0 = std::chrono::steady_clock::now();
  const fs::path out = store_.model_path(p.key);
  std::vector<std::string> argv = {require_train_binary().string(),
                                   "--finetune", from.model,
                                   "--epochs", std::to_string(step.epochs),
                                   "--lr", lr_text(step.lr),
                                   "--seed", std::to_string(opt_.seed),
                                   "--threads", std::to_string(opt_.threads),
                                   "--train-images", std::to_string(opt_.train_images),
                                   "--val-images", std::to_string(opt_.val_images),
                                   "--test-images", "100",  // the trainer's own report; explore measures test itself
                                   "-o", out.string()};
  if (!opt_.data_dir.empty()) argv.insert(argv.end(), {"--data", opt_.data_dir});
  if (step.prune > 0) argv.insert(argv.end(), {"--prune", std::to_string(step.prune), "--prune-mode", "channel"});
  for (const auto& m : step.mul_layers) argv.insert(argv.end(), {"--mul-layer", m});
  const fs::path log = store_.log_path(p.key, "train");
  const RunResult r = run_program(argv, {.log_file = log});
  if (!r.ok())
    throw UserError("explore: training '" + p.recipe + "' failed (exit " + std::to_string(r.exit_code) + "); see " +
                    log.string());
  p.model = out.string();
  p.train_seconds = seconds_since(t0);
}

void Evaluator::tune(Point& p, const Point& from) const {
  const dnn::Network& net = network(from.model);
  const std::vector<dnn::LayerSpec> specs = config_of(p.mul_layers).resolve(net);
  const ImageSet calib = load_dnn_images(opt_.data_dir, DnnSplit::kTrain, 5000, net);
  const auto hist = dnn::activation_histograms(net, calib.pixels.data(), calib.count());
  dnn::Network tuned = dnn::tune_network(net, specs, hist);
  tuned.training = net.training + "; weights tuned by greenmac explore for " + config_of(p.mul_layers).canonical(net);
  const fs::path out = store_.model_path(p.key);
  write_file_atomic(out, dnn::network_to_json(tuned));
  p.model = out.string();
}

void Evaluator::energy(Point& p) const {
  const auto t0 = std::chrono::steady_clock::now();
  InferenceEnergyOptions io;
  io.rows = opt_.rows, io.cols = opt_.cols, io.model = p.model, io.images = opt_.sim_images;
  io.data_dir = opt_.data_dir, io.zero_gate = p.zero_gate;
  const InferenceEnergyResult r = inference_energy_per_layer(io, config_of(p.mul_layers));
  PointEnergy e;
  e.compute_nj = r.energy_nj, e.compute_ci_nj = r.energy_ci_nj;
  e.cycles = r.cycles_per_inference, e.slack_ns = r.slack_ns, e.images = r.images_simulated;
  e.mismatches = r.logit_mismatches;
  for (const auto& l : r.per_layer) e.mismatches += l.mismatches;
  // The voltage ESTIMATE (docs/energy.md, "Voltage scaling"): the lowest supply every array's slack
  // allows at this clock, the measured split scaled by the alpha-power model.
  const VoltageReport v = voltage_report(r, energy::SupplyModel{}, {});
  e.voltage_nj = v.at_clock.total_nj, e.voltage_v = v.at_clock.point.supply_v;
  // The storage TABLE ESTIMATE: accesses outside the array on the same images (int8 words; a
  // narrower operand is not packed), as characterize --dnn --array counts them.
  const dnn::Network& net = network(p.model);
  const ImageSet images = load_dnn_test_set(opt_.data_dir, opt_.sim_images, net);
  const ArrayConfig cfg = make_array_config(opt_.rows, opt_.cols, parse_spec("exact:s=1"), "", 32, false, 0, true);
  const energy::StorageReport st =
      energy::layer_stats(net, images.pixels.data(), images.count(), shared_product_table(parse_spec("exact:s=1")),
                          array_timing(cfg), energy::default_mem_energy_table(), 1, cfg.acc_width);
  for (const auto& l : st.layers) e.storage_nj += l.int8.outside_array() / static_cast<double>(st.images) * 1e-3;
  e.seconds = seconds_since(t0);
  p.energy = e;
}

DnnRtlReport Evaluator::rtl(const Point& p) const {
  DnnRtlOptions o;
  o.rows = opt_.rows, o.cols = opt_.cols, o.model = p.model, o.images = opt_.rtl_images, o.data_dir = opt_.data_dir;
  o.layers = config_of(p.mul_layers);
  return dnn_rtl(o);
}

}  // namespace gm::explore
