#include "synth/mult_synth.hpp"
#include "models/name_or_path.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <exception>
#include <iomanip>
#include <mutex>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "models/cache/cache_key.hpp"
#include "models/progress.hpp"
#include "tb/tool_version.hpp"
#include "models/cache/cache_store.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "synth/gate_sim.hpp"
#include "synth/timed_sim.hpp"
#include "synth/liberty.hpp"
#include "generator/registry.hpp"
#include "synth/flow.hpp"
#include "synth/power_split.hpp"
#include "models/cache/cache_dir.hpp"
#include "models/pairs.hpp"
#include "tb/process.hpp"
#include "models/install_layout.hpp"

namespace fs = std::filesystem;

namespace gm {

using namespace flow;

namespace {

// The operand stream: uniform pairs, or pairs drawn from a distribution (a file's or one in memory).
struct ActivitySource {
  std::string label;  // "uniform", the file path, or the label of a stream held in memory
  Distribution dist;  // empty for the uniform stream
  std::vector<std::pair<int64_t, int64_t>> sequence;  // non-empty: played in this order instead
};

ActivitySource load_activity(const std::string& activity) {
  ActivitySource src;
  src.label = activity;
  if (builtin_or_path({"--activity", {"uniform"}, "", "activity file"}, activity)) return src;
  src.dist = parse_distribution(read_file(activity), activity);
  return src;
}

// The pairs and exact probabilities the stream is drawn from (the cache key's part of the activity):
// equal for a file and the in-memory pairs it was written from, and blind to comments.
std::string pairs_key_text(const Distribution& dist) {
  std::string text;
  char buf[96];
  for (const auto& e : dist.entries) {
    std::snprintf(buf, sizeof buf, "%lld %lld %a\n", static_cast<long long>(e.a), static_cast<long long>(e.b), e.p);
    text += buf;
  }
  return text;
}

void check_pairs_fit(const ActivitySource& src, const Spec& spec) {
  if (!src.dist.entries.empty()) check_distribution(src.dist, spec.w, spec.is_signed, spec.name());
  const int64_t lo = spec.is_signed ? -(int64_t{1} << (spec.w - 1)) : 0;
  const int64_t hi = spec.is_signed ? (int64_t{1} << (spec.w - 1)) - 1 : (int64_t{1} << spec.w) - 1;
  for (const auto& [a, b] : src.sequence)
    if (a < lo || a > hi || b < lo || b > hi)
      throw UserError(src.label + ": operand pair (" + std::to_string(a) + ", " + std::to_string(b) + ") does not fit " +
                      spec.name() + "'s operands (" + std::to_string(lo) + " .. " + std::to_string(hi) + ")");
}

// The in-order sequence's part of the cache key.
std::string sequence_key_text(const std::vector<std::pair<int64_t, int64_t>>& seq) {
  std::string text;
  for (const auto& [a, b] : seq) text += std::to_string(a) + " " + std::to_string(b) + "\n";
  return text;
}

// Operand bit patterns for `cycles` cycles.
void make_stream(const ActivitySource& src, const Spec& spec, uint64_t cycles, uint64_t seed,
                 std::vector<uint64_t>& a, std::vector<uint64_t>& b) {
  std::mt19937_64 rng(seed);
  a.resize(cycles);
  b.resize(cycles);
  if (!src.sequence.empty()) {  // in order, from the start, repeated when shorter than the cycles
    for (uint64_t t = 0; t < cycles; ++t) {
      const auto& [x, y] = src.sequence[t % src.sequence.size()];
      a[t] = operand_bits(x, spec.w);
      b[t] = operand_bits(y, spec.w);
    }
    return;
  }
  if (src.dist.entries.empty()) {
    std::uniform_int_distribution<uint64_t> u(0, (uint64_t{1} << spec.w) - 1);
    for (uint64_t t = 0; t < cycles; ++t) a[t] = u(rng), b[t] = u(rng);
    return;
  }
  std::vector<double> w;
  for (const auto& p : src.dist.entries) w.push_back(p.p);
  std::discrete_distribution<size_t> pick(w.begin(), w.end());
  for (uint64_t t = 0; t < cycles; ++t) {
    const auto& p = src.dist.entries[pick(rng)];
    a[t] = operand_bits(p.a, spec.w);
    b[t] = operand_bits(p.b, spec.w);
  }
}

// The register wrapper (rtl/gm_reg_wrapper.v): the synthesis top, clocked by clk_i.
constexpr const char* kWrapper = "gm_reg_wrapper";

const std::string& wrapper_verilog() {
  static const std::string text = read_file(data_file(std::string("rtl/") + kWrapper + ".v"));
  return text;
}

// A design that defines the wrapper's module itself (an ext design copies the user's file) would
// clash with it in Yosys.
void check_no_wrapper_clash(const Spec& spec, const std::string& rtl) {
  if (std::regex_search(rtl, std::regex(std::string(R"(\bmodule\s+)") + kWrapper + R"(\b)")))
    throw UserError(spec.name() + ": the design defines a module named " + kWrapper +
                    ", the name of greenmac's synthesis wrapper; rename that module");
}

// Checks the mapped netlist's products against the design's model: y_o in cycle t holds the product
// of the operands of cycle t-2 (input and output registers).
bool netlist_matches_model(const Spec& spec, const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
                           const GateSimResult& sim) {
  const auto it = sim.outputs.find("y_o");
  if (it == sim.outputs.end()) return false;
  const ModelFn model = spec.def().make_model(spec);
  const uint64_t mask = spec.out_width() >= 64 ? ~uint64_t{0} : (uint64_t{1} << spec.out_width()) - 1;
  for (size_t t = 2; t < a.size(); ++t) {
    const int64_t y = model(wrap(static_cast<int64_t>(a[t - 2]), spec.w, spec.is_signed),
                            wrap(static_cast<int64_t>(b[t - 2]), spec.w, spec.is_signed));
    if ((static_cast<uint64_t>(y) & mask) != it->second[t]) return false;
  }
  return true;
}

// The operand streams through the timed simulation, cycle by cycle, recording y_o as GateSim::run
// does (the value after the cycle's inputs have settled).
GateSimResult timed_run(TimedGateSim& sim, const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  const int pa = sim.port("a_i"), pb = sim.port("b_i"), py = sim.port("y_o");
  std::vector<uint64_t> y(a.size());
  for (size_t t = 0; t < a.size(); ++t) {
    sim.set_input(pa, a[t]);
    sim.set_input(pb, b[t]);
    sim.settle();
    const std::vector<uint8_t> bits = sim.output(py);
    for (size_t k = 0; k < bits.size() && k < 64; ++k) y[t] |= static_cast<uint64_t>(bits[k]) << k;
    sim.sample();
    sim.clock();
  }
  GateSimResult act = sim.activity();
  act.outputs["y_o"] = std::move(y);
  return act;
}

// What the cache stores per design (everything but the spec, which the key already fixes).
nlohmann::json cache_record(const SynthResult& r) {
  nlohmann::json j = figures_json(r);
  j["simulated_multiplier"] = power_json(r.simulated_multiplier);
  j["simulated_wrapper"] = power_json(r.simulated_wrapper);
  j["wrapper_flops"] = r.wrapper_flops;
  return j;
}

// Returns false when the record is missing fields or malformed (a truncated or edited entry).
bool from_cache_record(const std::string& text, SynthResult& r) {
  try {
    const auto j = nlohmann::json::parse(text);
    figures_from_json(j, r);
    r.simulated_multiplier = power_from_json(j.at("simulated_multiplier"));
    r.simulated_wrapper = power_from_json(j.at("simulated_wrapper"));
    r.wrapper_flops = j.at("wrapper_flops").get<int>();
    return r.area_um2 > 0 && r.vectorless.total_mw > 0 && r.simulated.total_mw > 0;
  } catch (const std::exception&) {
    return false;
  }
}

struct Flow {
  const LibInfo& lib;
  const SynthOptions& opt;
};

// Runs Yosys, the gate simulation and OpenSTA in `dir`; fills r.
void run_flow(const Flow& f, const ActivitySource& act_src, const Spec& spec, const std::string& rtl, const fs::path& dir,
              SynthResult& r) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string top = kWrapper;
  write_file_atomic(dir / "dut.v", rtl);
  write_file_atomic(dir / (top + ".v"), wrapper_verilog());
  std::string ys = replace_all(flow_script("map.ys"), "{TOP}", top);
  ys = replace_all(ys, "{DUT}", spec.name());
  ys = replace_all(ys, "{W}", std::to_string(spec.w));
  ys = replace_all(ys, "{LIB}", link_liberty(f.lib, dir));
  ys = replace_all(ys, "{BUF}", f.lib.insbuf_args());
  write_file_atomic(dir / "synth.ys", ys);
  const RunResult yosys = run_program({"yosys", "-q", "-l", "yosys.log", "-s", "synth.ys"}, {.cwd = dir, .timeout_s = 1800});
  if (!yosys.ok())
    throw std::runtime_error(spec.name() + ": Yosys failed" + (yosys.timed_out ? " (timed out after 1800 s)" : "") + ": " +
                             yosys.output.substr(0, 400));

