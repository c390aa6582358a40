#include "synth/array_synth.hpp"

#include <chrono>
#include <cmath>
#include <iomanip>
#include <memory>
#include <mutex>
#include <regex>
#include <sstream>

#include "models/cache/cache_key.hpp"
#include "tb/tool_version.hpp"
#include "models/cache/cache_store.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "synth/array_ports.hpp"
#include "synth/fanout.hpp"
#include "synth/gate_sim.hpp"
#include "synth/timed_sim.hpp"
#include "synth/liberty.hpp"
#include "synth/flow.hpp"
#include "models/arith.hpp"
#include "models/cache/cache_dir.hpp"
#include "models/golden_gemm.hpp"
#include "tb/array_stream.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;

namespace gm {

using namespace flow;

namespace {

// The gate-level simulator's adapter (SeqGateSim or TimedGateSim, through CycleGateSim) of the array's stream protocol (tb/array_stream.hpp): the GEMM's streams
// on the netlist exactly as the Verilator harness offers them. A data bus is set only when it carries
// a new beat, and activity is sampled once per counted cycle (from the first cycle after reset to
// the one that accepts the last result), after the cycle's inputs have settled.
class GateSimPort {
 public:
  GateSimPort(CycleGateSim& sim, const ArrayShape& shape)
      : sim_(sim), p_(sim, shape), y_words_(bus_words(shape.cols * shape.acc)) {}

  void drive(const ArrayInputs& in, const ArrayStream& s) {
    p_.drive_control(sim_, in);
    if (in.w_new) sim_.set_input(p_.wd, bits_of(s.w_data(), s.shape().cols * s.shape().w));
    if (in.x_new) sim_.set_input(p_.xd, bits_of(s.x_data(), s.shape().rows * s.shape().w));
    if (p_.pd >= 0 && in.p_new) sim_.set_input(p_.pd, bits_of(s.p_data(), s.shape().cols * kParamBits));
  }
  void settle() { sim_.settle(); }
  ArrayOutputs outputs() const {
    ArrayOutputs out{sim_.output_bit(p_.wr), sim_.output_bit(p_.xr), sim_.output_bit(p_.yv), sim_.output_bit(p_.yl)};
    out.p_ready = p_.pr >= 0 && sim_.output_bit(p_.pr);
    return out;
  }
  const uint32_t* y_data() {
    const std::vector<uint8_t> bits = sim_.output(p_.yd);
    std::fill(y_words_.begin(), y_words_.end(), 0u);
    for (size_t i = 0; i < bits.size() && i / 32 < y_words_.size(); ++i)
      y_words_[i / 32] |= static_cast<uint32_t>(bits[i] & 1) << (i % 32);
    return y_words_.data();
  }
  void clock(const ArrayInputs& in) {
    if (in.rst_n) sim_.sample();
    sim_.clock();
  }

 private:
  static std::vector<uint8_t> bits_of(const std::vector<uint32_t>& words, int width) {
    std::vector<uint8_t> bits(width);
    for (int i = 0; i < width; ++i) bits[i] = (words[i / 32] >> (i % 32)) & 1;
    return bits;
  }

