#include "synth/inference_energy.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "models/dnn/evaluate.hpp"
#include "models/dnn/layer_gemm.hpp"
#include "models/dnn/network.hpp"
#include "models/dnn/operand_fit.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/golden_gemm.hpp"
#include "models/progress.hpp"
#include "models/scratch.hpp"
#include "synth/array_lanes.hpp"
#include "synth/array_synth.hpp"
#include "synth/flow.hpp"
#include "synth/gate_sim.hpp"
#include "synth/timed_sim.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Per image and conv/fc layer: what the netlist did.
struct LayerRun {
  uint64_t cycles = 0, cycles_model = 0, outputs = 0, mismatches = 0, macs = 0;
  uint64_t zero_act_macs = 0, zero_w_macs = 0;
  double energy_pj = 0, transitions = 0;
};

// One conv/fc layer's GEMM as run_layer hands it to its engine: first captured (the im2col'd
// activations; the outputs left 0), then replayed (the outputs from the netlist, for the rest of the
// network). run_layer is deterministic, so the replay asks for the same GEMM.
class CaptureGemm : public dnn::GemmEngine {
 public:
  void gemm(const int8_t*, int64_t, int64_t, const int8_t*, int64_t, int32_t*) override {
    throw std::logic_error("CaptureGemm: the output-stage array gives layer outputs, not sums");
  }
  void gemm_layer(const int8_t* x, int64_t m, int64_t k, const dnn::Layer& l, int32_t* out) override {
    const int64_t n = l.n();
    if (replay) {
      if (m != p.m || k != p.k || n != p.n || !std::equal(x, x + m * k, p.x.begin()))
        throw std::logic_error("CaptureGemm: the replayed layer asks for another GEMM");
      for (int64_t i = 0; i < m * n; ++i) out[i] = static_cast<int32_t>(y[i]);
      return;
    }
    p = GemmProblem{};
    p.m = m, p.k = k, p.n = n;
    p.x.assign(x, x + m * k);
    p.w.assign(l.weights.begin(), l.weights.end());
    for (int64_t j = 0; j < n; ++j)
      p.params.push_back({l.bias[j], l.requant[j].m0, l.requant[j].shift, l.out_min, l.out_max});
    xs.assign(x, x + m * k);
    std::fill(out, out + m * n, 0);
  }
  bool replay = false;
  GemmProblem p;
  std::vector<int8_t> xs;   // the int8 activations, for the golden layer
  std::vector<int64_t> y;   // the netlist's outputs (replay)
};

// Per net: the energy per transition (sum of its pins' e_p, times its glitch factor) and the
// number of its pins, for the simulator's per-lane totals.
struct NetWeights {
  std::vector<double> pj, pins;
  size_t pins_without_energy = 0;
};

NetWeights net_weights(const SeqGateSim& sim, const PinEnergyModel& energy, const std::vector<double>& factor) {
  NetWeights w;
  w.pj.assign(sim.nets(), 0.0);
  w.pins.assign(sim.nets(), 0.0);
  for (const SeqGateSim::SimPin& p : sim.pins()) {
    w.pins[p.net] += 1;
    const auto at = energy.pin_pj.find(p.instance + "/" + p.pin);  // flattened names (pin_energy.hpp)
    if (at == energy.pin_pj.end())
      ++w.pins_without_energy;
    else
      w.pj[p.net] += at->second;
  }
  if (!factor.empty())
    for (size_t n = 0; n < w.pj.size(); ++n) w.pj[n] *= factor[n];
  return w;
}

// A group of images, one per lane, through the whole network on one lane-parallel simulation.
struct ImageRun {
  std::vector<LayerRun> layers;
  std::vector<int32_t> logits, golden;
};