  // Area from Yosys's stat; cells counted from the netlist.
  const std::string stat = read_file(dir / "stat.txt");
  std::smatch m;
  if (!std::regex_search(stat, m, std::regex(R"(Chip area for module '[^']*': ([0-9.eE+-]+))")))
    throw std::runtime_error(spec.name() + ": no chip area in Yosys's stat output");
  r.area_um2 = std::stod(m[1]);
  r.nand2_eq = r.area_um2 / f.lib.nand2_area;
  const auto netlist = nlohmann::json::parse(read_file(dir / "net.json"));
  for (const auto& [name, c] : netlist.at("modules").at(top).at("cells").items()) ++r.cells[c.at("type").get<std::string>()];

  // Switching activity from a gate-level simulation of the mapped netlist.
  std::vector<uint64_t> a, b;
  make_stream(act_src, spec, f.opt.cycles, f.opt.seed, a, b);
  GateSimResult act;
  if (f.opt.activity_model == "timed") {
    TimedGateSim sim(netlist, top, f.lib.lib, "clk_i", make_sdf(dir, top, f.opt.clock_ns, spec.name()));
    check_sdf_coverage(sim.missing_arcs(), spec.name());
    act = timed_run(sim, a, b);
  } else {
    act = GateSim(netlist, top, f.lib.lib, "clk_i").run({{"a_i", a}, {"b_i", b}}, true);
  }
  r.cycles = act.cycles;
  r.mean_activity = act.mean_net_activity;
  r.glitch_share = act.glitch_share;
  r.netlist_matches_model = netlist_matches_model(spec, a, b, act);
  write_file_atomic(dir / "activity.tcl", activity_tcl(act, "switching activity of the multiplier under its operand stream"));
  fs::remove(dir / "net.json");  // large, and rebuilt on demand

