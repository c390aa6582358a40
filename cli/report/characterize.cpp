#include "cli/report/characterize.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <optional>
#include <cmath>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "cli/report/index_html.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/dnn/pe_stream.hpp"
#include "synth/array_synth.hpp"
#include "tb/dnn_on_rtl.hpp"
#include "models/files.hpp"
#include "models/metrics_json.hpp"
#include "cli/report/pareto.hpp"
#include "cli/report/plot.hpp"
#include "models/version.hpp"
#include "models/dnn/idx.hpp"
#include "models/product_table.hpp"
#include "models/progress.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

std::string baseline_key(const Spec& s) { return std::to_string(s.w) + (s.is_signed ? "s" : "u"); }

CostRatios ratios(const SynthResult& x, const SynthResult& base) {
  auto r = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  return {r(x.area_um2, base.area_um2), r(x.delay_ns, base.delay_ns), r(x.simulated.total_mw, base.simulated.total_mw),
          r(x.vectorless.total_mw, base.vectorless.total_mw), r(x.energy_pj(), base.energy_pj()),
          r(x.energy_multiplier_pj(), base.energy_multiplier_pj())};
}

nlohmann::json ratios_json(const CostRatios& r) {
  return {{"area", r.area}, {"delay", r.delay}, {"power", r.power}, {"power_vectorless", r.power_vectorless},
          {"energy", r.energy}, {"energy_multiplier", r.energy_multiplier}};
}

nlohmann::json metrics_json(const ErrorMetrics& m) { return error_metrics_json<nlohmann::json>(m); }

std::string fmt(double v, int prec = 3) {
  std::ostringstream os;
  os << std::setprecision(prec) << v;
  return os.str();
}

// After a row's name in report.md: a baseline, or a per-layer configuration.
std::string row_note(const CharRow& r) {
  return r.configuration ? " (per-layer configuration)" : r.reference ? " (baseline)" : "";
}

std::string method_text(const std::vector<CharRow>& rows, const CharOptions& opt) {
  const SynthResult& s = rows.front().synth;
  std::ostringstream os;
  os << "Error metrics: every operand pair for w <= 12 (corner cases plus 10^7 random pairs above)"
     << (opt.dist ? ", weighted by the operand distribution " + opt.dist->origin : ", uniform operands")
     << "; e = approximate - exact product. Synthesis: each design between input and output registers, "
     << "Yosys `synth -flatten`, `dfflibmap` and `abc -liberty` onto " << s.lib << "; OpenSTA for the "
     << "register-to-register critical path and for power at a " << fmt(s.clock_ns) << " ns clock. Power is given "
     << "vectorless (activity 0.5 at the inputs) and from simulation: the mapped netlist is simulated "
     << (s.activity_model == "timed"
             ? "(event-driven with the cell delays OpenSTA writes as SDF, inertial, so glitches are counted: "
               "glitch share " + fmt(s.glitch_share, 3) + " for the first design)"
             : std::string("(zero delay, so glitch power is left out)"))
     << " under " << s.cycles << " cycles of "
     << (s.activity == "uniform"              ? std::string("uniform random operands")
         : s.activity_order == "in order" ? std::string("each design's own operand sequence played in order (the "
                                                       "weight-stationary stream of one PE; `activity` in report.json "
                                                       "names it)")
                                          : "operands drawn from " + s.activity)
     << ", and every pin gets its own toggle rate. Energy per operation = simulated power x clock period; OpenSTA's "
     << "per-instance power splits it into the multiplier's own cells and the wrapper's flip-flops (its Sequential "
     << "group). "
     << "Ratios are against `exact` (Dadda tree) and `yosys` (behavioural a*b) of the same width and signedness.";
  return os.str();
}

