#include "tb/dnn_on_rtl.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <thread>

#include "models/progress.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/dnn/layer_gemm.hpp"
#include "models/errors.hpp"
#include "models/golden_gemm.hpp"
#include "models/dnn/idx.hpp"
#include "models/product_table.hpp"
#include "tb/pe_multiplier.hpp"

namespace gm {

void ArrayGemm::gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) {
  const ArrayConfig& cfg = runner_.config();
  if (cfg.out_stage) throw std::logic_error("ArrayGemm::gemm: an output-stage array gives layer outputs, not sums");
  GemmProblem p;
  p.m = m;
  p.k = k;
  p.n = n;
  p.x.assign(x, x + m * k);
  p.w.assign(w, w + k * n);
  const GemmResult r = runner_.run(p);
  // The array's accumulators are acc-width (32) two's-complement values: the golden wrap32 sum.
  for (int64_t i = 0; i < m * n; ++i) y[i] = static_cast<int32_t>(r.y[i]);
  cycles += r.cycles;
  cycles_model += runner_.model_cycles(m, k, n);
  macs += static_cast<uint64_t>(m * k * n);
  sim_cpu_seconds += r.cpu_seconds;
}

void ArrayGemm::gemm_layer(const int8_t* x, int64_t m, int64_t k, const dnn::Layer& l, int32_t* out) {
  if (!runner_.config().out_stage) {  // sums from the array, the output stage on the host
    dnn::GemmEngine::gemm_layer(x, m, k, l, out);
    return;
  }
  const int64_t n = l.n();
  GemmProblem p;
  p.m = m;
  p.k = k;
  p.n = n;
  p.x.assign(x, x + m * k);
  p.w.assign(l.weights.begin(), l.weights.end());
  for (int64_t j = 0; j < n; ++j)
    p.params.push_back({l.bias[j], l.requant[j].m0, l.requant[j].shift, l.out_min, l.out_max});
  const GemmResult r = runner_.run(p);
  for (int64_t i = 0; i < m * n; ++i) out[i] = static_cast<int32_t>(r.y[i]);
  const uint64_t model = runner_.model_cycles(m, k, n);
  cycles += r.cycles;
  cycles_model += model;
  macs += static_cast<uint64_t>(m * k * n);
  sim_cpu_seconds += r.cpu_seconds;

  // The golden layer on the same inputs: products through the model, the host's output stage.
  std::vector<int32_t> golden(m * n);
  golden_.gemm_layer(x, m, k, l, golden.data());
  const auto at = std::find_if(net_.layers.begin(), net_.layers.end(), [&](const dnn::Layer& q) { return &q == &l; });
  if (at == net_.layers.end()) throw std::logic_error("ArrayGemm::gemm_layer: the layer is not in the network");
  DnnLayerCheck& c = layers[at - net_.layers.begin()];
  c.layer = l.describe();
  c.outputs += static_cast<uint64_t>(m * n);
  for (int64_t i = 0; i < m * n; ++i) c.mismatches += out[i] != golden[i];
  c.cycles += r.cycles;
  c.cycles_model += model;
}

void check_dnn_rtl(const std::string& who, const std::string& name, const std::string& array, uint64_t images,
                   uint64_t mismatches, uint64_t cycles, uint64_t cycles_model, CheckLog& checks) {
  const std::string what = who + ": " + name + " on the " + array + " array, " + std::to_string(images) + " images: ";
  checks.expect(mismatches == 0, what + std::to_string(mismatches) + " logits differ from the golden inference");
  checks.expect(cycles == cycles_model,
                what + std::to_string(cycles) + " cycles, the cycle model says " + std::to_string(cycles_model));
}

