#include "tb/verify.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "models/progress.hpp"
#include "models/cache/cache_store.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/stopwatch.hpp"
#include "tb/process.hpp"
#include "generator/registry.hpp"
#include "generator/sim_top.hpp"
#include "models/families/ext.hpp"
#include "tb/harness_build.hpp"
#include "tb/tool_log.hpp"
#include "models/pairs.hpp"
#include "models/install_layout.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

using Clock = std::chrono::steady_clock;

void require_tool(const std::string& tool, const std::string& package, const std::string& alternative) {
  if (!have_tool(tool))
    throw UserError(tool + " is not installed (not on PATH); install it with `apt-get install " + package + "`" +
                    alternative);
}

void require_simulator(const std::string& sim) {
  if (sim == "verilator") {
    require_tool("verilator", "verilator", ", or use --sim icarus");
  } else if (sim == "icarus") {
    require_tool("iverilog", "iverilog", ", or use --sim verilator");
    require_tool("vvp", "iverilog", "");
  } else {
    throw UserError("unknown simulator '" + sim + "'; use --sim verilator or --sim icarus");
  }
}

// The user's files among a simulator's inputs (none when the RTL is generated): an error the tool
// reports in one of them is the user's to fix.
std::vector<UserSource> user_sources(const std::vector<Spec>& specs, const VerifyOptions& opt) {
  std::vector<UserSource> out;
  if (opt.rtl_dir.empty()) return out;
  for (const auto& s : specs) out.push_back({s.name() + ".v", opt.rtl_dir / (s.name() + ".v")});
  return out;
}

struct Group {
  std::vector<Spec> specs;
  std::vector<std::string> modules, texts;  // module name and RTL of each design
  std::vector<size_t> index;                // position of each design in the caller's list
};

std::string config_text(const Group& g, uint64_t random_pairs, uint64_t seed) {
  std::ostringstream os;
  if (random_pairs)
    os << "pairs random " << random_pairs << " " << seed << "\n";
  else
    os << "pairs exhaustive\n";
  // The harness finds external designs' truth tables under greenmac's key (models/families/ext.hpp).
  for (const auto& s : g.specs)
    if (s.family == "ext") {
      os << "ext-salt " << external_table_salt() << "\n";
      break;
    }
  for (size_t k = 0; k < g.specs.size(); ++k) os << "design " << k << " " << g.specs[k].canonical() << "\n";
  return os.str();
}

// The Verilator harness of a group: gm_vtop and the designs on tb/harness/verify_main.cpp.
HarnessBuild harness_build(const Group& g, const VerifyOptions& opt) {
  HarnessBuild b{.kind = "verilator", .what = "verify harness", .main_cpp = "tb/harness/verify_main.cpp",
                 .top = kSimTop, .binary = "gm_vsim", .link_models = true, .user_sources = user_sources(g.specs, opt)};
  b.files.push_back({std::string(kSimTop) + ".v", sim_top_verilog(g.specs, g.modules)});
  b.files.push_back({std::string(kSimSlot) + ".v", read_file(data_file(kSimSlotFile))});
  for (size_t k = 0; k < g.specs.size(); ++k) b.files.push_back({g.modules[k] + ".v", g.texts[k]});
  return b;
}

// Builds the Verilator harness for a group and publishes it in the cache; returns its entry.
fs::path build_harness(const HarnessBuild& b, const std::string& key, VerifyStats& st) {
  const auto t0 = Clock::now();
  ++st.builds;
  const fs::path entry = b.build(key);
  st.build_seconds += seconds_since(t0);
  return entry;
}