// The whole-inference section of report.md (and its stacked bar plot, drawn into `dir`): per design
// the energy per inference, compute (measured) and storage (table estimate) apart, and per layer.
std::string inference_markdown(const std::vector<CharRow>& rows, const fs::path& dir) {
  const CharRow* first = nullptr;
  for (const auto& r : rows)
    if (r.has_inference && !first) first = &r;
  const ArrayInferenceEnergy& f = first->inference;
  StackedBars bars{"energy_per_inference", "Energy per inference on the " + f.array + " array (" +
                   std::to_string(f.compute.images_simulated) + " images)", "energy per inference [nJ]",
                   {"compute (measured, netlist)", "storage (table estimate)"}, {}, {}};
  std::ostringstream md;
  md << "## Whole inferences on the " << f.array << " array: energy per inference, compute and storage\n\n";
  const nlohmann::json methods = array_inference_methods(f);  // alive for the loop (items() refers to it)
  for (const auto& [key, text] : methods.items())
    if (key == "energy_compute_nj" || key == "energy_storage_nj" || key == "energy_ci_nj" || key == "glitch_share")
      md << "- **" << key << "**: " << text.get<std::string>() << "\n";
  if (f.compute.images_simulated < 2)
    md << "\nOne image simulated per design: there is no confidence interval (the ± column says none; a 95 % "
          "interval of the mean needs at least two images, `--sim-images 2` or more).\n";
  md << "\n| design | accuracy | energy/inference nJ | ± 95 % nJ | compute nJ (measured) | storage nJ (table) | "
        "fp32 storage nJ (table) | glitch share | cycles/inference | slack ns | vs exact |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    if (!r.has_inference) continue;
    const ArrayInferenceEnergy& e = r.inference;
    md << "| `" << r.name() << "`" << row_note(r) << " | " << fmt(100 * r.accuracy, 4)
       << "% | " << fmt(e.energy_nj, 5) << " | "
       << (e.compute.images_simulated < 2 ? std::string("none (1 image)") : fmt(e.energy_ci_nj, 3)) << " | "
       << fmt(e.energy_compute_nj, 5)
       << " | " << fmt(e.energy_storage_nj, 5) << " | " << fmt(e.energy_storage_fp32_nj, 5) << " | "
       << (e.compute.activity_model != "zero-delay" ? fmt(e.compute.glitch_share, 3) : std::string("n/a (zero-delay)"))
       << " | " << fmt(e.compute.cycles_per_inference, 7) << " | " << fmt(e.compute.slack_ns, 3) << " | "
       << (r.inference_vs_exact > 0 ? fmt(r.inference_vs_exact, 4) : std::string()) << " |\n";
    bars.labels.push_back(r.name());
    bars.values.push_back({e.energy_compute_nj, e.energy_storage_nj});
  }
  draw_stacked_bars(bars, dir);
  md << "\n![energy per inference](energy_per_inference.png)\n\nPer layer (per image; compute measured, storage "
        "table estimate):\n\n| design | layer | MACs | cycles | utilization | zero act. | zero wt. | compute nJ | "
        "storage nJ |\n|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    if (!r.has_inference) continue;
    for (const auto& l : r.inference.per_layer)
      md << "| `" << r.name() << "` | " << l.layer << (l.spec.empty() ? "" : " on `" + l.spec + "`") << " | " << l.macs
         << " | " << fmt(l.cycles, 7) << " | "
         << fmt(l.utilization) << " | " << fmt(l.zero_activation_share) << " | " << fmt(l.zero_weight_share) << " | "
         << fmt(l.energy_compute_nj, 5) << " | " << fmt(l.energy_storage_nj, 5) << " |\n";
  }
  if (std::any_of(rows.begin(), rows.end(), [](const CharRow& r) { return r.configuration && r.has_inference; }))
    md << "\nThe per-layer configuration runs each conv/fc layer on an array of its own multiplier: one netlist "
          "run per distinct spec on the same images (the other layers take the golden per-layer outputs), its "
          "energy per image the sum of the runs' (docs/energy.md, \"Per-layer multipliers\"); the storage "
          "estimate counts the same schedule's accesses as any design's.\n";
  md << "\n";
  return md.str();
}

// Records the largest GEMM (most MACs) of one inference and passes every call to the golden engine.
class CaptureGemm : public dnn::GemmEngine {
 public:
  CaptureGemm(const ProductTable& table, int64_t keep_rows) : inner_(table, 1), keep_rows_(keep_rows) {}
  void gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) override {
    inner_.gemm(x, m, k, w, n, y);
    if (m * k * n <= best_macs_) return;
    best_macs_ = m * k * n;
    captured.m = std::min(m, keep_rows_);
    captured.k = k;
    captured.n = n;
    captured.x.assign(x, x + captured.m * k);
    captured.w.assign(w, w + k * n);
  }
  GemmProblem captured;

 private:
  dnn::TableGemm inner_;
  int64_t keep_rows_;
  int64_t best_macs_ = 0;
};

// The array energy of one design under its network's own operands: the largest layer's GEMM (first
// test image, first rows) on an array of that multiplier, synthesized and simulated gate by gate.
void array_energy(const Spec& spec, const CharOptions& opt, int64_t macs_per_image, CharRow& row) {
  const dnn::Network net = load_dnn_model(opt.dnn.model);
  const ImageSet one = load_dnn_test_set(opt.dnn.data_dir, 1, net);
  const ProductTable table(spec);
  CaptureGemm capture(table, opt.dnn.energy_gemm_rows);
  dnn::run_network(net, one.pixels.data(), 1, capture, 1);
  const ArrayConfig cfg = make_array_config(opt.dnn.energy_rows, opt.dnn.energy_cols, spec, "", 32, false);
  ArraySynthOptions ao;
  ao.lib = opt.synth.lib;
  ao.clock_ns = opt.synth.clock_ns;
  const ArraySynthResult r = synth_array(cfg, capture.captured, ao);
  row.has_array_energy = true;
  row.energy_array = std::to_string(opt.dnn.energy_rows) + "x" + std::to_string(opt.dnn.energy_cols);
  row.array_energy_per_mac_pj = r.energy_per_mac_pj();
  row.array_energy_per_inference_nj = r.energy_per_mac_pj() * static_cast<double>(macs_per_image) / 1000.0;
  row.array_area_um2 = r.area_um2;
  row.array_netlist_ok = r.netlist_matches_model;
}

