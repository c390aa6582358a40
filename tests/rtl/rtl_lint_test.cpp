// The hand-written Verilog in rtl/ lints clean in Verilator (-Wall), Icarus -g2005 and Yosys
// (tb/lint.hpp), each file on its own: alone when it instantiates nothing, else with only what it
// instantiates (other rtl/ files, a generated multiplier, the generated verification top), and with
// the macros and test-bench handling its users give it (LintOptions). The files are the ones
// greenmac reads at run time (gm::data_file), so a broken copy cannot hide behind a correct one.
// The array's modules are also linted under the parameter values the generator gives them, through
// generated arrays (tests/generator/array/array_test.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "generator/registry.hpp"
#include "generator/sim_top.hpp"
#include "models/files.hpp"
#include "models/install_layout.hpp"
#include "models/scratch.hpp"
#include "models/spec.hpp"
#include "tb/lint.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

bool lint_tools() { return have_tool("verilator") && have_tool("iverilog") && have_tool("yosys"); }

// The files that only lint in their users' context (a macro, a generated module): the RtlFiles
// suite below lints each of them that way.
const std::set<std::string> kLintedInContext = {"gm_reg_wrapper", "gm_verify_itb", "gm_verify_trace"};

// module name -> file, for every rtl/*.v
std::map<std::string, fs::path> rtl_modules() {
  std::map<std::string, fs::path> out;
  static const std::regex module_re(R"((^|\n)\s*module\s+([A-Za-z_][A-Za-z0-9_]*))");
  for (const auto& e : fs::directory_iterator(data_dir() / "rtl")) {
    if (e.path().extension() != ".v") continue;
    const std::string text = read_file(e.path());
    std::smatch m;
    if (std::regex_search(text, m, module_re)) out[m[2]] = e.path();  // one module per file
  }
  return out;
}

// The file and, transitively, the rtl/ files whose modules it instantiates (`NAME #(` or `NAME u_`).
std::vector<fs::path> with_dependencies(const fs::path& file, const std::map<std::string, fs::path>& modules) {
  std::set<fs::path> seen = {file};
  std::vector<fs::path> todo = {file}, out;
  while (!todo.empty()) {
    const fs::path f = todo.back();
    todo.pop_back();
    out.push_back(f);
    const std::string text = read_file(f);
    for (const auto& [name, path] : modules)
      if (std::regex_search(text, std::regex("\\b" + name + R"(\s+(#|u_|i_))")) && seen.insert(path).second)
        todo.push_back(path);
  }
  return out;
}

TEST(RtlLint, EveryFileLintsCleanOnItsOwn) {
  if (!lint_tools()) GTEST_SKIP() << "verilator, iverilog or yosys is missing";
  const auto modules = rtl_modules();
  // The array's modules at least; files other parts of greenmac add to rtl/ are linted too.
  for (const char* name : {"gm_array_ctrl", "gm_array_skew", "gm_array_pe", "gm_array_deskew", "gm_array_delay",
                           "gm_array_acc", "gm_array_out"})
    EXPECT_TRUE(modules.count(name)) << name << " is not in " << (data_dir() / "rtl");
  for (const auto& [name, path] : modules) {
    if (kLintedInContext.count(name)) continue;
    const auto files = with_dependencies(path, modules);
    for (const auto& r : lint_files(files))
      EXPECT_TRUE(r.clean) << path.filename() << " (with " << files.size() - 1 << " dependencies) " << r.tool
                           << ":\n" << r.log;
  }
}

// The simulation forms of the accumulator bank and the output stage (GM_SIM_BEHAVIORAL, what
// Verilator's array harnesses build) lint clean too.
TEST(RtlLint, SimulationFormsLintClean) {
  if (!lint_tools()) GTEST_SKIP() << "verilator, iverilog or yosys is missing";
  for (const char* file : {"rtl/gm_array_acc.v", "rtl/gm_array_out.v"})
    for (const auto& r : lint_files({data_file(file)}, {.defines = {"GM_SIM_BEHAVIORAL"}}))
      EXPECT_TRUE(r.clean) << file << " with GM_SIM_BEHAVIORAL, " << r.tool << ":\n" << r.log;
}

// The dependency scan finds the delay line under the control, so a file is never linted without a
// module it needs (the lint above would then fail for the wrong reason).
TEST(RtlLint, DependenciesAreFound) {
  const auto modules = rtl_modules();
  ASSERT_TRUE(modules.count("gm_array_ctrl") && modules.count("gm_array_delay"));
  const auto deps = with_dependencies(modules.at("gm_array_ctrl"), modules);
  EXPECT_NE(std::find(deps.begin(), deps.end(), modules.at("gm_array_delay")), deps.end());
  EXPECT_EQ(with_dependencies(modules.at("gm_array_pe"), modules).size(), 1u);
}