  write_file_atomic(dir / "sta.tcl", sta_script(flow_script("power.tcl"), top, f.opt.clock_ns));
  const RunResult sta_run =
      run_program({"sta", "-no_init", "-exit", "sta.tcl"}, {.cwd = dir, .log_file = dir / "sta.log", .timeout_s = 1800});
  fs::remove(dir / kLinkedLiberty);  // the entry must not depend on where the library lives
  const std::string& sta_log = sta_run.output;
  if (!sta_run.ok() || sta_log.find("GM_DONE") == std::string::npos || sta_log.find("Error") != std::string::npos)
    throw std::runtime_error(spec.name() + ": OpenSTA failed (log " + (dir / "sta.log").string() + ")");
  if (!std::regex_search(sta_log, m, std::regex(R"(GM_SLACK ([0-9.eE+-]+))")))
    throw std::runtime_error(spec.name() + ": OpenSTA printed no worst slack");
  r.slack_ns = std::stod(m[1]);
  r.delay_ns = std::max(0.0, f.opt.clock_ns - r.slack_ns);
  r.vectorless = parse_power(sta_log, "vectorless");
  r.simulated = parse_power(sta_log, "simulated");
  r.simulated_wrapper = parse_power_group(sta_log, "simulated", "Sequential");
  r.simulated_multiplier = parse_power_group(sta_log, "simulated", "Combinational");
  for (const auto& [type, n] : r.cells)
    if (const LibCell* c = f.lib.lib.cell(type); c && (c->has_ff || c->has_latch)) r.wrapper_flops += n;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Everything the record depends on: the design and its wrapper, the scripts, the library, every
// setting, Yosys and OpenSTA, and greenmac itself (gate simulator, Liberty reader, activity writer).
std::string cache_key(const Flow& f, const ActivitySource& act, const Spec& spec, const std::string& rtl) {
  CacheKey k;
  k.add("rtl", rtl).add("wrapper", wrapper_verilog()).add("module", spec.name()).add("w", std::to_string(spec.w));
  k.add("map.ys", flow_script("map.ys")).add("power.tcl", flow_script("power.tcl"));
  k.add("sta_head.tcl", flow_script("sta_head.tcl"));
  k.add("liberty", f.lib.text).add("clock_ns", fmt(f.opt.clock_ns, 17));
  k.add("activity", act.dist.entries.empty() ? "uniform" : "pairs").add("activity pairs", pairs_key_text(act.dist));
  if (!act.sequence.empty()) k.add("activity sequence", sequence_key_text(act.sequence));
  k.add("cycles", std::to_string(f.opt.cycles)).add("seed", std::to_string(f.opt.seed));
  k.add("activity model", f.opt.activity_model);
  if (f.opt.activity_model == "timed") k.add("sdf.tcl", flow_script("sdf.tcl"));
  return add_tool_versions(k, {"yosys", "sta"}).add_build_id().hex();
}

// Cached result or a fresh flow run, published atomically into the cache.
SynthResult synth_one(const Flow& f, const ActivitySource& act, const Spec& spec, SynthStats& st, std::mutex& mu) {
  SynthResult r;
  r.spec = spec;
  r.lib = f.lib.path.string();
  r.clock_ns = f.opt.clock_ns;
  r.activity = act.label;
  r.activity_order = act.sequence.empty() ? "random" : "in order";
  r.activity_model = f.opt.activity_model;
  const std::string rtl = rtl::generate_verilog(spec);
  check_no_wrapper_clash(spec, rtl);
  const CacheStore store("synth");
  const auto entry = store.get_or_make(
      cache_key(f, act, spec, rtl), [&](const fs::path& dir) { return from_cache_record(read_file(dir / "result.json"), r); },
      [&](const fs::path& dir) {
        r = SynthResult{};
        r.spec = spec;
        r.lib = f.lib.path.string();
        r.clock_ns = f.opt.clock_ns;
        r.activity = act.label;
        r.activity_order = act.sequence.empty() ? "random" : "in order";
        r.activity_model = f.opt.activity_model;
        run_flow(f, act, spec, rtl, dir, r);
        write_file_atomic(dir / "result.json", cache_record(r).dump(2));
      });
  r.cached = entry.cached;
  {
    std::lock_guard<std::mutex> lock(mu);
    ++(entry.cached ? st.cached : st.synthesized);
  }
  r.fmax_mhz = r.delay_ns > 0 ? 1000.0 / r.delay_ns : 0;
  r.cell_count = 0;
  for (const auto& [type, n] : r.cells) r.cell_count += n;
  if (!f.opt.keep_dir.empty()) {
    const fs::path out = f.opt.keep_dir / spec.name();
    ensure_output_dir(out);
    for (const char* file : {"dut.v", "gm_reg_wrapper.v", "synth.ys", "yosys.log", "stat.txt", "net.v", "sdf.tcl", "net.sdf", "activity.tcl",
                             "sta.tcl", "sta.log", "result.json"})
      if (fs::exists(entry.dir / file)) write_file_atomic(out / file, read_file(entry.dir / file));
  }
  return r;
}

}  // namespace

fs::path resolve_liberty(const std::string& lib) {
  if (builtin_or_path({"--lib", {"osu018"}, ".lib", "liberty file"}, lib)) {
    if (!fs::is_regular_file(kOsu018Lib))
      throw UserError(std::string("the osu018 library (") + kOsu018Lib +
                      ") is not installed; install it with `apt-get install qflow-tech-osu018`");
    return kOsu018Lib;
  }
  return lib;
}

std::vector<SynthResult> synth_designs(const std::vector<Spec>& specs, const SynthOptions& opt, SynthStats* stats) {
  std::vector<SynthDesign> designs;
  for (const auto& s : specs) designs.push_back({s, nullptr, ""});
  return synth_designs(designs, opt, stats);
}

std::vector<SynthResult> synth_designs(const std::vector<SynthDesign>& designs, const SynthOptions& opt,
                                       SynthStats* stats) {
  // Everything the user can get wrong is checked before any work starts.
  if (!have_tool("yosys")) throw UserError("yosys is not installed (not on PATH); install it with `apt-get install yosys`");
  if (!have_tool("sta"))
    throw UserError("OpenSTA (`sta`) is not installed (not on PATH); install it with `apt-get install opensta`");
  if (!(opt.clock_ns > 0) || !std::isfinite(opt.clock_ns)) throw UserError("--clock-ns must be a positive number of ns");
  if (opt.jobs < 1) throw UserError("-j must be at least 1");
  check_activity_model(opt.activity_model);
  const LibInfo lib = load_library(opt.lib);
  bool all_own = !designs.empty();
  for (const auto& d : designs) all_own = all_own && (d.activity || d.sequence);
  // The shared --activity file is read only when some design uses it.
  const ActivitySource common = all_own ? ActivitySource{"uniform", {}} : load_activity(opt.activity);
  std::vector<ActivitySource> own(designs.size());
  for (size_t k = 0; k < designs.size(); ++k)
    if (designs[k].activity || designs[k].sequence) {
      own[k].label = designs[k].activity_label;
      if (designs[k].sequence) own[k].sequence = *designs[k].sequence;
      else own[k].dist = *designs[k].activity;
    }
  auto act_of = [&](size_t k) -> const ActivitySource& {
    return designs[k].activity || designs[k].sequence ? own[k] : common;
  };
  for (size_t k = 0; k < designs.size(); ++k) check_pairs_fit(act_of(k), designs[k].spec);
  for (const auto& d : designs)
    if (!rtl::find_generator(d.spec.family)) throw UserError("family '" + d.spec.family + "' has no RTL generator");
  if (!opt.keep_dir.empty()) ensure_output_dir(opt.keep_dir);

  const Flow flow{lib, opt};
  std::vector<SynthResult> results(designs.size());
  std::vector<std::exception_ptr> errors(designs.size());
  SynthStats st;
  std::mutex mu;
  std::atomic<size_t> next{0};
  progress_stage(opt.progress, "synth", designs.size());
  auto worker = [&] {
    for (size_t k; (k = next++) < designs.size();) {
      const std::string name = designs[k].spec.name();
      progress_begin(opt.progress, name);
      try {
        results[k] = synth_one(flow, act_of(k), designs[k].spec, st, mu);
      } catch (...) {
        errors[k] = std::current_exception();
      }
      progress_end(opt.progress, name);
    }
  };
  std::vector<std::thread> pool;
  const int n = std::min<int>(opt.jobs, static_cast<int>(designs.size()));
  for (int k = 0; k < n; ++k) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  if (stats) *stats = st;
  return results;
}

nlohmann::json synth_result_json(const SynthResult& r) {
  return {{"spec", r.spec.canonical()},
          {"name", r.spec.name()},
          {"lib", r.lib},
          {"clock_ns", r.clock_ns},
          {"area_um2", r.area_um2},
          {"cells", r.cells},
          {"cell_count", r.cell_count},
          {"nand2_eq", r.nand2_eq},
          {"delay_ns", r.delay_ns},
          {"fmax_mhz", r.fmax_mhz},
          {"slack_ns", r.slack_ns},
          {"activity", r.activity},
          {"activity_order", r.activity_order},
          {"activity_cycles", r.cycles},
          {"mean_activity", r.mean_activity},
          {"activity_model", r.activity_model},
          {"glitch_share", r.glitch_share},
          {"power_mw", r.simulated.total_mw},
          {"power_dyn_mw", r.simulated.dynamic_mw()},
          {"power_internal_mw", r.simulated.internal_mw},
          {"power_switching_mw", r.simulated.switching_mw},
          {"power_leak_mw", r.simulated.leakage_mw},
          {"energy_pj", r.energy_pj()},
          {"power_multiplier_mw", r.simulated_multiplier.total_mw},
          {"power_wrapper_mw", r.simulated_wrapper.total_mw},
          {"energy_multiplier_pj", r.energy_multiplier_pj()},
          {"energy_wrapper_pj", r.energy_wrapper_pj()},
          {"wrapper_flops", r.wrapper_flops},
          {"power_vectorless_mw", r.vectorless.total_mw},
          {"power_vectorless_dyn_mw", r.vectorless.dynamic_mw()},
          {"power_vectorless_leak_mw", r.vectorless.leakage_mw},
          {"energy_vectorless_pj", r.energy_vectorless_pj()},
          {"netlist_matches_model", r.netlist_matches_model},
          {"cached", r.cached}};
}

std::string synth_csv(const std::vector<SynthResult>& results) {
  std::ostringstream os;
  os << "spec,name,area_um2,cell_count,nand2_eq,delay_ns,fmax_mhz,slack_ns,power_mw,power_dyn_mw,power_leak_mw,"
        "energy_pj,power_vectorless_mw,power_vectorless_dyn_mw,power_vectorless_leak_mw,energy_vectorless_pj,"
        "activity,mean_activity,clock_ns,netlist_matches_model,cached,power_multiplier_mw,power_wrapper_mw,"
        "energy_multiplier_pj,energy_wrapper_pj,activity_order,activity_model,glitch_share\n";
  for (const auto& r : results)
    os << '"' << r.spec.canonical() << "\"," << r.spec.name() << "," << fmt(r.area_um2) << "," << r.cell_count << ","
       << fmt(r.nand2_eq) << "," << fmt(r.delay_ns) << "," << fmt(r.fmax_mhz) << "," << fmt(r.slack_ns) << ","
       << fmt(r.simulated.total_mw) << "," << fmt(r.simulated.dynamic_mw()) << "," << fmt(r.simulated.leakage_mw)
       << "," << fmt(r.energy_pj()) << "," << fmt(r.vectorless.total_mw) << "," << fmt(r.vectorless.dynamic_mw())
       << "," << fmt(r.vectorless.leakage_mw) << "," << fmt(r.energy_vectorless_pj()) << ",\"" << r.activity << "\","
       << fmt(r.mean_activity) << "," << fmt(r.clock_ns) << "," << (r.netlist_matches_model ? 1 : 0) << ","
       << (r.cached ? 1 : 0) << "," << fmt(r.simulated_multiplier.total_mw) << "," << fmt(r.simulated_wrapper.total_mw)
       << "," << fmt(r.energy_multiplier_pj()) << "," << fmt(r.energy_wrapper_pj()) << "," << r.activity_order << ","
       << r.activity_model << "," << fmt(r.glitch_share) << "\n";
  return os.str();
}

std::string synth_table(const std::vector<SynthResult>& results) {
  std::ostringstream os;
  size_t wname = 4;
  for (const auto& r : results) wname = std::max(wname, r.spec.name().size());
  os << std::left << std::setw(static_cast<int>(wname)) << "name" << std::right << std::setw(10) << "area_um2"
     << std::setw(7) << "cells" << std::setw(8) << "nand2" << std::setw(9) << "delay_ns" << std::setw(9) << "fmax_MHz"
     << std::setw(10) << "P_vl_mW" << std::setw(10) << "P_sim_mW" << std::setw(10) << "dyn_mW" << std::setw(10)
     << "leak_uW" << std::setw(9) << "E_pJ" << std::setw(9) << "E_mul_pJ" << std::setw(8) << "glitch" << "\n";
  os << std::fixed;
  for (const auto& r : results) {
    os << std::left << std::setw(static_cast<int>(wname)) << r.spec.name() << std::right << std::setprecision(0)
       << std::setw(10) << r.area_um2 << std::setw(7) << r.cell_count << std::setprecision(1) << std::setw(8)
       << r.nand2_eq << std::setprecision(3) << std::setw(9) << r.delay_ns << std::setprecision(1) << std::setw(9)
       << r.fmax_mhz << std::setprecision(4) << std::setw(10) << r.vectorless.total_mw << std::setw(10)
       << r.simulated.total_mw << std::setw(10) << r.simulated.dynamic_mw() << std::setprecision(3) << std::setw(10)
       << r.simulated.leakage_mw * 1e3 << std::setprecision(3) << std::setw(9) << r.energy_pj()
       << std::setw(9) << r.energy_multiplier_pj() << std::setprecision(3) << std::setw(8) << r.glitch_share
       << (r.netlist_matches_model ? "" : "  (netlist != model!)") << "\n";
  }
  if (!results.empty())
    os << "clock " << std::setprecision(3) << results.front().clock_ns << " ns; P_vl: vectorless (inputs at 0.5 "
       << "transitions/cycle), P_sim: simulated activity (" << results.front().activity << ", "
       << (results.front().activity_model == "timed" ? "timed with SDF delays, glitches counted"
                                                     : "zero-delay, no glitches")
       << "); E = P_sim x clock period, E_mul = the multiplier's own cells (no wrapper flops); glitch: share of the "
       << "simulated transitions that are glitches\n";
  return os.str();
}

}  // namespace gm
