// The timed gate simulation against Icarus Verilog: the mapped netlist of one multiplier in its
// register wrapper, simulated by Icarus (-gspecify, the OSU018 cell models with their specify paths,
// $sdf_annotate of the same SDF OpenSTA wrote for the flow) and by TimedGateSim, on the same
// operand stream; every net's transitions counted from Icarus's VCD over the same cycles.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>

#include "models/files.hpp"
#include "models/spec.hpp"
#include "synth/liberty.hpp"
#include "synth/mult_synth.hpp"
#include "synth/sdf.hpp"
#include "synth/timed_sim.hpp"
#include "tb/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

constexpr int kSimCycles = 300;  // simulated cycles
constexpr int kWarmup = 3;    // Icarus's flops start at x: counting starts with cycle 3 on both sides

// Transitions per VCD signal name (in the dut scope) at times in [from, to), x/z counted as values;
// a record that repeats the previous value is not a transition.
std::map<std::string, uint64_t> vcd_transitions(const std::string& vcd, int64_t from, int64_t to) {
  std::istringstream in(vcd);
  std::map<std::string, std::vector<std::string>> names;  // id code -> names (aliases share one)
  std::map<std::string, char> value;
  std::map<std::string, uint64_t> changes;
  std::string line;
  int64_t now = 0;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      std::istringstream ls(line);
      std::string tok, type, width, id, name, range;
      ls >> tok;
      if (tok == "$var") {
        ls >> type >> width >> id >> name >> range;
        if (!name.empty() && name[0] == '\\') name = name.substr(1);
        if (range.size() > 1 && range[0] == '[') name += range;
        names[id].push_back(name);
      } else if (tok == "$enddefinitions") {
        header = false;
      }
      continue;
    }
    if (line.empty()) continue;
    if (line[0] == '#') {
      now = std::stoll(line.substr(1));
      continue;
    }
    if (line[0] == '$') continue;
    if (line[0] == 'b' || line[0] == 'r') continue;  // vectors: none in a bit-blasted netlist
    const char v = line[0];
    const std::string id = line.substr(1);
    const auto it = value.find(id);
    if (it != value.end() && it->second != v && now >= from && now < to) ++changes[id];
    value[id] = v;
  }
  std::map<std::string, uint64_t> out;
  for (const auto& [id, ns] : names)
    for (const auto& n : ns) out[n] = changes.count(id) ? changes[id] : 0;
  return out;
}