  CycleGateSim& sim_;
  ArrayPortIds p_;
  std::vector<uint32_t> y_words_;
};

nlohmann::json fanout_json(const FanoutReport& f) {
  return {{"max_cell", f.max_cell_fanout}, {"max_cell_net", f.max_cell_net}, {"max_port", f.max_port_fanout},
          {"max_port_name", f.max_port}};
}

nlohmann::json cache_record(const ArraySynthResult& r) {
  nlohmann::json j = figures_json(r);
  j["yosys_seconds"] = r.yosys_seconds;
  j["sim_seconds"] = r.sim_seconds;
  j["fanout"] = fanout_json(r.fanout);
  return j;
}

bool from_cache_record(const std::string& text, ArraySynthResult& r, bool power) {
  try {
    const auto j = nlohmann::json::parse(text);
    figures_from_json(j, r);
    r.yosys_seconds = j.at("yosys_seconds").get<double>();
    r.sim_seconds = j.at("sim_seconds").get<double>();
    const auto& f = j.at("fanout");
    r.fanout.max_cell_fanout = f.at("max_cell").get<int>();
    r.fanout.max_cell_net = f.at("max_cell_net").get<std::string>();
    r.fanout.max_port_fanout = f.at("max_port").get<int>();
    r.fanout.max_port = f.at("max_port_name").get<std::string>();
    return r.area_um2 > 0 && (!power || (r.vectorless.total_mw > 0 && r.simulated.total_mw > 0 && r.cycles > 0));
  } catch (const std::exception&) {
    return false;
  }
}

// The modules map_array.ys keeps as hierarchy (docs/synth.md, "Flow"): the PE (a Yosys selection
// pattern: hierarchy names it $paramod$<hash>\gm_array_pe), the output stage's column lane and each
// distinct multiplier.
std::string kept_modules(const ArrayConfig& cfg) {
  std::string names = cfg.out_stage ? "*gm_array_pe gm_array_out_lane" : "*gm_array_pe";
  for (const Spec& s : cfg.distinct_specs()) names += (names.empty() ? "" : " ") + s.name();
  return names;
}

}  // namespace

std::string hierarchical_instance_name(std::string flat) {
  if (const size_t dot = flat.rfind('.'); dot != std::string::npos) flat[dot] = '/';
  return flat;
}

namespace {

// The simulation reads the flattened netlist, where a kept module's cell is "<instance>.<cell>"
// (the instance name may itself hold dots: g_row[0].g_col[1].u_mul); OpenSTA reads the hierarchy,
// where it is "<instance>/<cell>". The kept modules are all instantiated by the top (one level) and
// the cells' own names (rename -enumerate: _N_) hold no dot, so the last dot is the boundary.
GateSimResult hierarchical_pin_names(GateSimResult act) {
  for (auto& p : act.pins) p.instance = hierarchical_instance_name(p.instance);
  return act;
}

std::string array_verilog(const ArrayRtl& rtl) {
  std::string all;
  for (const auto& f : rtl.files)
    if (fs::path(f.name).extension() == ".v") all += f.text + "\n";
  return all;
}

}  // namespace

void map_array_netlist(const LibInfo& lib, const ArrayConfig& cfg, const ArrayRtl& rtl, double clock_ns,
                       const fs::path& dir) {
  write_file_atomic(dir / "array.v", array_verilog(rtl));
  std::string ys = replace_all(flow_script("map_array.ys"), "{TOP}", rtl.top);
  ys = replace_all(ys, "{LIB}", link_liberty(lib, dir));
  ys = replace_all(ys, "{BUF}", lib.insbuf_args());
  ys = replace_all(ys, "{KEEP}", kept_modules(cfg));
  ys = replace_all(ys, "{TIE}", lib.buf_cell + " " + lib.buf_out);
  ys = replace_all(ys, "{HITIE}", lib.inv_cell.empty() ? lib.buf_cell + " " + lib.buf_out : lib.inv_cell + " " + lib.inv_out);
  ys = replace_all(ys, "{PERIOD_PS}", fmt(std::round(clock_ns * 1000), 10));
  write_file_atomic(dir / "synth.ys", ys);
  // ABC's view of a module's boundary: inputs driven by the library's buffer, outputs loading it
  // with 0.02 pF (about two gate inputs in OSU018); see map_array.ys.
  write_file_atomic(dir / "abc.constr", "set_driving_cell " + lib.buf_cell + "\nset_load 0.02\n");
  const RunResult yosys = run_program({"yosys", "-q", "-l", "yosys.log", "-s", "synth.ys"}, {.cwd = dir, .timeout_s = 3600});
  if (!yosys.ok())
    throw std::runtime_error(rtl.top + ": Yosys failed" + (yosys.timed_out ? " (timed out after 3600 s)" : "") + ": " +
                             yosys.output.substr(0, 400));
}

namespace {

// Yosys, the GEMM simulation and OpenSTA in `dir`.
void run_flow(const LibInfo& lib, const ArraySynthOptions& opt, const ArrayConfig& cfg, const ArrayRtl& rtl,
              const GemmProblem& gemm, const fs::path& dir, ArraySynthResult& r) {
  const auto t0 = std::chrono::steady_clock::now();
  map_array_netlist(lib, cfg, rtl, opt.clock_ns, dir);
  const auto t1 = std::chrono::steady_clock::now();
  r.yosys_seconds = std::chrono::duration<double>(t1 - t0).count();

  const std::string stat = read_file(dir / "stat.txt");
  std::smatch m;
  // The whole hierarchy's area (each kept module counted once per instance).
  if (!std::regex_search(stat, m, std::regex(R"(Chip area for top module '[^']*': ([0-9.eE+-]+))")))
    throw std::runtime_error(r.name + ": no chip area of the top module in Yosys's stat output");
  r.area_um2 = std::stod(m[1]);
  r.nand2_eq = r.area_um2 / lib.nand2_area;
  const auto netlist = nlohmann::json::parse(read_file(dir / "net.json"));
  for (const auto& [name, c] : netlist.at("modules").at(rtl.top).at("cells").items())
    ++r.cells[c.at("type").get<std::string>()];
  r.fanout = netlist_fanout(netlist, rtl.top, lib.lib, "clk_i");
  if (!opt.power) {  // mapping only: no GEMM, no OpenSTA run
    fs::remove(dir / "net.json");
    fs::remove(dir / kLinkedLiberty);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return;
  }

  std::unique_ptr<CycleGateSim> sim;
  if (opt.activity_model == "timed") {
    auto timed = std::make_unique<TimedGateSim>(netlist, rtl.top, lib.lib, "clk_i",
                                                make_sdf(dir, rtl.top, opt.clock_ns, r.name));
    check_sdf_coverage(timed->missing_arcs(), r.name);
    sim = std::move(timed);
  } else
    sim = std::make_unique<SeqGateSim>(netlist, rtl.top, lib.lib, "clk_i");
  const ArrayDriveResult run = drive_array_gemm(*sim, cfg, gemm);
  const GateSimResult act = sim->activity();
  r.cycles = run.cycles;
  r.mean_activity = act.mean_net_activity;
  r.glitch_share = act.glitch_share;
  std::vector<int64_t> golden = golden_gemm(pe_tables(cfg), cfg.rows, cfg.cols, cfg.acc_width, gemm.x.data(),
                                           gemm.w.data(), gemm.m, gemm.k, gemm.n);
  if (cfg.out_stage) golden = apply_output_stage(golden, gemm.m, gemm.n, gemm.params);
  // Stalls (a nonzero stall_seed) add cycles the cycle model does not count.
  r.netlist_matches_model =
      run.y == golden && (gemm.stall_seed != 0 || run.cycles == gemm_cycles(cfg, gemm.m, gemm.k, gemm.n));
  write_file_atomic(dir / "activity.tcl",
                    activity_tcl(hierarchical_pin_names(act), "switching activity of a GEMM on the array"));
  fs::remove(dir / "net.json");  // large, and rebuilt on demand
  const auto t2 = std::chrono::steady_clock::now();
  r.sim_seconds = std::chrono::duration<double>(t2 - t1).count();

  write_file_atomic(dir / "sta.tcl", sta_script(flow_script("power.tcl"), rtl.top, opt.clock_ns));
  const RunResult sta_run =
      run_program({"sta", "-no_init", "-exit", "sta.tcl"}, {.cwd = dir, .log_file = dir / "sta.log", .timeout_s = 3600});
  fs::remove(dir / kLinkedLiberty);  // the entry must not depend on where the library lives
  const std::string& sta_log = sta_run.output;
  if (!sta_run.ok() || sta_log.find("GM_DONE") == std::string::npos || sta_log.find("Error") != std::string::npos)
    throw std::runtime_error(r.name + ": OpenSTA failed (log " + (dir / "sta.log").string() + ")");
  if (!std::regex_search(sta_log, m, std::regex(R"(GM_SLACK ([0-9.eE+-]+))")))
    throw std::runtime_error(r.name + ": OpenSTA printed no worst slack");
  r.slack_ns = std::stod(m[1]);
  r.delay_ns = std::max(0.0, opt.clock_ns - r.slack_ns);
  r.vectorless = parse_power(sta_log, "vectorless");
  r.simulated = parse_power(sta_log, "simulated");
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Everything the record depends on: the array's RTL, the scripts, the library, the clock, the GEMM
// that drives the activity, Yosys and OpenSTA, and greenmac itself (gate simulator, GEMM driver).
std::string cache_key(const LibInfo& lib, const ArraySynthOptions& opt, const std::string& verilog,
                      const GemmProblem& g) {
  auto bytes = [](const std::vector<int32_t>& v) {
    return std::string_view(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(int32_t));
  };
  CacheKey k;
  k.add("rtl", verilog).add("map_array.ys", flow_script("map_array.ys")).add("power.tcl", flow_script("power.tcl"));
  k.add("sta_head.tcl", flow_script("sta_head.tcl"));
  k.add("liberty", lib.text).add("clock_ns", fmt(opt.clock_ns, 17));
  k.add("activity model", opt.activity_model);
  if (!opt.power) k.add("power", "none: mapping only");  // (absent for the full flow: its keys are unchanged)
  if (opt.activity_model == "timed") k.add("sdf.tcl", flow_script("sdf.tcl"));
  k.add("gemm", std::to_string(g.m) + " " + std::to_string(g.k) + " " + std::to_string(g.n) + " stall " +
                    std::to_string(g.stall_seed));
  k.add("gemm x", bytes(g.x)).add("gemm w", bytes(g.w));
  std::string params;  // the output stage's params (out stage only): they drive its activity
  for (const OutParams& p : g.params)
    params += std::to_string(p.bias) + " " + std::to_string(p.m0) + " " + std::to_string(p.shift) + " " +
              std::to_string(p.out_min) + " " + std::to_string(p.out_max) + "\n";
  k.add("gemm params", params);
  return add_tool_versions(k, {"yosys", "sta"}).add_build_id().hex();
}

void check_gemm(const ArrayConfig& cfg, const GemmProblem& g) {
  if (g.m < 1 || g.k < 1 || g.n < 1) throw UserError("GEMM sides must be positive");
  if (static_cast<int64_t>(g.x.size()) != g.m * g.k || static_cast<int64_t>(g.w.size()) != g.k * g.n)
    throw UserError("GEMM operand sizes do not match m, k, n");
  const int64_t lo = operand_min(cfg.w(), cfg.is_signed()), hi = operand_max(cfg.w(), cfg.is_signed());
  for (const auto* v : {&g.x, &g.w})
    for (int32_t e : *v)
      if (e < lo || e > hi)
        throw UserError("GEMM operand " + std::to_string(e) + " is outside the multipliers' range " +
                        std::to_string(lo) + ".." + std::to_string(hi));
  if (static_cast<int64_t>(g.params.size()) != (cfg.out_stage ? g.n : 0))
    throw UserError(cfg.out_stage ? "the array's output stage needs params for every GEMM output column"
                                  : "GEMM output-stage params given, but the array has no output stage (--requant)");
}

std::string mul_label(const ArrayConfig& cfg) {
  const auto d = cfg.distinct_specs();
  return d.size() == 1 ? d.front().canonical() : "mixed (" + std::to_string(d.size()) + " multipliers)";
}

}  // namespace

ArrayDriveResult drive_array_gemm(CycleGateSim& sim, const ArrayConfig& cfg, const GemmProblem& p) {
  const ArrayShape shape = array_shape(cfg);
  ArrayStream stream(shape, {p.m, p.k, p.n, p.stall_seed, p.x.data(), p.w.data(),
                             p.params.empty() ? nullptr : p.params.data()});
  GateSimPort port(sim, shape);
  if (!run_array_stream(stream, port)) throw std::runtime_error("array netlist: " + stream.error());
  return {stream.y(), stream.cycles()};
}

void parse_gemm_dims(const std::string& text, int64_t& m, int64_t& k, int64_t& n) {
  static const std::regex re(R"((\d{1,7})x(\d{1,7})x(\d{1,7}))");
  std::smatch s;
  if (!std::regex_match(text, s, re))
    throw UserError("--gemm must be MxKxN (e.g. 32x16x16), got '" + text + "'");
  m = std::stoll(s[1]), k = std::stoll(s[2]), n = std::stoll(s[3]);
  for (int64_t v : {m, k, n})
    if (v < 1 || v > 1'000'000) throw UserError("--gemm sides must be 1..1000000, got '" + text + "'");
}

std::vector<const ProductTable*> pe_tables(const ArrayConfig& cfg) {
  std::vector<const ProductTable*> t;
  for (const Spec& s : cfg.pe) t.push_back(&shared_product_table(s));
  return t;
}

GemmProblem default_array_gemm(const ArrayConfig& cfg, uint64_t seed) {
  return random_gemm(cfg, 32, 2 * cfg.rows, 2 * cfg.cols, seed);
}

ArrayConfig exact_array_config(const ArrayConfig& cfg) {
  ArrayConfig e = cfg;
  const Spec exact = parse_spec("exact:w=" + std::to_string(cfg.w()) + ",s=" + (cfg.is_signed() ? "1" : "0"));
  e.pe.assign(cfg.pe.size(), exact);
  return e;
}

ArraySynthResult synth_array(const ArrayConfig& cfg, const GemmProblem& gemm, const ArraySynthOptions& opt) {
  if (!have_tool("yosys")) throw UserError("yosys is not installed (not on PATH); install it with `apt-get install yosys`");
  if (!have_tool("sta"))
    throw UserError("OpenSTA (`sta`) is not installed (not on PATH); install it with `apt-get install opensta`");
  if (!(opt.clock_ns > 0) || !std::isfinite(opt.clock_ns)) throw UserError("--clock-ns must be a positive number of ns");
  check_activity_model(opt.activity_model);
  check_gemm(cfg, gemm);
  const LibInfo lib = load_library(opt.lib);
  if (!opt.keep_dir.empty()) ensure_output_dir(opt.keep_dir);

  const ArrayRtl rtl = generate_array(cfg, MulModel::kGate);
  const std::string verilog = array_verilog(rtl);
  ArraySynthResult r;
  auto fill_header = [&] {
    r.name = rtl.top;
    r.config = cfg.canonical();
    r.mul = mul_label(cfg);
    r.rows = cfg.rows, r.cols = cfg.cols, r.w = cfg.w(), r.acc_width = cfg.acc_width;
    r.is_signed = cfg.is_signed(), r.zero_gate = cfg.zero_gate;
    r.lib = lib.path.string();
    r.clock_ns = opt.clock_ns;
    r.activity_model = opt.activity_model;
    r.gemm_m = gemm.m, r.gemm_k = gemm.k, r.gemm_n = gemm.n;
  };
  fill_header();
  const CacheStore store("synth-array");
  const auto entry = store.get_or_make(
      cache_key(lib, opt, verilog, gemm),
      [&](const fs::path& dir) { return from_cache_record(read_file(dir / "result.json"), r, opt.power); },
      [&](const fs::path& dir) {
        r = ArraySynthResult{};
        fill_header();
        run_flow(lib, opt, cfg, rtl, gemm, dir, r);
        write_file_atomic(dir / "result.json", cache_record(r).dump(2));
      });
  r.cached = entry.cached;
  r.fmax_mhz = r.delay_ns > 0 ? 1000.0 / r.delay_ns : 0;
  r.cell_count = 0;
  for (const auto& [type, n] : r.cells) r.cell_count += n;
  if (!opt.keep_dir.empty()) {
    const fs::path out = opt.keep_dir / r.name;
    ensure_output_dir(out);
    for (const char* file : {"array.v", "synth.ys", "abc.constr", "yosys.log", "stat.txt", "net.v", "sdf.tcl", "net.sdf",
                             "activity.tcl", "sta.tcl",
                             "sta.log", "result.json"})
      if (fs::exists(entry.dir / file)) write_file_atomic(out / file, read_file(entry.dir / file));
  }
  return r;
}

nlohmann::json array_synth_json(const ArraySynthResult& r) {
  return {{"array", std::to_string(r.rows) + "x" + std::to_string(r.cols)},
          {"name", r.name},
          {"mul", r.mul},
          {"w", r.w},
          {"signed", r.is_signed},
          {"acc_width", r.acc_width},
          {"zero_gate", r.zero_gate},
          {"lib", r.lib},
          {"clock_ns", r.clock_ns},
          {"area_um2", r.area_um2},
          {"cells", r.cells},
          {"cell_count", r.cell_count},
          {"nand2_eq", r.nand2_eq},
          {"delay_ns", r.delay_ns},
          {"fmax_mhz", r.fmax_mhz},
          {"slack_ns", r.slack_ns},
          {"gemm", {{"m", r.gemm_m}, {"k", r.gemm_k}, {"n", r.gemm_n}}},
          {"macs", r.macs()},
          {"cycles", r.cycles},
          {"mean_activity", r.mean_activity},
          {"activity_model", r.activity_model},
          {"glitch_share", r.glitch_share},
          {"power_mw", r.simulated.total_mw},
          {"power_dyn_mw", r.simulated.dynamic_mw()},
          {"power_internal_mw", r.simulated.internal_mw},
          {"power_switching_mw", r.simulated.switching_mw},
          {"power_leak_mw", r.simulated.leakage_mw},
          {"energy_per_mac_pj", r.energy_per_mac_pj()},
          {"power_vectorless_mw", r.vectorless.total_mw},
          {"power_vectorless_dyn_mw", r.vectorless.dynamic_mw()},
          {"energy_vectorless_per_mac_pj", r.energy_vectorless_per_mac_pj()},
          {"netlist_matches_model", r.netlist_matches_model},
          {"fanout", fanout_json(r.fanout)},
          {"cached", r.cached},
          {"seconds", r.seconds},
          {"yosys_seconds", r.yosys_seconds},
          {"sim_seconds", r.sim_seconds}};
}

std::string array_synth_csv(const std::vector<ArraySynthResult>& results) {
  std::ostringstream os;
  os << "array,name,mul,area_um2,cell_count,nand2_eq,delay_ns,fmax_mhz,slack_ns,power_mw,power_dyn_mw,power_leak_mw,"
        "power_vectorless_mw,energy_per_mac_pj,energy_vectorless_per_mac_pj,gemm_m,gemm_k,gemm_n,cycles,"
        "mean_activity,activity_model,glitch_share,clock_ns,netlist_matches_model,cached\n";
  for (const auto& r : results)
    os << r.rows << "x" << r.cols << "," << r.name << ",\"" << r.mul << "\"," << fmt(r.area_um2) << "," << r.cell_count
       << "," << fmt(r.nand2_eq) << "," << fmt(r.delay_ns) << "," << fmt(r.fmax_mhz) << "," << fmt(r.slack_ns) << ","
       << fmt(r.simulated.total_mw) << "," << fmt(r.simulated.dynamic_mw()) << "," << fmt(r.simulated.leakage_mw) << ","
       << fmt(r.vectorless.total_mw) << "," << fmt(r.energy_per_mac_pj()) << "," << fmt(r.energy_vectorless_per_mac_pj())
       << "," << r.gemm_m << "," << r.gemm_k << "," << r.gemm_n << "," << r.cycles << "," << fmt(r.mean_activity) << ","
       << r.activity_model << "," << fmt(r.glitch_share) << "," << fmt(r.clock_ns) << "," << (r.netlist_matches_model ? 1 : 0) << "," << (r.cached ? 1 : 0) << "\n";
  return os.str();
}

std::string array_synth_table(const std::vector<ArraySynthResult>& results) {
  std::ostringstream os;
  size_t wmul = 3;
  for (const auto& r : results) wmul = std::max(wmul, r.mul.size());
  os << std::left << std::setw(7) << "array" << std::setw(static_cast<int>(wmul) + 2) << "mul" << std::right
     << std::setw(11) << "area_um2" << std::setw(7) << "cells" << std::setw(9) << "delay_ns" << std::setw(9)
     << "slack_ns" << std::setw(9) << "fmax_MHz" << std::setw(10) << "P_vl_mW" << std::setw(10) << "P_sim_mW" << std::setw(12) << "E_pJ/MAC"
     << std::setw(8) << "cycles" << std::setw(8) << "glitch" << "\n";
  os << std::fixed;
  for (const auto& r : results) {
    os << std::left << std::setw(7) << (std::to_string(r.rows) + "x" + std::to_string(r.cols))
       << std::setw(static_cast<int>(wmul) + 2) << r.mul << std::right << std::setprecision(0) << std::setw(11)
       << r.area_um2 << std::setw(7) << r.cell_count << std::setprecision(3) << std::setw(9) << r.delay_ns
       << std::setw(9) << r.slack_ns << std::setprecision(1) << std::setw(9) << r.fmax_mhz << std::setprecision(4) << std::setw(10)
       << r.vectorless.total_mw << std::setw(10) << r.simulated.total_mw << std::setw(12) << r.energy_per_mac_pj()
       << std::setw(8) << r.cycles << std::setprecision(3) << std::setw(8) << r.glitch_share
       << (r.netlist_matches_model ? "" : "  (netlist != golden GEMM!)") << "\n";
  }
  if (!results.empty()) {
    const auto& r = results.front();
    os << "clock " << std::setprecision(3) << r.clock_ns << " ns; GEMM " << r.gemm_m << "x" << r.gemm_k << "x"
       << r.gemm_n << " (" << r.macs() << " MACs); P_vl: vectorless (inputs at 0.5 transitions/cycle), P_sim: "
       << "gate-level simulation of the GEMM's streams ("
       << (r.activity_model == "timed" ? "timed with SDF delays, glitches counted" : "zero-delay, no glitches")
       << "); E = P_sim x period x cycles / MACs; glitch: share of the simulated transitions that are glitches\n";
    for (const auto& q : results)
      os << (std::to_string(q.rows) + "x" + std::to_string(q.cols)) << " worst fanout: " << q.fanout.max_cell_fanout
         << " pins from a cell (" << q.fanout.max_cell_net << "), " << q.fanout.max_port_fanout
         << " from an input port (" << q.fanout.max_port << ", timed with an ideal driver)\n";
  }
  return os.str();
}

}  // namespace gm
