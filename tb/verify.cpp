#include "tb/verify.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "models/cache/cache_key.hpp"
#include "tb/tool_version.hpp"
#include "models/cache/cache_store.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "tb/process.hpp"
#include "generator/registry.hpp"
#include "generator/sim_top.hpp"
#include "models/families/ext.hpp"
#include "tb/tool_log.hpp"
#include "models/pairs.hpp"
#include "models/install_layout.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

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

// The RTL of one design: generated now, or read from the user's directory.
std::string design_text(const Spec& spec, const VerifyOptions& opt) {
  if (opt.rtl_dir.empty()) return rtl::generate_verilog(spec);
  return read_file(opt.rtl_dir / (spec.name() + ".v"));
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

void write_sources(const fs::path& dir, const Group& g, std::vector<fs::path>& files) {
  write_file_atomic(dir / "gm_vtop.v", sim_top_verilog(g.specs, g.modules));
  files.push_back(dir / "gm_vtop.v");
  for (size_t k = 0; k < g.specs.size(); ++k) {
    const fs::path p = dir / (g.modules[k] + ".v");
    write_file_atomic(p, g.texts[k]);
    files.push_back(p);
  }
}

// The Verilator command that builds a group's harness in `dir` (sources already written there).
std::vector<std::string> harness_build_argv(const std::vector<std::string>& sources) {
  std::vector<std::string> argv = {"verilator", "--cc", "--exe", "--build", "-j", "2", "-O3", "--x-assign", "fast",
                                   "--x-initial", "fast", "--noassert", "-Wno-fatal", "-Wno-lint", "-Wno-style",
                                   "--top-module", kSimTop, "-Mdir", "obj", "-o", "gm_vsim"};
  argv.insert(argv.end(), sources.begin(), sources.end());
  argv.push_back(data_file("tb/harness/verify_main.cpp").string());
  // Verilator writes each -CFLAGS/-LDFLAGS/-MAKEFLAGS word into its makefile or make command line,
  // so every word is its own argument; the source directory and library are greenmac's own paths.
  for (const std::string flag : {std::string("-std=c++20"), "-I" + data_dir().string()}) argv.insert(argv.end(), {"-CFLAGS", flag});
  for (const std::string flag : {"OPT_FAST=-O1", "OPT_SLOW=-O0", "OPT_GLOBAL=-O1"})
    argv.insert(argv.end(), {"-MAKEFLAGS", flag});
  // The models library is linked whole (the families register themselves); it needs zlib (the IDX
  // reader) and OpenSSL's libcrypto (cache keys).
  for (const std::string flag : {std::string("-Wl,--whole-archive"), models_library().string(), std::string("-Wl,--no-whole-archive"), std::string("-lz"), std::string("-lcrypto")})
    argv.insert(argv.end(), {"-LDFLAGS", flag});
  return argv;
}

std::vector<std::string> source_names(const Group& g) {
  std::vector<std::string> names = {"gm_vtop.v"};
  for (const auto& m : g.modules) names.push_back(m + ".v");
  return names;
}

// Everything the harness binary is made of: the designs, the top, the C++ harness and the headers
// it includes, the models library it links, the build command, Verilator, the compiler, greenmac.
std::string harness_key(const Group& g) {
  CacheKey k;
  k.add("top", sim_top_verilog(g.specs, g.modules));
  for (size_t i = 0; i < g.modules.size(); ++i) k.add("design " + g.modules[i], g.texts[i]);
  k.add_file("verify_main.cpp", data_file("tb/harness/verify_main.cpp"));
  for (const auto& e : fs::recursive_directory_iterator(data_dir() / "models"))
    if (e.path().extension() == ".hpp")
      k.add_file(fs::relative(e.path(), data_dir()).string(), e.path());
  k.add_file("models library", models_library());
  std::string cmd;
  for (const auto& a : harness_build_argv(source_names(g))) cmd += a + "\n";
  k.add("command", cmd);
  return add_tool_versions(k, {"verilator", "c++", "make"}).add_build_id().hex();
}

// Builds the Verilator harness for a group and publishes it in the cache; returns the binary.
fs::path build_harness(const Group& g, const VerifyOptions& opt, const CacheStore& store, const std::string& key,
                       VerifyStats& st) {
  ScratchDir work("build", store.root());
  std::vector<fs::path> files;
  write_sources(work.path(), g, files);
  const auto t0 = Clock::now();
  const RunResult r = run_program(harness_build_argv(source_names(g)), {.cwd = work.path()});
  st.build_seconds += seconds_since(t0);
  ++st.builds;
  if (!r.ok()) {
    // A syntax error in the user's own file is theirs: one line naming it; the ScratchDir goes away.
    if (const auto user_error = first_user_source_error(r.output, user_sources(g.specs, opt), "verilator"))
      throw UserError(*user_error);
    const fs::path log = store.root() / ("build-failed-" + key.substr(0, 16) + ".log");
    write_file_atomic(log, r.output);
    throw std::runtime_error("Verilator build failed (log: " + log.string() + "): " + r.output.substr(0, 600));
  }
  std::error_code ec;
  fs::rename(work / "obj" / "gm_vsim", work / "gm_vsim", ec);
  fs::remove_all(work / "obj", ec);
  return store.put(key, work) / "gm_vsim";
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
  const CacheStore store("verilator");
  const std::string key = harness_key(g);
  std::string why;
  if (const auto entry = store.get(key)) {
    ++st.cached_builds;
    if (run_harness(*entry / "gm_vsim", g, opt, random_pairs, st, out, why)) {
      for (size_t k = 0; k < g.specs.size(); ++k) st.pair_evals += out[g.index[k]].pairs;
      return;
    }
    store.remove(key);
    ++st.rebuilt_harnesses;
  }
  const fs::path binary = build_harness(g, opt, store, key, st);
  if (!run_harness(binary, g, opt, random_pairs, st, out, why)) {
    store.remove(key);
    throw std::runtime_error("the Verilator harness failed to run after a fresh build (" + why + ")");
  }
  for (size_t k = 0; k < g.specs.size(); ++k) st.pair_evals += out[g.index[k]].pairs;
}

// The Icarus test bench reads the pairs from a hex file and writes gm_vtop's output for each.
std::string icarus_bench(int w, int slots, uint64_t n) {
  std::ostringstream os;
  os << "`timescale 1ns/1ps\nmodule gm_itb;\n";
  os << "  reg [" << 2 * w - 1 << ":0] pairs [0:" << n - 1 << "];\n";
  os << "  reg [" << w - 1 << ":0] a;\n  reg [" << w - 1 << ":0] b;\n";
  os << "  wire [" << slots * kSlotBits - 1 << ":0] y;\n  integer k, fd;\n";
  os << "  " << kSimTop << " dut (.a_i(a), .b_i(b), .y_o(y));\n";
  os << "  initial begin\n    $readmemh(\"pairs.hex\", pairs);\n    fd = $fopen(\"out.hex\", \"w\");\n";
  os << "    for (k = 0; k < " << n << "; k = k + 1) begin\n";
  os << "      {a, b} = pairs[k];\n      #1;\n      $fwrite(fd, \"%h\\n\", y);\n    end\n";
  os << "    $fclose(fd);\n    $finish;\n  end\nendmodule\n";
  return os.str();
}

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
  std::vector<std::string> compile = {"iverilog", "-g2005", "-o", "sim.vvp", "gm_itb.v", "gm_vtop.v"};
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
  write_file_atomic(dir / "gm_itb.v", icarus_bench(w, sim_slots(specs.size()), n));
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
  for (const auto& [w, g] : groups) {
    const uint64_t random_pairs = w > kMaxExhaustiveWidth ? opt.random_pairs : 0;
    for (size_t k = 0; k < g.specs.size(); ++k) out[g.index[k]].exhaustive = random_pairs == 0 && !opt.pair_limit;
    if (opt.sim == "verilator")
      run_verilator(g, opt, random_pairs, st, out);
    else
      run_icarus(g, opt, random_pairs, st, out);
  }
  return out;
}

}  // namespace gm