std::vector<ImageRun> run_lanes(const nlohmann::json& netlist, const std::string& top, const Liberty& lib,
                                const ArrayConfig& cfg, const dnn::Network& net, const ImageSet& test,
                                size_t first, size_t lanes, const NetWeights& weights, double base_pj_per_cycle,
                                dnn::GemmEngine& golden, const std::vector<bool>& on_array, Progress* progress,
                                const std::string& step) {
  SeqGateSim sim(netlist, top, lib, "clk_i", static_cast<int>(lanes));
  sim.set_lane_weights(weights.pj, weights.pins);
  const int64_t in_size = int64_t{net.in_c} * net.in_h * net.in_w;
  std::vector<ImageRun> runs(lanes);
  std::vector<std::vector<int32_t>> act(lanes);
  for (size_t j = 0; j < lanes; ++j) {
    const uint8_t* px = test.image(first + j);
    act[j].resize(in_size);
    for (int64_t i = 0; i < in_size; ++i) act[j][i] = dnn::quantize_pixel(px[i]);
    runs[j].layers.resize(net.layers.size());
  }
  std::vector<CaptureGemm> cap(lanes);
  for (size_t li = 0; li < net.layers.size(); ++li) {
    const dnn::Layer& l = net.layers[li];
    if (!on_array[li]) {  // pooling, or (per-layer multipliers) a layer of another spec's array
      for (auto& a : act) a = dnn::run_layer(l, a, 1, golden);
      continue;
    }
    if (progress) progress->note(step, "layer " + std::to_string(li + 1) + "/" + std::to_string(net.layers.size()));
    std::vector<const GemmProblem*> problems;
    for (size_t j = 0; j < lanes; ++j) {
      cap[j].replay = false;
      dnn::run_layer(l, act[j], 1, cap[j]);
      problems.push_back(&cap[j].p);
    }
    const std::vector<ArrayDriveResult> r = drive_array_gemm_lanes(sim, cfg, problems);
    const std::vector<std::array<double, 2>> totals = sim.take_lane_totals();
    for (size_t j = 0; j < lanes; ++j) {
      const GemmProblem& p = cap[j].p;
      LayerRun& run = runs[j].layers[li];
      run.cycles = r[j].cycles;
      run.cycles_model = gemm_cycles(cfg, p.m, p.k, p.n);
      run.macs = static_cast<uint64_t>(p.m * p.k * p.n);
      uint64_t zero_x = 0, zero_w = 0;
      for (int8_t x : cap[j].xs) zero_x += x == 0;
      for (int8_t w : l.weights) zero_w += w == 0;
      run.zero_act_macs = zero_x * static_cast<uint64_t>(p.n);
      run.zero_w_macs = zero_w * static_cast<uint64_t>(p.m);
      std::vector<int32_t> gold(p.m * p.n);
      golden.gemm_layer(cap[j].xs.data(), p.m, p.k, l, gold.data());
      run.outputs = static_cast<uint64_t>(p.m * p.n);
      for (int64_t i = 0; i < p.m * p.n; ++i) run.mismatches += r[j].y[i] != gold[i];
      run.energy_pj = totals[j][0] + base_pj_per_cycle * static_cast<double>(r[j].cycles);
      run.transitions = totals[j][1];
      cap[j].y = r[j].y;
      cap[j].replay = true;
      act[j] = dnn::run_layer(l, act[j], 1, cap[j]);
    }
  }
  for (size_t j = 0; j < lanes; ++j) {
    runs[j].logits = act[j];
    runs[j].golden = dnn::run_network(net, test.image(first + j), 1, golden, 1);
  }
  return runs;
}

// The timed window: a CycleGateSim that forwards to TimedGateSim and ends a layer's GEMM (by
// throwing WindowEnd) after `limit` sampled cycles.
struct WindowEnd {};
class WindowSim final : public CycleGateSim {
 public:
  WindowSim(TimedGateSim& sim, uint64_t limit) : sim_(sim), limit_(limit) {}
  int port(const std::string& bus) const override { return sim_.port(bus); }
  int port_width(int port) const override { return sim_.port_width(port); }
  void set_input(int port, const std::vector<uint8_t>& bits) override { sim_.set_input(port, bits); }
  void set_input(int port, uint64_t value) override { sim_.set_input(port, value); }
  void settle() override { sim_.settle(); }
  std::vector<uint8_t> output(int port) const override { return sim_.output(port); }
  bool output_bit(int port, int bit) const override { return sim_.output_bit(port, bit); }
  void sample() override {
    sim_.sample();
    ++total;
    if (limit_ && ++layer_ >= limit_) throw WindowEnd{};
  }
  void clock() override { sim_.clock(); }
  GateSimResult activity() const override { return sim_.activity(); }
  void next_layer() { layer_ = 0; }
  uint64_t total = 0;

