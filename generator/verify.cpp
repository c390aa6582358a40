#include "generator/verify.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "generator/command.hpp"
#include "generator/fsutil.hpp"
#include "generator/registry.hpp"
#include "generator/sim_top.hpp"
#include "models/pairs.hpp"

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

// Builds (or reuses) the Verilator harness for a group; returns the binary.
fs::path verilator_harness(const Group& g, VerifyStats& st) {
  std::string key = read_file(fs::path(GM_SOURCE_DIR) / "tb" / "verify_main.cpp");
  key += read_file(GM_MODELS_LIB);
  key += sim_top_verilog(g.specs, g.modules);
  for (const auto& t : g.texts) key += t;
  const fs::path final_dir = cache_dir() / "verilator" / hex64(fnv1a(key));
  const fs::path binary = final_dir / "gm_vsim";
  if (fs::exists(binary)) {
    ++st.cached_builds;
    return binary;
  }
  std::error_code ec;
  fs::create_directories(final_dir.parent_path(), ec);
  const fs::path work = make_temp_dir((final_dir.parent_path() / "build").string());
  std::vector<fs::path> files;
  write_sources(work, g, files);
  std::ostringstream cmd;
  cmd << "cd " << work << " && verilator --cc --exe --build -j 2 -O3 --x-assign fast --x-initial fast"
      << " --noassert -Wno-fatal -Wno-lint -Wno-style --top-module " << kSimTop << " -Mdir obj -o gm_vsim";
  for (const auto& f : files) cmd << " " << f.filename();
  cmd << " " << (fs::path(GM_SOURCE_DIR) / "tb" / "verify_main.cpp");
  cmd << " -CFLAGS '-std=c++20 -I" << GM_SOURCE_DIR << "'";
  cmd << " -MAKEFLAGS 'OPT_FAST=-O1 OPT_SLOW=-O0 OPT_GLOBAL=-O1'";
  cmd << " -LDFLAGS '-Wl,--whole-archive " << GM_MODELS_LIB << " -Wl,--no-whole-archive'";
  const auto t0 = Clock::now();
  std::string log;
  const int rc = run_command(cmd.str(), &log);
  st.build_seconds += seconds_since(t0);
  ++st.builds;
  if (rc != 0) {
    write_file_atomic(work / "build.log", log);
    throw std::runtime_error("Verilator build failed (log: " + (work / "build.log").string() + "): " +
                             log.substr(0, 600));
  }
  fs::rename(work / "obj" / "gm_vsim", work / "gm_vsim", ec);
  fs::remove_all(work / "obj", ec);
  // Publish atomically; if a concurrent run published first, use theirs.
  fs::rename(work, final_dir, ec);
  if (ec) fs::remove_all(work, ec);
  return binary;
}

void run_verilator(const Group& g, const VerifyOptions& opt, uint64_t random_pairs, VerifyStats& st,
                   std::vector<VerifyResult>& out) {
  const fs::path binary = verilator_harness(g, st);
  const fs::path run = make_temp_dir("gm-verify");
  write_file_atomic(run / "config.txt", config_text(g, random_pairs, opt.seed));
  const auto t0 = Clock::now();
  std::string log;
  const int rc = run_command(binary.string() + " " + (run / "config.txt").string(), &log);
  st.sim_seconds += seconds_since(t0);
  std::error_code ec;
  fs::remove_all(run, ec);
  if (rc != 0) throw std::runtime_error("Verilator harness failed: " + log.substr(0, 600));
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '{') continue;
    const auto j = nlohmann::json::parse(line);
    VerifyResult& r = out[g.index[j["slot"].get<size_t>()]];
    r.pairs = j["pairs"];
    r.mismatches = j["mismatches"];
    if (r.mismatches) {
      r.a = j["a"];
      r.b = j["b"];
      r.expected = j["expected"];
      r.got = j["got"];
    }
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
                          const std::vector<std::string>& texts, PairStream& stream, uint64_t n, VerifyStats& st) {
  const int w = specs.front().w;
  const fs::path dir = make_temp_dir("gm-icarus");
  std::ostringstream cmd;
  cmd << "cd " << dir << " && iverilog -g2005 -o sim.vvp gm_itb.v gm_vtop.v";
  write_file_atomic(dir / "gm_vtop.v", sim_top_verilog(specs, modules));
  for (size_t d = 0; d < specs.size(); ++d) {
    write_file_atomic(dir / (modules[d] + ".v"), texts[d]);
    cmd << " " << modules[d] << ".v";
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
  std::string log;
  int rc = run_command(cmd.str(), &log);
  st.build_seconds += seconds_since(t0);
  ++st.builds;
  if (rc != 0) throw std::runtime_error("Icarus compile failed: " + log.substr(0, 600));
  t0 = Clock::now();
  rc = run_command("cd " + dir.string() + " && vvp -n sim.vvp", &log);
  if (rc != 0) throw std::runtime_error("Icarus simulation failed: " + log.substr(0, 600));
  std::ifstream res(dir / "out.hex");
  run.outputs.assign(specs.size(), std::vector<uint64_t>(n));
  std::string line;
  uint64_t k = 0;
  for (; k < n && std::getline(res, line); ++k)
    for (size_t d = 0; d < specs.size(); ++d) {
      // Slot d is the d-th 32-bit word from the right: 8 hex digits each.
      const std::string word = line.substr(line.size() - 8 * (d + 1), 8);
      run.outputs[d][k] = word.find_first_of("xzXZ") == std::string::npos ? std::stoull(word, nullptr, 16) : kUnknown;
    }
  st.sim_seconds += seconds_since(t0);
  if (k != n) throw std::runtime_error("Icarus wrote " + std::to_string(k) + " of " + std::to_string(n) + " results");
  std::error_code ec;
  fs::remove_all(dir, ec);
  return run;
}

void run_icarus(const Group& g, const VerifyOptions& opt, uint64_t random_pairs, VerifyStats& st,
                std::vector<VerifyResult>& out) {
  const int w = g.specs.front().w;
  PairStream stream(w, random_pairs, opt.seed);
  uint64_t n = stream.total();
  if (opt.pair_limit && n > opt.pair_limit) n = opt.pair_limit;
  const IcarusRun run = icarus_simulate(g.specs, g.modules, g.texts, stream, n, st);
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