// Runs the harness; returns false (with the reason in `why`) unless it printed one well-formed
// result per design, each over the whole pair stream.
bool run_harness(const fs::path& binary, const Group& g, const VerifyOptions& opt, uint64_t random_pairs,
                 VerifyStats& st, std::vector<VerifyResult>& out, std::string& why) {
  ScratchDir run("gm-verify");
  write_file_atomic(run / "config.txt", config_text(g, random_pairs, opt.seed));
  const auto t0 = Clock::now();
  const RunResult r = run_program({binary.string(), (run / "config.txt").string()}, {.cwd = run.path()});
  st.sim_seconds += seconds_since(t0);
  if (!r.ok()) {
    why = "exit " + std::to_string(r.exit_code) + ": " + r.output.substr(0, 600);
    return false;
  }
  const uint64_t total = PairStream(g.specs.front().w, random_pairs, opt.seed).total();
  std::vector<bool> seen(g.specs.size(), false);
  try {
    std::istringstream lines(r.output);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.empty() || line[0] != '{') continue;
      const auto j = nlohmann::json::parse(line);
      const size_t slot = j.at("slot").get<size_t>();
      if (slot >= g.specs.size() || seen[slot]) throw std::runtime_error("unexpected slot " + std::to_string(slot));
      if (j.at("pairs").get<uint64_t>() != total)
        throw std::runtime_error("slot " + std::to_string(slot) + " reports " + j.at("pairs").dump() + " pairs, not " +
                                 std::to_string(total));
      seen[slot] = true;
      VerifyResult& v = out[g.index[slot]];
      v.pairs = total;
      v.mismatches = j.at("mismatches").get<uint64_t>();
      if (v.mismatches) {
        v.a = j.at("a"), v.b = j.at("b"), v.expected = j.at("expected"), v.got = j.at("got");
      }
    }
  } catch (const std::exception& e) {
    why = std::string("malformed output (") + e.what() + "): " + r.output.substr(0, 600);
    return false;
  }
  for (size_t k = 0; k < seen.size(); ++k)
    if (!seen[k]) {
      why = "no result for " + g.specs[k].name() + ": " + r.output.substr(0, 600);
      return false;
    }
  return true;
}

// A cached harness that does not run properly is rebuilt once before any design is blamed; a
// freshly built one that fails is an error, never a verdict.
void run_verilator(const Group& g, const VerifyOptions& opt, uint64_t random_pairs, VerifyStats& st,
                   std::vector<VerifyResult>& out) {
  const HarnessBuild b = harness_build(g, opt);
  const CacheStore store = b.store();
  const std::string key = b.key();
  const auto entry = store.get(key);
  bool cached = entry.has_value();
  if (cached) ++st.cached_builds;
  fs::path dir = cached ? *entry : build_harness(b, key, st);
  std::string why;
  const bool ran = run_rebuilding_once(
      store, key, dir, cached,
      [&] {
        ++st.rebuilt_harnesses;
        return build_harness(b, key, st);
      },
      [&](const fs::path& d, std::string& reason) { return run_harness(d / b.binary, g, opt, random_pairs, st, out, reason); },
      why);
  if (!ran) {
    store.remove(key);
    throw std::runtime_error("the Verilator harness failed to run after a fresh build (" + why + ")");
  }
  for (size_t k = 0; k < g.specs.size(); ++k) st.pair_evals += out[g.index[k]].pairs;
}

// The Icarus test bench (rtl/gm_verify_itb.v) reads the pairs from pairs.hex and writes gm_vtop's
// output for each to out.hex.
constexpr const char* kIcarusBench = "gm_verify_itb";

constexpr uint64_t kUnknown = ~0ull;  // an output word with x or z bits

// Simulates the designs (one width) in Icarus on the first n pairs of the stream. Returns the raw
// output words, outputs[design][pair], and the pairs themselves as bit patterns.
struct IcarusRun {
  std::vector<uint64_t> pa, pb;
  std::vector<std::vector<uint64_t>> outputs;
};