void check_dnn_rtl(const std::string& who, const DnnRtlReport& r, CheckLog& checks) {
  if (!r.mul_failure.empty()) return checks.fail(who + ": " + r.mul_failure);
  check_dnn_rtl(who, r.name, r.array, r.images, r.mismatches, r.cycles, r.cycles_model, checks);
  for (size_t i = 0; i < r.layers.size(); ++i)
    checks.expect(r.layers[i].mismatches == 0,
                  who + ": " + r.name + " on the " + r.array + " array: layer " + std::to_string(i) + " (" +
                      r.layers[i].layer + (r.per_layer ? " on " + r.layers[i].spec : "") + "): " +
                      std::to_string(r.layers[i].mismatches) + " of " + std::to_string(r.layers[i].outputs) +
                      " outputs differ from the golden layer");
}

void ArrayRunCounts::add(const ArrayRunCounts& other) {
  cycles += other.cycles;
  cycles_model += other.cycles_model;
  macs += other.macs;
  sim_cpu_seconds += other.sim_cpu_seconds;
  for (size_t i = 0; i < layers.size() && i < other.layers.size(); ++i) {
    DnnLayerCheck& c = layers[i];
    const DnnLayerCheck& o = other.layers[i];
    if (c.layer.empty()) c.layer = o.layer;
    c.outputs += o.outputs;
    c.mismatches += o.mismatches;
    c.cycles += o.cycles;
    c.cycles_model += o.cycles_model;
  }
}

namespace {

// The engine of one worker of a per-layer run: each conv/fc layer's GEMM goes to the ArrayGemm of
// its layer's array, found by the layer's weights (run_layer passes the network's own).
class LayerArrayGemm : public dnn::GemmEngine {
 public:
  LayerArrayGemm(const dnn::Network& net, std::vector<ArrayGemm*> engine_of_layer)
      : net_(net), engine_of_layer_(std::move(engine_of_layer)) {}
  void gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) override {
    engine_for(w).gemm(x, m, k, w, n, y);
  }
  void gemm_layer(const int8_t* x, int64_t m, int64_t k, const dnn::Layer& l, int32_t* out) override {
    engine_for(l.weights.data()).gemm_layer(x, m, k, l, out);
  }

 private:
  ArrayGemm& engine_for(const int8_t* weights) {
    for (size_t i = 0; i < net_.layers.size(); ++i)
      if (engine_of_layer_[i] && net_.layers[i].weights.data() == weights) return *engine_of_layer_[i];
    throw std::logic_error("LayerArrayGemm: a GEMM on weights of no conv/fc layer with an array");
  }
  const dnn::Network& net_;
  std::vector<ArrayGemm*> engine_of_layer_;
};

}  // namespace