 private:
  TimedGateSim& sim_;
  uint64_t limit_, layer_ = 0;
};

// Runs the first image through the network with every GEMM on the timed simulation (cut after the
// window); the network continues on the golden layer outputs (equal to the netlist's where a GEMM
// ran to its end, which is checked).
class WindowGemm : public dnn::GemmEngine {
 public:
  WindowGemm(WindowSim& sim, const ArrayConfig& cfg, dnn::GemmEngine& golden, const dnn::Network& net,
             const std::vector<bool>& on_array)
      : sim_(sim), cfg_(cfg), golden_(golden), net_(net), on_array_(on_array) {}
  void gemm(const int8_t*, int64_t, int64_t, const int8_t*, int64_t, int32_t*) override {
    throw std::logic_error("WindowGemm: layer outputs only");
  }
  void gemm_layer(const int8_t* x, int64_t m, int64_t k, const dnn::Layer& l, int32_t* out) override {
    CaptureGemm cap;
    cap.gemm_layer(x, m, k, l, out);
    golden_.gemm_layer(x, m, k, l, out);
    const size_t index = static_cast<size_t>(&l - net_.layers.data());
    if (index >= on_array_.size() || !on_array_[index]) return;  // another spec's layer: no netlist activity
    sim_.next_layer();
    try {
      const ArrayDriveResult r = drive_array_gemm(sim_, cfg_, cap.p);
      for (int64_t i = 0; i < m * l.n(); ++i)
        if (r.y[i] != out[i]) throw std::runtime_error("the timed window's layer outputs differ from the golden layer");
    } catch (const WindowEnd&) {
    }
  }

 private:
  WindowSim& sim_;
  const ArrayConfig& cfg_;
  dnn::GemmEngine& golden_;
  const dnn::Network& net_;
  const std::vector<bool>& on_array_;
};

double mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

}  // namespace

double student_t95(int dof) {
  static const double table[] = {0,      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                 2.201,  2.179,  2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080,
                                 2.074,  2.069,  2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (dof < 1) return 0;
  if (dof <= 30) return table[dof];
  // Cornish-Fisher expansion around z = 1.959964 (error < 1e-4 for dof > 30).
  const double z = 1.959964, v = dof;
  return z + (z * z * z + z) / (4 * v) + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v);
}