// The weight-stationary stream of PE (0, 0) of the rows x cols array (D = the array's default
// accumulator depth) under the design's own network, for as many cycles as the power simulation runs.
std::shared_ptr<const std::vector<std::pair<int64_t, int64_t>>> ws_stream(const Spec& spec, const CharOptions& opt,
                                                                            const dnn::Network& net,
                                                                            const ImageSet& images) {
  dnn::PeStreamOptions po;
  po.rows = opt.dnn.rows;
  po.cols = opt.dnn.cols;
  po.depth = make_array_config(po.rows, po.cols, spec, "", 32, false).acc_depth;
  po.limit = opt.synth.cycles;
  const ProductTable table(spec);
  const dnn::PePairs pairs = dnn::network_pe_stream(net, images.pixels.data(), images.count(), table, po);
  auto seq = std::make_shared<std::vector<std::pair<int64_t, int64_t>>>();
  seq->reserve(pairs.size());
  for (const auto& [a, b] : pairs) seq->emplace_back(a, b);
  return seq;
}

// The array side of one design under --dnn: the old array energy (--array-energy), whole
// inferences on the --array array (not for the behavioural yosys baseline) and the RTL sample (asked
// designs only).
bool wants_inference(const Spec& spec, const CharOptions& opt) { return opt.dnn.inference && spec.family != "yosys"; }
bool wants_rtl_sample(const CharOptions& opt, const CharRow& row) { return opt.dnn.rtl_images > 0 && !row.reference; }
bool has_array_work(const Spec& spec, const CharOptions& opt, const CharRow& row) {
  return opt.dnn.energy_rows > 0 || wants_inference(spec, opt) || wants_rtl_sample(opt, row);
}

// The whole inferences of --dnn --array: the array, the model, at most --images of the --sim-images.
ArrayInferenceOptions inference_options(const CharOptions& opt, int jobs) {
  ArrayInferenceOptions ao;
  ao.rows = opt.dnn.rows, ao.cols = opt.dnn.cols, ao.model = opt.dnn.model, ao.data_dir = opt.dnn.data_dir;
  ao.lib = opt.synth.lib, ao.clock_ns = opt.synth.clock_ns, ao.mem = opt.dnn.mem;
  ao.images = opt.dnn.images > 0 ? std::min(opt.dnn.images, opt.dnn.sim_images) : opt.dnn.sim_images;
  ao.jobs = jobs;
  return ao;
}

// Writes only `row`, so designs can run on separate threads. `jobs` is the simulations' own thread
// count (0: one per core).
void array_work(const Spec& spec, const CharOptions& opt, int64_t macs_per_image, int jobs, CharRow& row) {
  if (opt.dnn.energy_rows > 0) array_energy(spec, opt, macs_per_image, row);
  if (wants_inference(spec, opt)) {
    row.inference = array_inference_energy(spec, inference_options(opt, jobs));
    row.has_inference = true;
  }
  if (wants_rtl_sample(opt, row)) {
    DnnRtlOptions ro;
    ro.rows = opt.dnn.rows;
    ro.cols = opt.dnn.cols;
    ro.mul = spec;
    ro.model = opt.dnn.model;
    ro.images = opt.dnn.rtl_images;
    ro.data_dir = opt.dnn.data_dir;
    ro.jobs = jobs;
    const DnnRtlReport rr = dnn_rtl(ro);
    row.has_rtl = true;
    row.rtl_images = rr.images;
    row.rtl_array = rr.array;
    row.rtl_mismatches = rr.mismatches;
    row.rtl_layer_mismatches = rr.layer_mismatches;
    row.rtl_cycles = rr.cycles;
    row.rtl_cycles_model = rr.cycles_model;
  }
}

// The whole inferences of a per-layer configuration on the --array array (array_work's for a design).
void configuration_array_work(const CharOptions& opt, int jobs, CharRow& row) {
  row.inference = array_inference_energy(*opt.dnn.layers, inference_options(opt, jobs));
  row.has_inference = true;
}

