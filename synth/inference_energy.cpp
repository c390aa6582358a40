#include "synth/inference_energy.hpp"

#include <chrono>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "models/dnn/evaluate.hpp"
#include "models/dnn/network.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/golden_gemm.hpp"
#include "models/scratch.hpp"
#include "synth/array_synth.hpp"
#include "synth/flow.hpp"
#include "synth/gate_sim.hpp"
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

// A whole-layer GEMM engine on the gate-level simulation of the mapped array (output stage
// included): each gemm_layer call is one GEMM through the stream protocol; the pins' toggle counts
// before and after it give the layer's transitions and energy.
class NetlistGemm : public dnn::GemmEngine {
 public:
  NetlistGemm(SeqGateSim& sim, const ArrayConfig& cfg, const dnn::Network& net, dnn::GemmEngine& golden,
              const PinEnergyModel& energy)
      : runs(net.layers.size()), sim_(sim), cfg_(cfg), net_(net), golden_(golden), energy_(energy) {}

  void gemm(const int8_t*, int64_t, int64_t, const int8_t*, int64_t, int32_t*) override {
    throw std::logic_error("NetlistGemm: the output-stage array gives layer outputs, not sums");
  }

  void gemm_layer(const int8_t* x, int64_t m, int64_t k, const dnn::Layer& l, int32_t* out) override {
    const int64_t n = l.n();
    GemmProblem p;
    p.m = m, p.k = k, p.n = n;
    p.x.assign(x, x + m * k);
    p.w.assign(l.weights.begin(), l.weights.end());
    for (int64_t j = 0; j < n; ++j)
      p.params.push_back({l.bias[j], l.requant[j].m0, l.requant[j].shift, l.out_min, l.out_max});
    const auto t0 = Clock::now();
    const ArrayDriveResult r = drive_array_gemm(sim_, cfg_, p);
    sim_seconds += since(t0);
    for (int64_t i = 0; i < m * n; ++i) out[i] = static_cast<int32_t>(r.y[i]);

    const size_t index = layer_index(l);
    LayerRun& run = runs[index];
    run.cycles += r.cycles;
    run.cycles_model += gemm_cycles(cfg_, m, k, n);
    run.macs += static_cast<uint64_t>(m * k * n);
    uint64_t zero_x = 0, zero_w = 0;
    for (int64_t i = 0; i < m * k; ++i) zero_x += x[i] == 0;
    for (int8_t w : l.weights) zero_w += w == 0;
    run.zero_act_macs += zero_x * static_cast<uint64_t>(n);
    run.zero_w_macs += zero_w * static_cast<uint64_t>(m);

    std::vector<int32_t> golden(m * n);
    golden_.gemm_layer(x, m, k, l, golden.data());
    run.outputs += static_cast<uint64_t>(m * n);
    for (int64_t i = 0; i < m * n; ++i) run.mismatches += out[i] != golden[i];

    // Transitions since the previous layer (sampled cycles are counted across layers: the first
    // sampled cycle of this GEMM is compared with the last one of the previous GEMM).
    const auto t1 = Clock::now();
    const GateSimResult act = sim_.activity();
    if (pin_pj_.empty()) bind_pins(act);
    const double periods = static_cast<double>(act.cycles - 1);
    double pj = 0, transitions = 0;
    for (size_t i = 0; i < act.pins.size(); ++i) {
      const uint64_t now = static_cast<uint64_t>(std::llround(act.pins[i].activity * periods));
      const uint64_t d = now - toggles_[i];
      toggles_[i] = now;
      pj += static_cast<double>(d) * pin_pj_[i];
      transitions += static_cast<double>(d);
    }
    run.energy_pj += pj + energy_.base_mw() * cfg_clock_ns() * static_cast<double>(r.cycles);
    run.transitions += transitions;
    sim_seconds += since(t1);
  }

  void reset_runs() { runs.assign(net_.layers.size(), LayerRun{}); }
  std::vector<LayerRun> runs;  // by network layer index, for the current image
  size_t pins_without_energy = 0;
  double sim_seconds = 0;

 private:
  double cfg_clock_ns() const { return energy_.clock_ns; }
  size_t layer_index(const dnn::Layer& l) const {
    for (size_t i = 0; i < net_.layers.size(); ++i)
      if (&net_.layers[i] == &l) return i;
    throw std::logic_error("NetlistGemm: the layer is not in the network");
  }
  void bind_pins(const GateSimResult& act) {
    pin_pj_.resize(act.pins.size(), 0.0);
    toggles_.assign(act.pins.size(), 0);
    for (size_t i = 0; i < act.pins.size(); ++i) {
      // OpenSTA names a kept module's cell "<instance>/<cell>", the flattened simulation "<instance>.<cell>".
      const auto at = energy_.pin_pj.find(hierarchical_instance_name(act.pins[i].instance) + "/" + act.pins[i].pin);
      if (at == energy_.pin_pj.end())
        ++pins_without_energy;
      else
        pin_pj_[i] = at->second;
    }
  }