IcarusRun icarus_simulate(const std::vector<Spec>& specs, const std::vector<std::string>& modules,
                          const std::vector<std::string>& texts, PairStream& stream, uint64_t n, VerifyStats& st,
                          const std::vector<UserSource>& user = {}) {
  const int w = specs.front().w;
  const ScratchDir dir("gm-icarus");
  const std::string bench = kIcarusBench;
  std::vector<std::string> compile = {"iverilog", "-g2005", "-o", "sim.vvp",
                                      "-P" + bench + ".Width=" + std::to_string(w),
                                      "-P" + bench + ".Slots=" + std::to_string(sim_slots(specs.size())),
                                      "-P" + bench + ".NumPairs=" + std::to_string(n),
                                      "-s", bench, bench + ".v", "gm_vtop.v", std::string(kSimSlot) + ".v"};
  write_file_atomic(dir / (bench + ".v"), read_file(data_file(std::string("rtl/") + bench + ".v")));
  write_file_atomic(dir / (std::string(kSimSlot) + ".v"), read_file(data_file(kSimSlotFile)));
  write_file_atomic(dir / "gm_vtop.v", sim_top_verilog(specs, modules));
  for (size_t d = 0; d < specs.size(); ++d) {
    write_file_atomic(dir / (modules[d] + ".v"), texts[d]);
    compile.push_back(modules[d] + ".v");
  }
  IcarusRun run;
  run.pa.resize(n);
  run.pb.resize(n);
  {
    std::ostringstream hex;
    hex << std::hex;
    for (uint64_t k = 0; k < n; ++k) {
      stream.pair(k, run.pa[k], run.pb[k]);
      hex << ((run.pa[k] << w) | run.pb[k]) << "\n";
    }
    write_file_atomic(dir / "pairs.hex", hex.str());
  }
  auto t0 = Clock::now();
  RunResult res = run_program(compile, {.cwd = dir.path()});
  st.build_seconds += seconds_since(t0);
  ++st.builds;
  if (!res.ok()) {
    if (const auto user_error = first_user_source_error(res.output, user, "iverilog")) throw UserError(*user_error);
    throw std::runtime_error("Icarus compile failed: " + res.output.substr(0, 600));
  }
  t0 = Clock::now();
  res = run_program({"vvp", "-n", "sim.vvp"}, {.cwd = dir.path()});
  if (!res.ok()) throw std::runtime_error("Icarus simulation failed: " + res.output.substr(0, 600));
  std::ifstream results(dir / "out.hex");
  run.outputs.assign(specs.size(), std::vector<uint64_t>(n));
  std::string line;
  uint64_t k = 0;
  for (; k < n && std::getline(results, line); ++k)
    for (size_t d = 0; d < specs.size(); ++d) {
      // Slot d is the d-th 32-bit word from the right: 8 hex digits each.
      const std::string word = line.substr(line.size() - 8 * (d + 1), 8);
      run.outputs[d][k] = word.find_first_of("xzXZ") == std::string::npos ? std::stoull(word, nullptr, 16) : kUnknown;
    }
  st.sim_seconds += seconds_since(t0);
  if (k != n) throw std::runtime_error("Icarus wrote " + std::to_string(k) + " of " + std::to_string(n) + " results");
  return run;
}

void run_icarus(const Group& g, const VerifyOptions& opt, uint64_t random_pairs, VerifyStats& st,
                std::vector<VerifyResult>& out) {
  const int w = g.specs.front().w;
  PairStream stream(w, random_pairs, opt.seed);
  uint64_t n = stream.total();
  if (opt.pair_limit && n > opt.pair_limit) n = opt.pair_limit;
  const IcarusRun run = icarus_simulate(g.specs, g.modules, g.texts, stream, n, st, user_sources(g.specs, opt));
  const auto t0 = Clock::now();
  for (size_t d = 0; d < g.specs.size(); ++d) {
    const Spec& s = g.specs[d];
    const ModelFn model = s.def().make_model(s);
    VerifyResult& r = out[g.index[d]];
    r.pairs = n;
    for (uint64_t k = 0; k < n; ++k) {
      const uint64_t word = run.outputs[d][k];
      const int64_t got = word == kUnknown ? INT64_MIN : wrap(static_cast<int64_t>(word), s.out_width(), s.is_signed);
      const int64_t a = wrap(static_cast<int64_t>(run.pa[k]), w, s.is_signed);
      const int64_t b = wrap(static_cast<int64_t>(run.pb[k]), w, s.is_signed);
      const int64_t expected = model(a, b);
      if (got != expected && r.mismatches++ == 0) {
        r.a = a;
        r.b = b;
        r.expected = expected;
        r.got = got;
      }
    }
    st.pair_evals += n;
  }
  st.sim_seconds += seconds_since(t0);
}

}  // namespace