// Accuracy and operand traces from the golden inference; per design, metrics weighted by its own
// operand histogram and synthesis under its own sampled operand stream; optionally the RTL sample.
// With opt.dnn.layers, `config` becomes the configuration's row (accuracy, agreement, whole inferences).
std::vector<SynthResult> dnn_characterize(const std::vector<Spec>& specs, const CharOptions& opt,
                                          std::vector<CharRow>& rows, std::vector<Distribution>& dists,
                                          std::optional<CharRow>& config) {
  for (const auto& s : specs) dnn::check_dnn_spec(s);
  DnnEvalOptions eo;
  eo.specs = specs;
  eo.layers = opt.dnn.layers;  // one more row, on the same images
  eo.model = opt.dnn.model;
  eo.images = opt.dnn.images;
  eo.data_dir = opt.dnn.data_dir;
  eo.keep_traces = true;  // used here, in memory
  // The files are written too, beside the report: the synthesis results name the stream they came from.
  eo.trace_dir = (opt.out_dir / "traces").string();
  eo.progress = opt.synth.progress;
  const DnnEvalReport rep = dnn_eval(eo);
  std::map<std::string, const DnnEvalRow*> by_name;
  for (const auto& r : rep.rows) by_name[r.name] = &r;
  // Every design under its own network's operand stream, synthesized as one batch (-j designs at a time).
  const bool ws = opt.dnn.stream == "ws";
  dnn::Network net;
  ImageSet ws_images;
  if (ws) {
    net = load_dnn_model(opt.dnn.model);
    // Enough images for the PE's stream (one image gives thousands of pairs); the first test images.
    ws_images = load_dnn_test_set(opt.dnn.data_dir, opt.dnn.images > 0 ? std::min<size_t>(opt.dnn.images, 64) : 64, net);
  }
  std::vector<SynthDesign> designs;
  if (ws) progress_stage(opt.synth.progress, "PE stream", specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    if (ws) progress_begin(opt.synth.progress, specs[i].name());
    const DnnEvalRow& er = *by_name.at(specs[i].name());
    const std::string origin = "the operands of " + er.name + " in " + rep.model;
    dists[i] = er.trace->histogram_distribution(origin + " (histogram)");
    if (ws)
      designs.push_back({specs[i], nullptr,
                         "weight-stationary stream of PE (0,0) of a " + std::to_string(opt.dnn.rows) + "x" +
                             std::to_string(opt.dnn.cols) + " array: " + origin,
                         ws_stream(specs[i], opt, net, ws_images)});
    else
      designs.push_back({specs[i], std::make_shared<Distribution>(er.trace->stream_distribution(origin + " (stream)")),
                         er.stream_file, nullptr});
    if (ws) progress_end(opt.synth.progress, specs[i].name());
  }
  const std::vector<SynthResult> synth = synth_designs(designs, opt.synth);
  for (size_t i = 0; i < specs.size(); ++i) {
    const DnnEvalRow& er = *by_name.at(specs[i].name());
    CharRow& row = rows[i];
    row.has_dnn = true;
    row.accuracy = er.accuracy;
    row.agreement = er.agreement;
    row.macs_per_image = rep.macs_per_image;
    row.energy_per_inference_nj = synth[i].energy_multiplier_pj() * static_cast<double>(rep.macs_per_image) / 1000.0;
    row.wrapper_energy_per_inference_nj = synth[i].energy_wrapper_pj() * static_cast<double>(rep.macs_per_image) / 1000.0;
    row.dnn_stream = ws ? "weight-stationary" : "random pairs";
  }
  // The array work of every design (array synthesis, whole inferences, the RTL sample) is
  // independent of the other designs': -j designs at a time, each writing only its own row, so the
  // rows and the report do not depend on the order the workers finish in.
  if (opt.dnn.layers) {
    const DnnEvalRow& er = rep.rows.back();  // dnn_eval puts the configuration last
    CharRow& row = config.emplace();
    row.configuration = true;
    row.config_spec = er.spec;
    row.config_name = er.name;
    row.layers = er.layers;
    row.has_dnn = true;
    row.accuracy = er.accuracy;
    row.agreement = er.agreement;
    row.macs_per_image = rep.macs_per_image;
  }
  std::vector<std::function<void(int)>> todo;  // each writes only its own row
  std::vector<std::string> todo_names;         // the step each one is, for the progress line
  for (size_t i = 0; i < specs.size(); ++i)
    if (has_array_work(specs[i], opt, rows[i])) {
      todo.push_back([&, i](int jobs) { array_work(specs[i], opt, rep.macs_per_image, jobs, rows[i]); });
      todo_names.push_back(specs[i].name());
    }
  if (config && opt.dnn.inference) {
    todo.push_back([&](int jobs) { configuration_array_work(opt, jobs, *config); });
    todo_names.push_back(config->name());
  }
  if (!todo.empty()) progress_stage(opt.synth.progress, "array", todo.size());
  const int workers = std::max(1, std::min<int>(opt.synth.jobs, static_cast<int>(todo.size())));
  // With several designs at a time, each design's own simulation runs on one thread (its images in
  // one lane-parallel pass; the results do not depend on that: inference_energy.hpp, dnn_on_rtl.hpp).
  const int inner_jobs = workers > 1 ? 1 : 0;
  std::atomic<size_t> next{0};
  std::vector<std::exception_ptr> errors(todo.size());
  auto work = [&] {
    for (size_t t; (t = next++) < todo.size();) {
      progress_begin(opt.synth.progress, todo_names[t]);
      try {
        todo[t](inner_jobs);
      } catch (...) {
        errors[t] = std::current_exception();
      }
      progress_end(opt.synth.progress, todo_names[t]);
    }
  };
  std::vector<std::thread> pool;
  for (int k = 0; k < workers; ++k) pool.emplace_back(work);
  for (auto& th : pool) th.join();
  for (const auto& e : errors)  // the first failing design in the designs' order, whatever finished first
    if (e) std::rethrow_exception(e);
  return synth;
}

}  // namespace

CharPlan plan_characterization(const std::vector<Spec>& specs_in, bool per_layer_configuration) {
  CharPlan plan;
  plan.specs = specs_in;
  plan.reference.assign(specs_in.size(), false);
  std::set<std::string> names;
  for (const auto& s : plan.specs) names.insert(s.name());
  // The baselines of every asked width; a per-layer configuration's energy is compared with the int8 one.
  std::vector<Spec> keyed = specs_in;
  if (per_layer_configuration) keyed.push_back(parse_spec("exact:s=1"));
  for (const auto& s : keyed) {
    const std::string key = baseline_key(s);
    if (plan.base_names.count(key)) continue;
    const std::string ws = "w=" + std::to_string(s.w) + ",s=" + (s.is_signed ? "1" : "0");
    const Spec exact = parse_spec("exact:" + ws), yosys = parse_spec("yosys:" + ws);
    plan.base_names[key] = {exact.name(), yosys.name()};
    for (const Spec& b : {exact, yosys})
      if (names.insert(b.name()).second) {
        plan.specs.push_back(b);
        plan.reference.push_back(true);
      }
  }
  return plan;
}