TEST(TimedIcarus, PerNetTransitionsOfAMultiplierMatchIcarusWithTheSameSdf) {
  if (!test::synth_tools_present() || !test::tools_present({"iverilog", "vvp"}))
    GTEST_SKIP() << "yosys, sta, iverilog or the osu018 library missing";
  const fs::path cells_v = fs::path(kOsu018Lib).replace_extension(".v");
  if (!fs::exists(cells_v)) GTEST_SKIP() << cells_v << " missing";
  const fs::path dir = test::temp_dir("gm-timed-icarus");

  // The flow's own netlist and SDF (kept with -o).
  SynthOptions opt;
  opt.cycles = 100;
  opt.keep_dir = dir / "syn";
  const Spec spec = parse_spec("drum:k=4,s=1");
  const auto res = synth_designs(std::vector<Spec>{spec}, opt);
  ASSERT_TRUE(res.at(0).netlist_matches_model);
  const fs::path syn = dir / "syn" / spec.name();
  ASSERT_TRUE(fs::exists(syn / "net.sdf"));

  // net.v read back as JSON (cells as black boxes), so both simulators see the same nets.
  const RunResult y = run_program({"yosys", "-q", "-p",
                                   "read_liberty -lib " + std::string(kOsu018Lib) + "; read_verilog " +
                                       (syn / "net.v").string() + "; hierarchy -top gm_reg_wrapper; write_json " +
                                       (dir / "net.json").string()});
  ASSERT_TRUE(y.ok()) << y.output;
  const auto netlist = nlohmann::json::parse(read_file(dir / "net.json"));
  const std::string sdf_text = read_file(syn / "net.sdf");

  // The operand stream.
  std::mt19937_64 rng(7);
  std::vector<int> a(kSimCycles), b(kSimCycles);
  for (int t = 0; t < kSimCycles; ++t) a[t] = static_cast<int>(rng() & 255), b[t] = static_cast<int>(rng() & 255);

  // TimedGateSim.
  const Liberty lib = read_liberty(kOsu018Lib);
  TimedGateSim sim(netlist, "gm_reg_wrapper", lib, "clk_i", parse_sdf(sdf_text));
  const int pa = sim.port("a_i"), pb = sim.port("b_i");
  for (int t = 0; t < kSimCycles; ++t) {
    sim.set_input(pa, static_cast<uint64_t>(a[t]));
    sim.set_input(pb, static_cast<uint64_t>(b[t]));
    sim.settle();
    if (t >= kWarmup - 1) sim.sample();
    sim.clock();
  }
  const auto mine = sim.net_counts(netlist, "gm_reg_wrapper");

  // Icarus: the cell models at 1 ps precision (the package's are 10 ps) and the SDF's (min::max)
  // pairs as single values (Icarus would take the empty typ).
  std::string cells = read_file(cells_v);
  cells = std::regex_replace(cells, std::regex(R"(`timescale\s+1ns/10ps)"), "`timescale 1ns/1ps");
  write_file_atomic(dir / "cells.v", cells);
  write_file_atomic(dir / "net_icarus.sdf",
                    std::regex_replace(sdf_text, std::regex(R"(\(([-0-9.]+)::([-0-9.]+)\))"), "($2)"));
  std::ostringstream stim;
  for (int t = 0; t < kSimCycles; ++t) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02x%02x\n", a[t], b[t]);
    stim << buf;
  }
  write_file_atomic(dir / "stim.hex", stim.str());
  const int out_bits = 2 * spec.w;
  std::ostringstream tb;
  tb << "`timescale 1ns/1ps\nmodule tb;\n  reg clk = 0;\n  reg [7:0] a = 0, b = 0;\n  wire [" << out_bits - 1
     << ":0] y;\n  reg [15:0] stim [0:" << kSimCycles - 1 << "];\n  integer t;\n  gm_reg_wrapper dut(.clk_i(clk)";
  for (int k = 0; k < spec.w; ++k) tb << ", .\\a_i[" << k << "] (a[" << k << "]), .\\b_i[" << k << "] (b[" << k << "])";
  for (int k = 0; k < out_bits; ++k) tb << ", .\\y_o[" << k << "] (y[" << k << "])";
  // Cycle t: operands at 10t (clock low), the rising edge that ends it at 10t + 5.
  tb << ");\n  initial begin\n`ifdef GM_SDF\n    $sdf_annotate(\"net_icarus.sdf\", dut);\n`endif\n    $readmemh(\"stim.hex\", stim);\n"
     << "    $dumpfile(\"out.vcd\");\n    $dumpvars(1, dut);\n    for (t = 0; t < " << kSimCycles
     << "; t = t + 1) begin\n      a = stim[t][15:8];\n      b = stim[t][7:0];\n      #5 clk = 1;\n"
     << "      #5 clk = 0;\n    end\n    $finish;\n  end\nendmodule\n";
  write_file_atomic(dir / "tb.v", tb.str());
  // Counted: cycles kWarmup .. kSimCycles-1, from the edge that starts cycle kWarmup (10 kWarmup - 5 ns)
  // to the one that ends the last (10 kSimCycles - 5 ns); times in ps.
  auto icarus_counts = [&](bool sdf) {
    std::vector<std::string> argv{"iverilog", "-gspecify", "-g2005", "-o", "sim.vvp"};
    if (sdf) argv.push_back("-DGM_SDF");
    for (const std::string& f : std::vector<std::string>{"tb.v", (syn / "net.v").string(), "cells.v"}) argv.push_back(f);
    const RunResult comp = run_program(argv, {.cwd = dir});
    EXPECT_TRUE(comp.ok()) << comp.output;
    const RunResult run = run_program({"vvp", "-n", "sim.vvp"}, {.cwd = dir, .timeout_s = 600});
    EXPECT_TRUE(run.ok()) << run.output;
    EXPECT_EQ(run.output.find("SDF"), std::string::npos) << run.output;  // no annotation warnings
    return vcd_transitions(read_file(dir / "out.vcd"), (10 * kWarmup - 5) * 1000, (10 * kSimCycles - 5) * 1000);
  };
  // Without the SDF Icarus takes the cell models' own specify delays: the counts must move, or
  // the comparison below would not be a test of the delays.
  const auto unannotated = icarus_counts(false);
  const auto icarus = icarus_counts(true);
  uint64_t moved = 0;
  for (const auto& [name, n] : icarus) moved += unannotated.count(name) && unannotated.at(name) != n;
  EXPECT_GT(moved, 10u);

  uint64_t total_mine = 0, total_icarus = 0, nets = 0, differ = 0, glitchy = 0;
  std::ostringstream diffs;
  for (const auto& [name, c] : mine) {
    const auto it = icarus.find(name);
    if (it == icarus.end() || name == "clk_i") continue;  // the clock is not simulated
    ++nets;
    total_mine += c.timed;
    total_icarus += it->second;
    glitchy += c.timed > c.zero_delay;
    if (c.timed != it->second) {
      ++differ;
      if (differ <= 10) diffs << " " << name << ": " << c.timed << " vs " << it->second;
    }
  }
  RecordProperty("nets", static_cast<int>(nets));
  std::printf("nets compared %llu, with glitches %llu, differing %llu; transitions mine %llu, Icarus %llu\n",
              static_cast<unsigned long long>(nets), static_cast<unsigned long long>(glitchy),
              static_cast<unsigned long long>(differ), static_cast<unsigned long long>(total_mine),
              static_cast<unsigned long long>(total_icarus));
  EXPECT_GT(nets, 250u);     // every net of the netlist, not a handful
  EXPECT_GT(glitchy, 50u);   // the comparison covers glitching nets, not only settled values
  EXPECT_EQ(differ, 0u) << diffs.str();
  EXPECT_EQ(total_mine, total_icarus);
}

}  // namespace
}  // namespace gm