  SeqGateSim& sim_;
  const ArrayConfig& cfg_;
  const dnn::Network& net_;
  dnn::GemmEngine& golden_;
  const PinEnergyModel& energy_;
  std::vector<double> pin_pj_;
  std::vector<uint64_t> toggles_;
};

double mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// The mapped netlist as Yosys JSON for the gate simulation, read back from net_sim.v (net.v before the tie buffers, flattened, in
// case the netlist is hierarchical) with the library's cells as black boxes.
nlohmann::json netlist_json(const fs::path& dir, const std::string& top, const fs::path& lib_path) {
  fs::remove(dir / flow::kLinkedLiberty);
  fs::create_symlink(fs::absolute(lib_path), dir / flow::kLinkedLiberty);
  const std::string script = std::string("read_liberty -lib ") + flow::kLinkedLiberty +
                             "; read_verilog net_sim.v; hierarchy -check -top " + top +
                             "; flatten; write_json net_sim.json";
  const RunResult r = run_program({"yosys", "-q", "-p", script}, {.cwd = dir, .timeout_s = 3600});
  fs::remove(dir / flow::kLinkedLiberty);
  if (!r.ok()) throw std::runtime_error("Yosys could not read back the mapped netlist: " + r.output.substr(0, 400));
  auto j = nlohmann::json::parse(read_file(dir / "net_sim.json"));
  fs::remove(dir / "net_sim.json");
  return j;
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
  const dnn::Network net = load_dnn_model(opt.model);
  const ImageSet test = load_dnn_test_set(opt.data_dir, opt.images, net);
  const ArrayConfig cfg = make_array_config(opt.rows, opt.cols, opt.mul, "", 32, false, 0, true);
  const flow::LibInfo lib = flow::load_library(opt.lib);

  InferenceEnergyResult res;
  res.spec = opt.mul.canonical();
  res.array = std::to_string(opt.rows) + "x" + std::to_string(opt.cols);
  res.clock_ns = opt.clock_ns;

  // 1. The mapped netlist (the array flow, cached; its net.v kept in a scratch directory).
  ScratchDir work("greenmac-infer");
  ArraySynthOptions so;
  so.lib = opt.lib;
  so.clock_ns = opt.clock_ns;
  so.keep_dir = work.path();
  const ArraySynthResult syn = synth_array(cfg, default_array_gemm(cfg, 1), so);
  res.name = syn.name;
  res.slack_ns = syn.slack_ns;
  res.area_um2 = syn.area_um2;
  res.cell_count = syn.cell_count;
  res.synth_cached = syn.cached;
  res.synth_seconds = since(t0);
  const fs::path dir = work.path() / syn.name;
  if (!fs::exists(dir / "net_sim.v")) throw std::runtime_error("the array flow kept no net_sim.v in " + dir.string());

  // 2. One OpenSTA calibration: every pin's energy per transition.
  const auto t1 = Clock::now();
  const nlohmann::json netlist = netlist_json(dir, syn.name, lib.path);
  std::unordered_set<std::string> clocks;  // OpenSTA's names (hierarchical_instance_name)
  for (const std::string& pin : clock_pins(netlist, syn.name, lib.lib)) clocks.insert(hierarchical_instance_name(pin));
  const PinEnergyModel energy = calibrate_pin_energy(dir, syn.name, lib.path, opt.clock_ns, clocks);
  res.base_power_mw = energy.base_mw();
  if (opt.validate) {
    res.check = validate_pin_energy(dir, syn.name, lib.path, energy, netlist, lib.lib, 0.5, hierarchical_instance_name);
    res.validated = true;
  }
  res.calib_seconds = since(t1);

  // 3. Every image alone through every layer, on its own fresh simulation of the netlist (all
  // flops 0 before the first reset), so that an image's figures do not depend on the images before
  // it or on how the images are spread over the workers.
  const ProductTable& table = shared_product_table(opt.mul);
  const size_t classes = static_cast<size_t>(net.classes());
  const size_t count = test.count();
  struct ImageRun {
    std::vector<LayerRun> layers;
    std::vector<int32_t> logits, golden;
    size_t pins_without_energy = 0;
    double sim_seconds = 0;
  };
  std::vector<ImageRun> images(count);
  const int jobs = std::max(1, std::min<int>(opt.jobs > 0 ? opt.jobs : static_cast<int>(std::thread::hardware_concurrency()),
                                             static_cast<int>(count)));
  std::vector<std::exception_ptr> errors(jobs);
  std::vector<std::thread> workers;
  for (int t = 0; t < jobs; ++t)
    workers.emplace_back([&, t] {
      try {
        dnn::TableGemm golden(table, 1);
        for (size_t i = static_cast<size_t>(t); i < count; i += static_cast<size_t>(jobs)) {
          SeqGateSim sim(netlist, syn.name, lib.lib, "clk_i");
          NetlistGemm engine(sim, cfg, net, golden, energy);
          ImageRun& run = images[i];
          run.logits = dnn::run_network(net, test.image(i), 1, engine, 1);
          run.golden = dnn::run_network(net, test.image(i), 1, golden, 1);
          run.layers = engine.runs;
          run.pins_without_energy = engine.pins_without_energy;
          run.sim_seconds = engine.sim_seconds;
        }
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  for (auto& w : workers) w.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);

  std::vector<std::vector<double>> layer_nj(net.layers.size());
  std::vector<LayerRun> totals(net.layers.size());
  uint64_t correct = 0, cycles = 0;
  for (size_t i = 0; i < count; ++i) {
    const ImageRun& run = images[i];
    for (size_t c = 0; c < classes; ++c) res.logit_mismatches += run.logits[c] != run.golden[c];
    correct += dnn::argmax(run.logits.data(), static_cast<int>(classes)) == test.labels[i];
    res.pins_without_energy = std::max(res.pins_without_energy, run.pins_without_energy);
    res.sim_seconds += run.sim_seconds;
    double image_nj = 0;
    for (size_t l = 0; l < net.layers.size(); ++l) {
      const LayerRun& r = run.layers[l];
      if (!net.layers[l].is_gemm()) continue;
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
    if (!net.layers[l].is_gemm()) continue;
    const LayerRun& t = totals[l];
    InferenceLayerEnergy e;
    e.layer = net.layers[l].describe();
    e.index = static_cast<int>(l);
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
  for (const auto& l : r.per_layer)
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
  nlohmann::json j = {{"spec", r.spec},
                      {"array", r.array},
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
                      {"activity_model", "zero-delay"},
                      {"pins_without_energy", r.pins_without_energy},
                      {"per_layer", layers},
                      {"synth_cached", r.synth_cached},
                      {"seconds", r.seconds},
                      {"synth_seconds", r.synth_seconds},
                      {"calib_seconds", r.calib_seconds},
                      {"sim_seconds", r.sim_seconds}};
  if (r.validated)
    j["pin_energy_check"] = {{"direct_mw", r.check.direct_mw},
                             {"model_mw", r.check.model_mw},
                             {"relative_error", r.check.relative_error()}};
  return j;
}

std::string inference_energy_text(const InferenceEnergyResult& r) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(3);
  os << r.spec << " on the " << r.array << " array (" << r.name << "), " << r.images_simulated
     << " images one at a time through the mapped netlist\n";
  os << "  energy per inference  " << r.energy_nj << " nJ +- " << r.energy_ci_nj << " (95 % CI, Student t)\n";
  os << "  cycles per inference  " << std::setprecision(0) << r.cycles_per_inference << std::setprecision(3)
     << " at " << r.clock_ns << " ns, slack " << r.slack_ns << " ns; accuracy " << r.accuracy << "\n";
  os << "  per layer:\n";
  for (const auto& l : r.per_layer)
    os << "    " << std::left << std::setw(44) << l.layer << std::right << " macs " << std::setw(8) << l.macs
       << " cycles " << std::setw(7) << std::setprecision(0) << l.cycles << std::setprecision(3) << " util "
       << l.utilization << " zero a/w " << l.zero_activation_share << "/" << l.zero_weight_share << " E "
       << l.energy_compute_nj << " nJ\n";
  if (r.validated)
    os << "  linear pin-energy model vs OpenSTA report_power (inputs at 0.5, propagated): " << std::setprecision(4)
       << r.check.model_mw << " vs " << r.check.direct_mw << " mW (" << std::setprecision(2)
       << 100 * r.check.relative_error() << " %)\n";
  os << std::setprecision(1) << "  time " << r.seconds << " s (synthesis " << r.synth_seconds
     << (r.synth_cached ? ", cached" : "") << ", calibration " << r.calib_seconds << "; simulation "
     << r.sim_seconds << " s summed over the workers)\n";
  return os.str();
}

}  // namespace gm