double ci95_half_width(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = mean(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  const double sd = std::sqrt(ss / static_cast<double>(v.size() - 1));
  return student_t95(static_cast<int>(v.size()) - 1) * sd / std::sqrt(static_cast<double>(v.size()));
}

InferenceEnergyResult inference_energy(const InferenceEnergyOptions& opt) {
  const auto t0 = Clock::now();
  dnn::check_dnn_spec(opt.mul);
  if (opt.images < 1) throw UserError("--images must be at least 1");
  if (opt.activity_model != "timed" && opt.activity_model != "zero")
    throw UserError("--activity-model must be timed or zero, got '" + opt.activity_model + "'");
  const dnn::Network net = load_dnn_model(opt.model);
  const ImageSet test = load_dnn_test_set(opt.data_dir, opt.images, net);
  // The conv/fc layers that run on this netlist; the golden engine of every check (the per-layer
  // configuration's, or the one multiplier's product table).
  std::vector<bool> on_array(net.layers.size(), false);
  for (size_t i = 0; i < net.layers.size(); ++i) on_array[i] = net.layers[i].is_gemm();
  if (opt.layers) {
    for (const dnn::LayerSpec& l : opt.layers->resolve(net))
      on_array[l.index] = l.spec.canonical() == opt.mul.canonical();
    if (std::none_of(on_array.begin(), on_array.end(), [](bool b) { return b; }))
      throw std::logic_error("inference_energy: no layer of the per-layer configuration uses " + opt.mul.canonical());
  }
  if (!opt.layers) dnn::check_operands_fit(net, opt.mul);  // a narrow multiplier on wider operands
  const auto make_golden = [&]() -> std::unique_ptr<dnn::GemmEngine> {
    if (opt.layers) return std::make_unique<dnn::LayerGemm>(net, *opt.layers, 1);
    return std::make_unique<dnn::TableGemm>(shared_product_table(opt.mul), 1);
  };
  const ArrayConfig cfg = make_array_config(opt.rows, opt.cols, opt.mul, "", 32, opt.zero_gate, 0, true);
  const flow::LibInfo lib = flow::load_library(opt.lib);

  InferenceEnergyResult res;
  res.spec = opt.mul.canonical();
  res.array = std::to_string(opt.rows) + "x" + std::to_string(opt.cols);
  res.clock_ns = opt.clock_ns;
  res.zero_gate = opt.zero_gate;

  // A per-layer configuration runs this once per spec: its stages say whose they are.
  const std::string of = opt.layers ? res.spec + " " : "";
  Progress* const progress = opt.progress;

  // 1. The mapped netlist (the array flow, cached; its net.v kept in a scratch directory).
  ScratchDir work("greenmac-infer");
  ArraySynthOptions so;
  so.lib = opt.lib;
  so.clock_ns = opt.clock_ns;
  so.keep_dir = work.path();
  // Mapping only: the flow's own GEMM simulation and power run would not be used here (the whole-
  // inference activity is simulated below, every layer checked, and the slack comes from the
  // calibration's OpenSTA run); skipping them saves a third of an 8x8 array's synthesis time.
  so.activity_model = "zero";
  so.power = false;
  progress_stage(progress, of + "synthesis", 1, "arrays");
  const std::string synth_step = "the " + res.array + " array (cached after the first run)";
  progress_begin(progress, synth_step);
  const ArraySynthResult syn = synth_array(cfg, default_array_gemm(cfg, 1), so);
  progress_end(progress, synth_step);
  res.name = syn.name;
  res.area_um2 = syn.area_um2;
  res.cell_count = syn.cell_count;
  res.synth_cached = syn.cached;
  res.synth_seconds = since(t0);
  const fs::path dir = work.path() / syn.name;
  if (!fs::exists(dir / "net.v")) throw std::runtime_error("the array flow kept no net.v in " + dir.string());

  // 2. One OpenSTA calibration: every pin's energy per transition.
  const auto t1 = Clock::now();
  progress_stage(progress, of + "calibration", 1, "arrays");
  progress_begin(progress, "pin energies from OpenSTA");
  const nlohmann::json netlist = read_mapped_netlist(dir, syn.name, lib.path, lib.lib);
  const auto clocks = clock_pins(netlist, syn.name, lib.lib);
  const PinEnergyModel energy = calibrate_pin_energy(dir, syn.name, lib.path, opt.clock_ns, clocks);
  res.base_power_mw = energy.base_mw();
  res.leakage_mw = energy.leakage_mw;
  res.slack_ns = energy.slack_ns;
  if (opt.validate) {
    res.check = validate_pin_energy(dir, syn.name, lib.path, energy, netlist, lib.lib);
    res.validated = true;
  }
  res.calib_seconds = since(t1);
  progress_end(progress, "pin energies from OpenSTA");

  // 3. Every image alone through every layer, on its own fresh simulation of the netlist (all
  // flops 0 before the first reset), so that an image's figures do not depend on the images before
  // it or on how the images are spread over the workers.
  const size_t classes = static_cast<size_t>(net.classes());
  const size_t count = test.count();
  // Lanes: images in groups of up to 64, one group per pass of the lane-parallel simulation; the
  // groups (at most one per job) run on their own threads.
  const size_t hw = std::max(1u, std::thread::hardware_concurrency());
  const size_t jobs_wanted = opt.jobs > 0 ? static_cast<size_t>(opt.jobs) : hw;
  const size_t lanes = opt.lanes > 0 ? std::min<size_t>(opt.lanes, SeqGateSim::kMaxLanes)
                                     : std::min<size_t>(SeqGateSim::kMaxLanes, (count + jobs_wanted - 1) / jobs_wanted);
  const size_t groups = (count + lanes - 1) / lanes;
  const size_t jobs = std::min(jobs_wanted, groups);
  res.lanes = lanes;
  res.passes = groups;

  const auto t2 = Clock::now();
  std::vector<double> factor;  // per net glitch factor (empty: zero-delay activity)
  if (opt.activity_model == "timed") {
    const auto tw = Clock::now();
    progress_stage(progress, of + "timed window", 1, "images");
    progress_begin(progress, "image 1 on the SDF-timed netlist");
    fs::remove(dir / flow::kLinkedLiberty);
    fs::create_symlink(fs::absolute(lib.path), dir / flow::kLinkedLiberty);
    const SdfDelays sdf = flow::make_sdf(dir, syn.name, opt.clock_ns, syn.name);
    fs::remove(dir / flow::kLinkedLiberty);
    TimedGateSim timed(netlist, syn.name, lib.lib, "clk_i", sdf);
    flow::check_sdf_coverage(timed.missing_arcs(), syn.name);
    WindowSim window(timed, opt.window_cycles);
    const auto golden = make_golden();
    WindowGemm engine(window, cfg, *golden, net, on_array);
    dnn::run_network(net, test.image(0), 1, engine, 1);
    factor.assign(timed.nets(), 1.0);
    for (int n = 2; n < timed.nets(); ++n)
      if (timed.net_zero_delay(n) > 0)
        factor[n] = static_cast<double>(timed.net_timed(n)) / static_cast<double>(timed.net_zero_delay(n));
    res.glitch_share = timed.activity().glitch_share;
    res.window_cycles = window.total;
    res.activity_model = "zero-delay lanes x per-net glitch factors from a timed window of " +
                         std::to_string(window.total) + " cycles";
    res.timed_seconds = since(tw);
    progress_end(progress, "image 1 on the SDF-timed netlist");
  } else {
    res.activity_model = "zero-delay";
  }
  const NetWeights weights = [&] {
    SeqGateSim probe(netlist, syn.name, lib.lib, "clk_i");
    return net_weights(probe, energy, factor);
  }();
  res.pins_without_energy = weights.pins_without_energy;
  const double base_pj = energy.base_mw() * opt.clock_ns;

  progress_stage(progress, of + "images", count, "images");
  std::vector<ImageRun> images(count);
  std::vector<std::exception_ptr> errors(jobs);
  std::vector<double> worker_seconds(jobs, 0.0);
  std::vector<std::thread> workers;
  for (size_t t = 0; t < jobs; ++t)
    workers.emplace_back([&, t] {
      try {
        const auto w0 = Clock::now();
        const auto golden = make_golden();
        for (size_t g = t; g < groups; g += jobs) {
          const size_t first = g * lanes, n = std::min(lanes, count - first);
          const std::string step = n == 1 ? "image " + std::to_string(first + 1)
                                          : "images " + std::to_string(first + 1) + ".." + std::to_string(first + n);
          progress_begin(progress, step);
          std::vector<ImageRun> r = run_lanes(netlist, syn.name, lib.lib, cfg, net, test, first, n, weights, base_pj,
                                              *golden, on_array, progress, step);
          progress_end(progress, step, n);
          for (size_t j = 0; j < n; ++j) images[first + j] = std::move(r[j]);
        }
        worker_seconds[t] = since(w0);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  for (auto& w : workers) w.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  res.sim_wall_seconds = since(t2) - res.timed_seconds;
  for (double s : worker_seconds) res.sim_seconds += s;

  std::vector<std::vector<double>> layer_nj(net.layers.size());
  std::vector<LayerRun> totals(net.layers.size());
  uint64_t correct = 0, cycles = 0;
  for (size_t i = 0; i < count; ++i) {
    const ImageRun& run = images[i];
    for (size_t c = 0; c < classes; ++c) res.logit_mismatches += run.logits[c] != run.golden[c];
    correct += dnn::argmax(run.logits.data(), static_cast<int>(classes)) == test.labels[i];
    double image_nj = 0;
    for (size_t l = 0; l < net.layers.size(); ++l) {
      const LayerRun& r = run.layers[l];
      if (!on_array[l]) continue;
      layer_nj[l].push_back(r.energy_pj * 1e-3);
      image_nj += r.energy_pj * 1e-3;
      LayerRun& t = totals[l];
      t.cycles += r.cycles, t.cycles_model += r.cycles_model, t.outputs += r.outputs, t.mismatches += r.mismatches;
      t.macs += r.macs, t.zero_act_macs += r.zero_act_macs, t.zero_w_macs += r.zero_w_macs;
      t.transitions += r.transitions;
      cycles += r.cycles;
    }
    res.energy_per_image_nj.push_back(image_nj);
  }
  const double n_img = static_cast<double>(test.count());
  res.images_simulated = test.count();
  res.accuracy = static_cast<double>(correct) / n_img;
  res.cycles_per_inference = static_cast<double>(cycles) / n_img;
  res.energy_nj = mean(res.energy_per_image_nj);
  res.energy_ci_nj = ci95_half_width(res.energy_per_image_nj);
  for (size_t l = 0; l < net.layers.size(); ++l) {
    if (!on_array[l]) continue;
    const LayerRun& t = totals[l];
    InferenceLayerEnergy e;
    e.layer = net.layers[l].describe();
    e.index = static_cast<int>(l);
    if (opt.layers) e.spec = res.spec;
    e.macs = static_cast<uint64_t>(net.layers[l].macs_per_image());
    e.cycles = static_cast<double>(t.cycles) / n_img;
    e.utilization = t.cycles ? static_cast<double>(t.macs) / (static_cast<double>(t.cycles) * opt.rows * opt.cols) : 0;
    e.zero_activation_share = t.macs ? static_cast<double>(t.zero_act_macs) / static_cast<double>(t.macs) : 0;
    e.zero_weight_share = t.macs ? static_cast<double>(t.zero_w_macs) / static_cast<double>(t.macs) : 0;
    e.energy_compute_nj = mean(layer_nj[l]);
    e.energy_ci_nj = ci95_half_width(layer_nj[l]);
    e.transitions = t.transitions / n_img;
    e.outputs = t.outputs, e.mismatches = t.mismatches;
    e.cycles_total = t.cycles, e.cycles_model_total = t.cycles_model;
    res.per_layer.push_back(e);
  }
  res.seconds = since(t0);
  return res;
}

nlohmann::json inference_energy_json(const InferenceEnergyResult& r) {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : r.per_layer) {
    layers.push_back({{"layer", l.layer},
                      {"index", l.index},
                      {"macs", l.macs},
                      {"cycles", l.cycles},
                      {"utilization", l.utilization},
                      {"zero_activation_share", l.zero_activation_share},
                      {"zero_weight_share", l.zero_weight_share},
                      {"energy_compute_nj", l.energy_compute_nj},
                      {"energy_compute_ci_nj", l.energy_ci_nj},
                      {"transitions", l.transitions},
                      {"outputs_checked", l.outputs},
                      {"output_mismatches", l.mismatches},
                      {"cycles_model", r.images_simulated ? static_cast<double>(l.cycles_model_total) /
                                                                static_cast<double>(r.images_simulated)
                                                          : 0.0}});
    if (!l.spec.empty()) layers.back()["spec"] = l.spec;
  }
  nlohmann::json j = {{"spec", r.spec},
                      {"array", r.array},
                      {"zero_gate", r.zero_gate},
                      {"name", r.name},
                      {"accuracy", r.accuracy},
                      {"logit_mismatches", r.logit_mismatches},
                      {"energy_nj", r.energy_nj},
                      {"energy_compute_nj", r.energy_nj},
                      {"energy_ci_nj", r.energy_ci_nj},
                      {"energy_per_image_nj", r.energy_per_image_nj},
                      {"images_simulated", r.images_simulated},
                      {"cycles_per_inference", r.cycles_per_inference},
                      {"clock_ns", r.clock_ns},
                      {"slack_ns", r.slack_ns},
                      {"area_um2", r.area_um2},
                      {"cell_count", r.cell_count},
                      {"base_power_mw", r.base_power_mw},
                      {"leakage_mw", r.leakage_mw},
                      {"activity_model", r.activity_model},
                      {"glitch_share", r.glitch_share},
                      {"window_cycles", r.window_cycles},
                      {"timed_seconds", r.timed_seconds},
                      {"pins_without_energy", r.pins_without_energy},
                      {"per_layer", layers},
                      {"synth_cached", r.synth_cached},
                      {"seconds", r.seconds},
                      {"synth_seconds", r.synth_seconds},
                      {"calib_seconds", r.calib_seconds},
                      {"sim_seconds", r.sim_seconds},
                      {"sim_wall_seconds", r.sim_wall_seconds},
                      {"lanes", r.lanes},
                      {"passes", r.passes}};
  if (!r.layer_specs.empty()) {
    j["layers"] = nlohmann::json::object();  // layer name -> the multiplier of its array
    for (const auto& [layer, spec] : r.layer_specs) j["layers"][layer] = spec;
  }
  if (r.validated)
    j["pin_energy_check"] = {{"direct_mw", r.check.direct_mw},
                             {"model_mw", r.check.model_mw},
                             {"relative_error", r.check.relative_error()}};
  return j;
}

std::string inference_energy_text(const InferenceEnergyResult& r) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(3);
  os << r.spec << " on the " << r.array << (r.zero_gate ? " zero-gated" : "") << " array (" << r.name << "), "
     << r.images_simulated
     << " images through the mapped netlist (" << r.lanes << " lanes a pass, " << r.passes << " passes)\n";
  os << "  energy per inference  " << r.energy_nj << " nJ +- " << r.energy_ci_nj << " (95 % CI, Student t)\n";
  os << "  cycles per inference  " << std::setprecision(0) << r.cycles_per_inference << std::setprecision(3)
     << " at " << r.clock_ns << " ns, slack " << r.slack_ns << " ns; accuracy " << r.accuracy << "\n";
  os << "  activity              " << r.activity_model;
  if (r.window_cycles) os << ", glitch share " << r.glitch_share;
  os << "\n  per layer:\n";
  for (const auto& l : r.per_layer)
    os << "    " << std::left << std::setw(44) << l.layer << std::right << " macs " << std::setw(8) << l.macs
       << " cycles " << std::setw(7) << std::setprecision(0) << l.cycles << std::setprecision(3) << " util "
       << l.utilization << " zero a/w " << l.zero_activation_share << "/" << l.zero_weight_share << " E "
       << l.energy_compute_nj << " nJ" << (l.spec.empty() ? "" : " on " + l.spec) << "\n";
  if (r.validated)
    os << "  linear pin-energy model vs OpenSTA report_power (inputs at 0.5, propagated): " << std::setprecision(4)
       << r.check.model_mw << " vs " << r.check.direct_mw << " mW (" << std::setprecision(2)
       << 100 * r.check.relative_error() << " %)\n";
  os << std::setprecision(1) << "  time " << r.seconds << " s (synthesis " << r.synth_seconds
     << (r.synth_cached ? ", cached" : "") << ", calibration " << r.calib_seconds << ", timed window " << r.timed_seconds << "; lanes "
     << r.sim_wall_seconds << " s wall, " << r.sim_seconds << " s summed over the workers)\n";
  return os.str();
}

}  // namespace gm