std::string design_text(const Spec& spec, const VerifyOptions& opt) {
  if (opt.rtl_dir.empty()) return rtl::generate_verilog(spec);
  return read_file(opt.rtl_dir / (spec.name() + ".v"));
}

std::vector<int64_t> simulate_truth_table(const Spec& spec, const std::string& verilog) {
  if (!have_tool("iverilog") || !have_tool("vvp"))
    throw UserError("iverilog is not installed (not on PATH); install it with `apt-get install iverilog`");
  PairStream stream(spec.w, 0, 0);
  VerifyStats st;
  const IcarusRun run = icarus_simulate({spec}, {spec.name()}, {verilog}, stream, stream.total(), st);
  std::vector<int64_t> table(stream.total());
  for (uint64_t k = 0; k < table.size(); ++k) {
    if (run.outputs[0][k] == kUnknown)
      throw UserError(spec.name() + ": the design's output is x or z for a=" + std::to_string(run.pa[k]) +
                      " b=" + std::to_string(run.pb[k]) + "; every output bit must be driven");
    table[k] = wrap(static_cast<int64_t>(run.outputs[0][k]), spec.out_width(), spec.is_signed);
  }
  return table;
}

std::vector<VerifyResult> verify_designs(const std::vector<Spec>& specs, const VerifyOptions& opt,
                                         VerifyStats* stats) {
  require_simulator(opt.sim);
  if (!opt.rtl_dir.empty())
    for (const auto& s : specs) read_file(opt.rtl_dir / (s.name() + ".v"));  // fail before any work
  std::vector<RtlDesign> designs;
  for (const auto& s : specs) designs.push_back({s, s.name(), design_text(s, opt)});
  return verify_rtl(designs, opt, stats);
}

std::vector<VerifyResult> verify_rtl(const std::vector<RtlDesign>& designs, const VerifyOptions& opt,
                                     VerifyStats* stats) {
  require_simulator(opt.sim);

  // Build every model once here: an external design's model is its simulated truth table, which
  // must be in the cache before the harness (which cannot simulate) reads it.
  for (const auto& d : designs) d.spec.def().make_model(d.spec);

  std::vector<VerifyResult> out(designs.size());
  std::map<int, Group> groups;
  for (size_t i = 0; i < designs.size(); ++i) {
    const Spec& s = designs[i].spec;
    out[i].spec = s;
    out[i].sim = opt.sim;
    Group& g = groups[s.w];
    g.specs.push_back(s);
    g.modules.push_back(designs[i].module);
    g.texts.push_back(designs[i].text);
    g.index.push_back(i);
  }
  VerifyStats local;
  VerifyStats& st = stats ? *stats : local;
  progress_stage(opt.progress, "verify", designs.size());
  for (const auto& [w, g] : groups) {
    // One simulation holds every design of the width: they finish together.
    const std::string step = std::to_string(g.specs.size()) + " design" + (g.specs.size() == 1 ? "" : "s") +
                             " of width " + std::to_string(w) + " on " + opt.sim;
    progress_begin(opt.progress, step);
    const uint64_t random_pairs = w > kMaxExhaustiveWidth ? opt.random_pairs : 0;
    for (size_t k = 0; k < g.specs.size(); ++k) out[g.index[k]].exhaustive = random_pairs == 0 && !opt.pair_limit;
    if (opt.sim == "verilator")
      run_verilator(g, opt, random_pairs, st, out);
    else
      run_icarus(g, opt, random_pairs, st, out);
    progress_end(opt.progress, step, g.specs.size());
  }
  return out;
}

}  // namespace gm