CharPart characterize_rows(const CharPlan& plan, const std::vector<size_t>& indices, const CharOptions& opt,
                           bool with_configuration) {
  std::vector<Spec> specs;
  for (size_t i : indices) specs.push_back(plan.specs.at(i));
  if (opt.dist)
    for (const auto& s : specs) check_distribution(*opt.dist, s.w, s.is_signed, s.name());
  CharPart part;
  part.rows.resize(specs.size());
  for (size_t k = 0; k < specs.size(); ++k) {
    part.rows[k].spec = specs[k];
    part.rows[k].reference = plan.reference[indices[k]];
  }
  if (specs.empty()) return part;  // a shard with nothing to do (more shards than rows)
  std::vector<SynthResult> synth;
  std::vector<Distribution> dnn_dists(specs.size());
  if (opt.dnn.enabled) {
    CharOptions o = opt;
    if (!with_configuration) o.dnn.layers.reset();  // another shard computes the configuration's row
    synth = dnn_characterize(specs, o, part.rows, dnn_dists, part.config);
  } else {
    synth = synth_designs(specs, opt.synth);
  }
  for (size_t k = 0; k < specs.size(); ++k) {
    MetricOptions mo;
    mo.dist = opt.dnn.enabled ? &dnn_dists[k] : opt.dist;
    part.rows[k].metrics = compute_metrics(specs[k], mo);
    part.rows[k].synth = synth[k];
  }
  return part;
}

std::vector<CharRow> finish_characterization(const CharPlan& plan, std::vector<CharRow> rows,
                                             const std::optional<CharRow>& config) {
  std::map<std::string, size_t> by_name;
  for (size_t i = 0; i < rows.size(); ++i) by_name[rows[i].spec.name()] = i;
  for (auto& r : rows) {
    const auto& [exact, yosys] = plan.base_names.at(baseline_key(r.spec));
    r.vs_exact = ratios(r.synth, rows[by_name.at(exact)].synth);
    r.vs_yosys = ratios(r.synth, rows[by_name.at(yosys)].synth);
  }
  std::vector<double> mred, nmed, power, area, energy;
  for (const auto& r : rows) {
    mred.push_back(r.metrics.mred);
    nmed.push_back(r.metrics.nmed);
    power.push_back(r.synth.simulated.total_mw);
    area.push_back(r.synth.area_um2);
    energy.push_back(r.synth.energy_pj());
  }
  const auto f1 = pareto_front(mred, power), f2 = pareto_front(mred, area), f3 = pareto_front(nmed, energy);
  if (!rows.empty() && rows.front().has_dnn) {  // --dnn: every design row has it
    std::vector<double> einf, loss;
    for (const auto& r : rows) {
      einf.push_back(r.energy_per_inference_nj);
      loss.push_back(-r.accuracy);
    }
    const auto f4 = pareto_front(einf, loss);
    for (size_t i = 0; i < rows.size(); ++i) rows[i].front_accuracy_energy = f4[i];
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].front_power_mred = f1[i];
    rows[i].front_area_mred = f2[i];
    rows[i].front_energy_nmed = f3[i];
  }
  if (config) rows.push_back(*config);  // after the fronts: they rank multipliers, not configurations
  for (auto& r : rows) {
    const CharRow& exact = rows[by_name.at(plan.base_names.at(r.configuration ? "8s" : baseline_key(r.spec)).first)];
    if (r.has_inference && exact.has_inference && exact.inference.energy_nj > 0)
      r.inference_vs_exact = r.inference.energy_nj / exact.inference.energy_nj;
  }
  return rows;
}