// Batch b holds images [b * batch, (b + 1) * batch): the same GEMMs, and so the same cycle counts,
// whatever the number of workers. Worker t takes batches t, t + jobs, ...; each has its own
// runner copies (one simulator process per call), golden engine and counters, merged at the end.
BatchedRun run_batches_on_arrays(const std::vector<const GemmRunner*>& runner_of_layer, const dnn::Network& net,
                                 const ImageSet& images, size_t batch, int jobs, const GoldenEngineFactory& make_golden,
                                 Progress* progress) {
  if (runner_of_layer.size() != net.layers.size())
    throw std::logic_error("run_batches_on_arrays: one runner slot per network layer expected");
  const size_t count = images.count(), classes = static_cast<size_t>(net.classes());
  const size_t batches = (count + batch - 1) / batch;
  if (jobs <= 0) jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const size_t workers = std::min<size_t>(static_cast<size_t>(jobs), std::max<size_t>(batches, 1));
  BatchedRun out{.logits = std::vector<int32_t>(count * classes), .totals = ArrayRunCounts(net.layers.size())};
  std::vector<ArrayRunCounts> totals(workers, ArrayRunCounts(net.layers.size()));
  std::vector<std::exception_ptr> errors(workers);
  std::vector<std::thread> threads;
  progress_stage(progress, "rtl", batches, "batches of " + std::to_string(batch) + " images");
  auto work = [&](size_t t) {
    try {
      const std::unique_ptr<dnn::GemmEngine> golden = make_golden();
      // One local runner and ArrayGemm per distinct runner, shared by the layers that use it.
      std::vector<const GemmRunner*> shared;
      std::vector<std::unique_ptr<GemmRunner>> local;
      std::vector<std::unique_ptr<ArrayGemm>> engines;
      std::vector<ArrayGemm*> engine_of_layer(net.layers.size(), nullptr);
      for (size_t i = 0; i < net.layers.size(); ++i) {
        if (!runner_of_layer[i]) continue;
        const size_t e = std::find(shared.begin(), shared.end(), runner_of_layer[i]) - shared.begin();
        if (e == shared.size()) {
          shared.push_back(runner_of_layer[i]);
          local.push_back(std::make_unique<GemmRunner>(*runner_of_layer[i]));
          engines.push_back(std::make_unique<ArrayGemm>(*local.back(), net, *golden));
        }
        engine_of_layer[i] = engines[e].get();
      }
      LayerArrayGemm engine(net, engine_of_layer);
      for (size_t b = t; b < batches; b += workers) {
        const size_t first = b * batch, n = std::min(batch, count - first);
        const std::string step = "images " + std::to_string(first) + ".." + std::to_string(first + n - 1);
        progress_begin(progress, step);
        const auto logits = dnn::run_network(net, images.image(first), n, engine, batch);
        progress_end(progress, step);
        std::copy(logits.begin(), logits.end(), out.logits.begin() + static_cast<std::ptrdiff_t>(first * classes));
      }
      for (const auto& e : engines) totals[t].add(*e);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  for (size_t t = 1; t < workers; ++t) threads.emplace_back(work, t);
  work(0);
  for (auto& th : threads) th.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  for (const auto& t : totals) out.totals.add(t);
  return out;
}

BatchedRun run_batches_on_array(const GemmRunner& runner, const dnn::Network& net, const ImageSet& images,
                                size_t batch, int jobs, const ProductTable& table) {
  std::vector<const GemmRunner*> runner_of_layer(net.layers.size(), nullptr);
  for (size_t i = 0; i < net.layers.size(); ++i)
    if (net.layers[i].is_gemm()) runner_of_layer[i] = &runner;
  return run_batches_on_arrays(runner_of_layer, net, images, batch, jobs,
                               [&] { return std::make_unique<dnn::TableGemm>(table, 1); });
}

namespace {

// The report's header: what ran where.
DnnRtlReport rtl_report_head(const DnnRtlOptions& opt, const dnn::Network& net, MulModel mul_model) {
  DnnRtlReport rep;
  rep.per_layer = opt.layers.has_value();
  rep.spec = rep.per_layer ? opt.layers->canonical(net) : opt.mul.canonical();
  rep.name = rep.per_layer ? opt.layers->name(net) : opt.mul.name();
  rep.array = std::to_string(opt.rows) + "x" + std::to_string(opt.cols);
  rep.model = opt.model;
  rep.mul_model = mul_model_name(mul_model);
  rep.mul_rtl = opt.mul_rtl;
  return rep;
}

}  // namespace

DnnRtlReport dnn_rtl(const DnnRtlOptions& opt) {
  if (opt.layers && !opt.mul_rtl.empty())
    throw UserError("--mul-rtl replaces the RTL of one multiplier: give it with --mul SPEC, not with --mul-layer or "
                    "--mul-map");
  if (!opt.layers) dnn::check_dnn_spec(opt.mul);
  const dnn::Network net = load_dnn_model(opt.model);
  // Without per-layer multipliers every layer gets opt.mul: the same golden engine and arrays.
  const dnn::LayerMultipliers config = opt.layers ? *opt.layers : dnn::LayerMultipliers(opt.mul);
  const std::vector<dnn::LayerSpec> layer_specs = config.resolve(net);  // UserError for an unknown layer
  const ImageSet test = load_dnn_test_set(opt.data_dir, opt.images, net);
  const auto t0 = std::chrono::steady_clock::now();
  DnnRtlReport rep = rtl_report_head(opt, net, opt.mul_model);

  // One PE multiplier and one array harness per distinct spec, shared by the layers that use it.
  const std::vector<Spec> specs = dnn::distinct_specs(layer_specs);
  std::vector<PeMultiplier> muls;
  progress_stage(opt.progress, "build", specs.size());  // a multiplier and its array harness each
  for (const Spec& spec : specs) {
    progress_begin(opt.progress, spec.name());
    muls.push_back(prepare_pe_multiplier(spec, opt.mul_model, opt.mul_rtl));
    rep.mul_verified_pairs += muls.back().verified_pairs;
    if (!muls.back().failure.empty()) {  // a lookup table that is not proven equal to the RTL runs nothing
      rep.mul_failure = (rep.per_layer ? spec.canonical() + ": " : "") + muls.back().failure;
      return rep;
    }
  }
  // 32-bit accumulators (the golden definition's wrap32 sums) and the output stage: whole layers.
  // A profile-guided harness builds in twice the time and simulates in less CPU (docs/dnn.md):
  // worth it from a few thousand images on, and cached for the next run.
  const HarnessTuning tuning = opt.tuning ? *opt.tuning
                               : opt.mul_model == MulModel::kLut && test.count() >= kProfileGuidedFromImages
                                   ? HarnessTuning::kProfileGuided
                                   : HarnessTuning::kPlain;
  std::vector<std::unique_ptr<GemmRunner>> runners;
  for (size_t s = 0; s < specs.size(); ++s) {
    runners.push_back(std::make_unique<GemmRunner>(
        make_array_config(opt.rows, opt.cols, specs[s], "", 32, false, opt.acc_depth, true), muls[s].model,
        muls[s].rtl, tuning));
    rep.build_seconds += runners.back()->build_seconds();
    rep.profile_guided = rep.profile_guided || runners.back()->profile_guided();
    progress_end(opt.progress, specs[s].name());
  }
  std::vector<const GemmRunner*> runner_of_layer(net.layers.size(), nullptr);
  std::vector<std::string> spec_of_layer(net.layers.size());
  for (const auto& l : layer_specs) {
    spec_of_layer[l.index] = l.spec.canonical();
    for (size_t s = 0; s < specs.size(); ++s)
      if (specs[s].canonical() == spec_of_layer[l.index]) runner_of_layer[l.index] = runners[s].get();
  }
  const BatchedRun run = run_batches_on_arrays(
      runner_of_layer, net, test, opt.batch, opt.jobs, [&] { return std::make_unique<dnn::LayerGemm>(net, config, 1); },
      opt.progress);
  dnn::LayerGemm golden_engine(net, config);
  const auto golden = dnn::run_network(net, test.pixels.data(), test.count(), golden_engine, opt.batch);
  const std::vector<int32_t>& rtl = run.logits;

  rep.images = test.count();
  rep.acc_depth = runners.front()->config().acc_depth;
  const ArrayRunCounts& engine = run.totals;
  for (const auto& l : layer_specs) {
    DnnLayerCheck c = engine.layers[l.index];
    c.name = l.name;
    c.spec = spec_of_layer[l.index];
    rep.layers.push_back(c);
    rep.layer_mismatches += c.mismatches;
  }
  for (size_t i = 0; i < rtl.size(); ++i) rep.mismatches += rtl[i] != golden[i];
  rep.accuracy = dnn::accuracy(rtl, net.classes(), test.labels.data(), test.count());
  rep.golden_accuracy = dnn::accuracy(golden, net.classes(), test.labels.data(), test.count());
  rep.cycles = engine.cycles;
  rep.cycles_model = engine.cycles_model;
  rep.macs = engine.macs;
  rep.sim_cpu_seconds = engine.sim_cpu_seconds;
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

}  // namespace gm
