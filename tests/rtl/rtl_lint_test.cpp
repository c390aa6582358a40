// The hand-written Verilog in rtl/ lints clean in Verilator (-Wall), Icarus and Yosys, each file
// on its own: alone when it instantiates nothing, else with only what it instantiates (a generated
// multiplier, the generated verification top), and with the macros and test-bench handling its
// users give it (tb/lint.hpp, LintOptions). The files are the ones greenmac reads at run time
// (gm::data_file), so a broken copy cannot hide behind a correct one.
#include <gtest/gtest.h>

#include <filesystem>
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

}  // namespace
}  // namespace gm