// Lints `files` and reports every tool that is not clean, with its log.
void expect_clean(const std::vector<fs::path>& files, const LintOptions& opt = {}) {
  const auto results = lint_files(files, opt);
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) EXPECT_TRUE(r.clean) << r.tool << " on " << files.front().filename() << ":\n" << r.log;
}

// A generated design written as NAME.v (the file named after its module) in `dir`.
fs::path design_file(const fs::path& dir, const Spec& spec) {
  const fs::path p = dir / (spec.name() + ".v");
  write_file_atomic(p, rtl::generate_verilog(spec));
  return p;
}

TEST(RtlFiles, SimSlotLintsAlone) {
  if (!lint_tools()) GTEST_SKIP() << "verilator, iverilog or yosys is missing";
  expect_clean({data_file("rtl/gm_sim_slot.v")});
}

TEST(RtlFiles, RegWrapperLintsAroundAMultiplier) {
  if (!lint_tools()) GTEST_SKIP() << "verilator, iverilog or yosys is missing";
  const ScratchDir dir("gm-rtl-lint");
  const Spec spec = parse_spec("exact:w=8,s=1");
  expect_clean({data_file("rtl/gm_reg_wrapper.v"), design_file(dir.path(), spec)}, {.defines = {"GM_DUT=" + spec.name()}});
}

TEST(RtlFiles, RegWrapperNeedsTheMultiplierMacro) {
  // The macro is what names the multiplier: without it the file is not valid, so the lint above is
  // a real check of the macro's use and not of an empty module.
  if (!lint_tools()) GTEST_SKIP() << "verilator, iverilog or yosys is missing";
  const ScratchDir dir("gm-rtl-lint");
  const Spec spec = parse_spec("exact:w=8,s=1");
  const auto results = lint_files({data_file("rtl/gm_reg_wrapper.v"), design_file(dir.path(), spec)});
  for (const auto& r : results) EXPECT_FALSE(r.clean) << r.tool;
}

TEST(RtlFiles, VerifyBenchLintsWithTheSimulationTop) {
  if (!lint_tools()) GTEST_SKIP() << "verilator, iverilog or yosys is missing";
  const ScratchDir dir("gm-rtl-lint");
  // Two designs of w=8: the bench's default parameters (Width=8, Slots=3) fit gm_vtop as it is
  // generated for them; verify sets them on iverilog's command line (-P) for other widths.
  const std::vector<Spec> specs = {parse_spec("exact:w=8,s=1"), parse_spec("trunc:w=8,t=4,s=0")};
  std::vector<fs::path> files = {data_file("rtl/gm_verify_itb.v"), data_file(kSimSlotFile), dir / "gm_vtop.v"};
  write_file_atomic(dir / "gm_vtop.v", sim_top_verilog(specs));
  for (const auto& s : specs) files.push_back(design_file(dir.path(), s));
  expect_clean(files, {.test_bench = true});
}

TEST(RtlFiles, VerifyTraceTopLintsWithTheSimulationTop) {
  // verify --trace's wrapper (tb/verify_trace.hpp) around gm_vtop of one w=8 design: its default
  // parameters (Width=8, Slots=3) are what the trace sets for it.
  if (!lint_tools()) GTEST_SKIP() << "verilator, iverilog or yosys is missing";
  const ScratchDir dir("gm-rtl-lint");
  const Spec spec = parse_spec("trunc:w=8,t=4,s=1");
  write_file_atomic(dir / "gm_vtop.v", sim_top_verilog({spec}));
  expect_clean({data_file("rtl/gm_verify_trace.v"), dir / "gm_vtop.v", data_file(kSimSlotFile),
                design_file(dir.path(), spec)});
}

TEST(RtlFiles, SimulationTopLintsWithEveryProductWidth) {
  // gm_vtop (generated) on gm_sim_slot, both branches: w=8 pads, w=16 does not.
  if (!lint_tools()) GTEST_SKIP() << "verilator, iverilog or yosys is missing";
  for (const char* spec_text : {"exact:w=8,s=0", "exact:w=16,s=0"}) {
    const ScratchDir dir("gm-rtl-lint");
    const Spec spec = parse_spec(spec_text);
    write_file_atomic(dir / "gm_vtop.v", sim_top_verilog({spec}));
    expect_clean({dir / "gm_vtop.v", data_file(kSimSlotFile), design_file(dir.path(), spec)});
  }
}

TEST(RtlFiles, EveryFileIsLintedSomewhere) {
  // A file added to rtl/ that needs a context must get its own RtlFiles test before it joins
  // kLintedInContext; every other one is linted alone by RtlLint.EveryFileLintsCleanOnItsOwn.
  const auto modules = rtl_modules();
  for (const auto& name : kLintedInContext) EXPECT_TRUE(modules.count(name)) << name << " is not in rtl/";
}

}  // namespace
}  // namespace gm