std::vector<CharRow> characterize(const std::vector<Spec>& specs, const CharOptions& opt) {
  const CharPlan plan = plan_characterization(specs, opt.dnn.enabled && opt.dnn.layers.has_value());
  std::vector<size_t> all(plan.specs.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  CharPart part = characterize_rows(plan, all, opt, true);
  return finish_characterization(plan, std::move(part.rows), part.config);
}

namespace {

// The per-multiplier keys a per-layer configuration leaves null, and why.
const char* kConfigurationNote =
    "per-layer configuration: see its layers (error metrics, single-multiplier synthesis, ratios and Pareto fronts "
    "are per multiplier)";

nlohmann::json configuration_json(const CharRow& r) {
  nlohmann::json layers = nlohmann::json::object();
  for (const auto& [layer, spec] : r.layers) layers[layer] = spec;
  nlohmann::json j = {{"spec", r.config_spec}, {"name", r.config_name}, {"reference", false},
                      {"configuration", true}, {"layers", layers}, {"not_applicable", kConfigurationNote}};
  for (const char* key : {"metrics", "synth", "vs_exact", "vs_yosys", "pareto"}) j[key] = nullptr;
  j["dnn"] = {{"accuracy", r.accuracy}, {"agreement_with_exact", r.agreement}, {"macs_per_image", r.macs_per_image},
              {"stream", nullptr}, {"energy_per_inference_nj", nullptr}, {"wrapper_energy_per_inference_nj", nullptr},
              {"array_energy", nullptr}, {"rtl", nullptr}};
  return j;
}

// report.md's section of a per-layer configuration: its layers and what its row has.
std::string configuration_markdown(const std::vector<CharRow>& rows) {
  std::ostringstream md;
  for (const auto& r : rows) {
    if (!r.configuration) continue;
    md << "## Per-layer configuration `" << r.config_name << "`\n\n`" << r.config_spec
       << "`\n\n| layer | multiplier |\n|---|---|\n";
    for (const auto& [layer, spec] : r.layers) md << "| " << layer << " | `" << spec << "` |\n";
    md << "\nA configuration, not a multiplier: its error metrics, single-multiplier synthesis, ratios and Pareto "
          "fronts are left empty (they are per multiplier; see each layer's multiplier). Its accuracy and agreement "
          "with the int8-exact network come from the golden inference with each layer's products from that layer's "
          "multiplier, on the same images as the designs'"
       << (r.has_inference ? "; its energy per inference from whole inferences with each layer on an array of its "
                             "own multiplier (below)"
                           : "")
       << ". It has no RTL sample and no --array-energy estimate.\n\n";
  }
  return md.str();
}

}  // namespace

nlohmann::json char_row_json(const CharRow& r) {
  nlohmann::json j = r.configuration ? configuration_json(r) : nlohmann::json{{"spec", r.spec.canonical()},
          {"name", r.spec.name()},
          {"reference", r.reference},
          {"metrics", metrics_json(r.metrics)},
          {"synth", synth_result_json(r.synth)},
          {"vs_exact", ratios_json(r.vs_exact)},
          {"vs_yosys", ratios_json(r.vs_yosys)},
          {"pareto", {{"power_mred", r.front_power_mred}, {"area_mred", r.front_area_mred},
                      {"energy_nmed", r.front_energy_nmed}, {"accuracy_energy", r.front_accuracy_energy}}},
          {"dnn", r.has_dnn ? nlohmann::json{{"accuracy", r.accuracy},
                                             {"agreement_with_exact", r.agreement},
                                             {"macs_per_image", r.macs_per_image},
                                             {"stream", r.dnn_stream},
                                             {"energy_per_inference_nj", r.energy_per_inference_nj},
                                             {"wrapper_energy_per_inference_nj", r.wrapper_energy_per_inference_nj},
                                             {"array_energy", r.has_array_energy
                                                                  ? nlohmann::json{{"array", r.energy_array},
                                                                                   {"energy_per_mac_pj", r.array_energy_per_mac_pj},
                                                                                   {"energy_per_inference_nj", r.array_energy_per_inference_nj},
                                                                                   {"area_um2", r.array_area_um2}}
                                                                  : nlohmann::json()},
                                             {"rtl", r.has_rtl ? nlohmann::json{{"images", r.rtl_images},
                                                                                {"mismatches", r.rtl_mismatches},
                                                                                {"cycles", r.rtl_cycles},
                                                                                {"cycles_model", r.rtl_cycles_model}}
                                                               : nlohmann::json()}}
                            : nlohmann::json()}};
  if (r.has_dnn && r.has_array_energy)
    j["dnn"]["array_energy"]["method"] = "old estimate (--array-energy): the largest layer's GEMM, " +
                                         std::string("a few rows of one image, energy per MAC x MACs per image");
  if (r.has_inference) {
    // The interface: the whole-inference figures at the top level of the design's object.
    j["accuracy"] = r.accuracy;
    j.update(array_inference_json(r.inference));
    j["energy_vs_exact"] = r.inference_vs_exact > 0 ? nlohmann::json(r.inference_vs_exact) : nlohmann::json();
  }
  return j;
}

CheckLog characterize_checks(const std::vector<CharRow>& rows) {
  CheckLog checks;
  for (const auto& r : rows) {
    const std::string name = r.name();
    if (!r.configuration)  // a configuration has no single-multiplier netlist
      checks.expect(r.synth.netlist_matches_model,
                    "characterize: the mapped netlist of " + name + " does not compute its model's products");
    if (r.has_array_energy)
      checks.expect(r.array_netlist_ok, "characterize: the mapped " + r.energy_array + " array netlist of " + name +
                                            " does not reproduce the golden GEMM and the cycle model");
    if (r.has_inference)
      check_array_inference(r.inference, "characterize: " + name + " on the " + r.inference.array + " array: ", checks);
    if (r.has_rtl) {
      check_dnn_rtl("characterize", name, r.rtl_array, r.rtl_images, r.rtl_mismatches, r.rtl_cycles, r.rtl_cycles_model,
                    checks);
      checks.expect(r.rtl_layer_mismatches == 0, "characterize: " + name + " on the " + r.rtl_array + " array: " +
                                                     std::to_string(r.rtl_layer_mismatches) +
                                                     " layer outputs differ from the golden layers'");
    }
  }
  return checks;
}

void write_characterization(const std::vector<CharRow>& rows, const CharOptions& opt) {
  const fs::path dir = opt.out_dir;
  ensure_output_dir(dir);
  // Plots first: a gnuplot failure then leaves no report that points at missing pictures.
  // MRED and NMED of the exact designs are 0: a log axis would drop them, so the axes are linear.
  ScatterPlot p1{"power_mred", "Simulated power vs MRED", "MRED", "power [mW]", false, {}};
  ScatterPlot p2{"area_mred", "Area vs MRED", "MRED", "area [um^2]", false, {}};
  ScatterPlot p3{"energy_nmed", "Energy per operation vs NMED", "NMED", "energy [pJ/op]", false, {}};
  for (const auto& r : rows) {
    if (r.configuration) continue;  // no error metrics, no single-multiplier synthesis
    p1.points.push_back({r.spec.name(), r.metrics.mred, r.synth.simulated.total_mw, r.front_power_mred});
    p2.points.push_back({r.spec.name(), r.metrics.mred, r.synth.area_um2, r.front_area_mred});
    p3.points.push_back({r.spec.name(), r.metrics.nmed, r.synth.energy_pj(), r.front_energy_nmed});
  }
  for (const auto* p : {&p1, &p2, &p3}) draw_scatter(*p, dir);
  const bool inference = std::any_of(rows.begin(), rows.end(), [](const CharRow& r) { return r.has_inference; });
  const std::string inference_md = inference ? inference_markdown(rows, dir) : "";  // draws its plot
  const bool dnn = rows.front().has_dnn;
  if (dnn) {
    ScatterPlot p4{"accuracy_energy", "DNN accuracy vs multiplier energy per inference (" + opt.dnn.model + ")",
                   "energy per inference [nJ]", "top-1 accuracy [%]", false, {}};
    for (const auto& r : rows)
      if (!r.configuration)  // its multipliers' energy per product is not one figure
        p4.points.push_back({r.spec.name(), r.energy_per_inference_nj, 100 * r.accuracy, r.front_accuracy_energy});
    draw_scatter(p4, dir, /*maximize_y=*/true);
  }

  nlohmann::json json = {{"generator", "greenmac"}, {"version", kVersion}, {"method", method_text(rows, opt)},
                         {"designs", nlohmann::json::array()}};
  for (const auto& r : rows) json["designs"].push_back(char_row_json(r));
  write_file_atomic(dir / "report.json", json.dump(2) + "\n");

  std::ostringstream csv;
  csv << "spec,name,reference,er,med,nmed,nmed_max,mred,wce,wcre,bias,mse,var,zero_ok,commutative,area_um2,nand2_eq,"
         "delay_ns,fmax_mhz,power_mw,power_dyn_mw,power_leak_mw,power_vectorless_mw,energy_pj,area_vs_exact,"
         "power_vs_exact,energy_vs_exact,delay_vs_exact,area_vs_yosys,power_vs_yosys,energy_vs_yosys,"
         "delay_vs_yosys,pareto_power_mred,pareto_area_mred,pareto_energy_nmed,energy_multiplier_pj,energy_wrapper_pj,"
         "energy_multiplier_vs_exact,activity_order\n";
  for (const auto& r : rows) {
    if (r.configuration) {  // named by its canonical text (every layer's spec); the per-multiplier columns empty
      csv << '"' << r.config_spec << "\"," << r.config_name << ",0" << std::string(36, ',') << "\n";
      continue;
    }
    const auto& m = r.metrics;
    const auto& s = r.synth;
    csv << '"' << r.spec.canonical() << "\"," << r.spec.name() << "," << r.reference << "," << m.er << "," << m.med << ","
        << m.nmed << "," << m.nmed_max << "," << m.mred << "," << m.wce << "," << m.wcre << "," << m.bias << "," << m.mse
        << "," << m.var << "," << m.zero_ok << "," << m.commutative << "," << s.area_um2 << "," << s.nand2_eq << ","
        << s.delay_ns << "," << s.fmax_mhz << "," << s.simulated.total_mw << "," << s.simulated.dynamic_mw() << ","
        << s.simulated.leakage_mw << "," << s.vectorless.total_mw << "," << s.energy_pj() << "," << r.vs_exact.area
        << "," << r.vs_exact.power << "," << r.vs_exact.energy << "," << r.vs_exact.delay << "," << r.vs_yosys.area
        << "," << r.vs_yosys.power << "," << r.vs_yosys.energy << "," << r.vs_yosys.delay << "," << r.front_power_mred
        << "," << r.front_area_mred << "," << r.front_energy_nmed << "," << s.energy_multiplier_pj() << ","
        << s.energy_wrapper_pj() << "," << r.vs_exact.energy_multiplier << "," << s.activity_order << "\n";
  }
  write_file_atomic(dir / "results.csv", csv.str());

  std::ostringstream md;
  md << "# greenmac characterization\n\n" << characterize_checks(rows).markdown_lines() << method_text(rows, opt) << "\n\n";
  md << "| design | MRED | NMED | ER | WCE | area µm² | delay ns | power mW (vectorless) | power mW (sim.) | "
        "energy pJ/op | multiplier pJ/op | wrapper flops pJ/op | area vs exact | power vs exact | energy vs exact | "
        "multiplier energy vs exact | power vs yosys | Pareto |\n";
  md << "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    const auto& m = r.metrics;
    const auto& s = r.synth;
    if (r.configuration) {
      md << "| `" << r.name() << "`" << row_note(r) << " | " << kConfigurationNote << std::string(16, '|')
         << " |\n";
      continue;
    }
    std::string front;
    if (r.front_power_mred) front += "P ";
    if (r.front_area_mred) front += "A ";
    if (r.front_energy_nmed) front += "E";
    md << "| `" << r.spec.name() << "`" << row_note(r) << " | " << fmt(m.mred) << " | "
       << fmt(m.nmed) << " | " << fmt(m.er) << " | " << m.wce << " | " << fmt(s.area_um2, 5) << " | " << fmt(s.delay_ns)
       << " | " << fmt(s.vectorless.total_mw) << " | " << fmt(s.simulated.total_mw) << " | " << fmt(s.energy_pj())
       << " | " << fmt(s.energy_multiplier_pj()) << " | " << fmt(s.energy_wrapper_pj()) << " | " << fmt(r.vs_exact.area)
       << " | " << fmt(r.vs_exact.power) << " | " << fmt(r.vs_exact.energy) << " | " << fmt(r.vs_exact.energy_multiplier)
       << " | " << fmt(r.vs_yosys.power) << " | " << front << " |\n";
  }
  md << "\nPareto: P = power vs MRED, A = area vs MRED, E = energy vs NMED (no other design is better on both).\n\n";
  md << configuration_markdown(rows);
  if (dnn) {
    md << "## DNN: accuracy against energy (" << opt.dnn.model << ", Fashion-MNIST test set)\n\n"
       << "Accuracy of the int8 network with every product through the design; the error metrics in this report "
          "are weighted by the operand pairs the network's multipliers saw with that design. Its power comes from "
       << (rows.front().dnn_stream == "weight-stationary"
               ? "the weight-stationary stream of one PE (PE (0,0) of a " + std::to_string(opt.dnn.rows) + "x" +
                     std::to_string(opt.dnn.cols) + " array): each weight held for a tile's M chunk of activations, "
                     "the activations in the order that PE sees them, from the network's own layer GEMMs, one image "
                     "at a time"
               : std::string("operand pairs drawn at random from sampled dot products of the network (random pairs: "
                             "both operands change every cycle, unlike in a weight-stationary PE)"))
       << ". Energy per inference = the multiplier's own energy per product (OpenSTA's per-instance power without "
          "the register wrapper's flip-flops) x "
       << rows.front().macs_per_image << " products per image (multipliers only; the wrapper flops' share is "
          "its own column).\n\n";
    const bool arr = rows.front().has_array_energy;
    if (arr)
      md << "Array energy per inference (OLD estimate, `--array-energy`; the whole inferences of `--array` below "
            "replace it): an " << rows.front().energy_array << " array of the design, synthesized and "
         << "simulated gate by gate on the network's largest layer GEMM (" << opt.dnn.energy_gemm_rows
         << " rows of the first test image, the operands that design's network produces); energy per MAC x products "
            "per image.\n\n";
    md << "| design | accuracy | agreement with exact | energy/inference nJ (multipliers) | vs exact | wrapper flops nJ | "
          "DNN-weighted MRED | "
       << (arr ? "array energy/inference nJ | " : "")
       << "RTL sample (images, logit mismatches, cycles = model) | front |\n|---|---|---|---|---|---|---|---|---|"
       << (arr ? "---|" : "") << "\n";
    for (const auto& r : rows) {
      md << "| `" << r.name() << "`" << row_note(r) << " | " << fmt(100 * r.accuracy, 4) << "% | "
         << fmt(100 * r.agreement, 4) << "% | ";
      if (r.configuration) {  // the per-multiplier columns (the whole inferences below have its energy)
        md << kConfigurationNote << std::string(arr ? 6 : 5, '|') << " |\n";
        continue;
      }
      md << fmt(r.energy_per_inference_nj, 4)
         << " | " << fmt(r.vs_exact.energy_multiplier) << " | " << fmt(r.wrapper_energy_per_inference_nj, 4) << " | "
         << fmt(r.metrics.mred) << " | ";
      if (arr) md << fmt(r.array_energy_per_inference_nj, 4) << " | ";
      if (r.has_rtl)
        md << r.rtl_images << ", " << r.rtl_mismatches << ", " << (r.rtl_cycles == r.rtl_cycles_model ? "yes" : "NO");
      md << " | " << (r.front_accuracy_energy ? "yes" : "") << " |\n";
    }
    md << "\n![accuracy vs energy](accuracy_energy.png)\n\n";
  }
  md << inference_md;
  md << "![power vs MRED](power_mred.png)\n\n![area vs MRED](area_mred.png)\n\n![energy vs NMED](energy_nmed.png)\n";
  write_file_atomic(dir / "report.md", md.str());
  write_index_html(dir);  // last: the page lists what is in dir
}

}  // namespace gm
