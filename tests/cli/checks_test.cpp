// Every check a command makes decides its exit status (issue 8, item 3): each test provokes one
// failed check and expects exit 1 with a "greenmac: check failed: " line on stderr (and in report.md).
//
// The faults are real where the tool allows it:
// - a mutated RTL file (one gate changed) given with --rtl-dir;
// - an ext: design whose RTL reads `SYNTHESIS` (defined by Yosys's read_verilog, not by Icarus): its
//   model is its Icarus truth table, while synthesis maps a different circuit, so the mapped netlist
//   does not compute the design;
// - the cycle checks use GM_TEST_CYCLE_SKEW (tb/array_runner.cpp), the one test-only hook: no option
//   can make the generated array's timing depart from the cycle model.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "cli/array_args.hpp"
#include "cli/report/array_characterize.hpp"
#include "synth/array_synth.hpp"
#include "cli/report/characterize.hpp"
#include "models/checks.hpp"
#include "tb/dnn_on_rtl.hpp"
#include "models/files.hpp"
#include "tb/process.hpp"
#include "models/dnn/idx.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace {

namespace fs = std::filesystem;
using gm::test::run_cli;

bool synth_tools() { return gm::test::synth_tools_present() && gm::have_tool("iverilog"); }

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// A 4-bit unsigned multiplier that simulators see as a*b and Yosys as a*b + 1.
std::string two_faced_ext(const fs::path& dir) {
  gm::write_file_atomic(dir / "twofaced.v",
                        "module twofaced (input [3:0] A, input [3:0] B, output [7:0] O);\n"
                        "`ifdef SYNTHESIS\n  assign O = A * B + 8'd1;\n`else\n  assign O = A * B;\n`endif\n"
                        "endmodule\n");
  return "ext:path=" + (dir / "twofaced.v").string() + ",top=twofaced,a=A,b=B,y=O,w=4";
}

TEST(CheckLog, DecidesTheExitStatusAndListsEveryFailure) {
  gm::CheckLog ok;
  ok.expect(true, "never shown");
  EXPECT_EQ(ok.exit_code(), 0);
  EXPECT_EQ(ok.stderr_lines(), "");
  EXPECT_EQ(ok.markdown_lines(), "");
  gm::CheckLog bad;
  bad.expect(false, "first");
  bad.fail("second");
  EXPECT_EQ(bad.exit_code(), 1);
  EXPECT_EQ(bad.stderr_lines(), "greenmac: check failed: first\ngreenmac: check failed: second\n");
  EXPECT_EQ(count_of(bad.markdown_lines(), "check failed"), 2);
}

TEST(CheckLog, DnnRtlChecksLogitsAndCycles) {
  gm::CheckLog c;
  gm::check_dnn_rtl("dnn rtl", "gm_x", "2x2", 5, 0, 100, 100, c);
  EXPECT_TRUE(c.ok());
  gm::check_dnn_rtl("dnn rtl", "gm_x", "2x2", 5, 3, 100, 100, c);
  gm::check_dnn_rtl("dnn rtl", "gm_x", "2x2", 5, 0, 101, 100, c);
  ASSERT_EQ(c.failures().size(), 2u);
  EXPECT_NE(c.failures()[0].find("3 logits differ"), std::string::npos);
  EXPECT_NE(c.failures()[1].find("101 cycles, the cycle model says 100"), std::string::npos);
}

// With the report, every conv/fc layer's outputs are checked too: one failed check per layer that
// differs from the golden layer, even when the logits agree.
TEST(CheckLog, DnnRtlChecksEveryLayer) {
  gm::DnnRtlReport r;
  r.name = "gm_x", r.array = "2x2", r.images = 5, r.cycles = r.cycles_model = 100;
  r.layers = {{"conv a", 40, 0, 60, 60}, {"fc b", 10, 2, 40, 40}};
  gm::CheckLog c;
  gm::check_dnn_rtl("dnn rtl", r, c);
  ASSERT_EQ(c.failures().size(), 1u);
  EXPECT_NE(c.failures()[0].find("layer 1 (fc b): 2 of 10 outputs differ"), std::string::npos) << c.failures()[0];
  r.layers[1].mismatches = 0;
  gm::CheckLog ok;
  gm::check_dnn_rtl("dnn rtl", r, ok);
  EXPECT_TRUE(ok.ok());
}

// characterize's own list: netlist, array-energy netlist, RTL logits, RTL cycles, one line each.
TEST(CheckLog, CharacterizeChecksEveryRow) {
  std::vector<gm::CharRow> rows(2);
  rows[0].spec = gm::parse_spec("exact:s=1");
  rows[1].spec = gm::parse_spec("drum:k=4,s=1");
  EXPECT_TRUE(gm::characterize_checks(rows).ok());
  rows[0].synth.netlist_matches_model = false;
  rows[1].has_rtl = true;
  rows[1].rtl_images = 4;
  rows[1].rtl_array = "8x8";
  rows[1].rtl_mismatches = 7;
  rows[1].rtl_cycles = 10;
  rows[1].rtl_cycles_model = 12;
  rows[1].has_array_energy = true;
  rows[1].array_netlist_ok = false;
  const gm::CheckLog c = gm::characterize_checks(rows);
  ASSERT_EQ(c.failures().size(), 4u) << c.stderr_lines();
  EXPECT_EQ(c.exit_code(), 1);
  EXPECT_NE(c.stderr_lines().find(rows[0].spec.name() + " does not compute"), std::string::npos);
  EXPECT_NE(c.stderr_lines().find("7 logits differ"), std::string::npos);
  EXPECT_NE(c.stderr_lines().find("10 cycles, the cycle model says 12"), std::string::npos);
}

// characterize --array --mul: both arrays' netlists are checked.
TEST(CheckLog, ArrayCharacterizationChecksBothNetlists) {
  gm::ArrayCharReport rep;
  rep.array.name = "gm_array_a";
  rep.exact.name = "gm_array_e";
  EXPECT_TRUE(gm::array_char_checks(rep).ok());
  rep.exact.netlist_matches_model = false;
  const gm::CheckLog c = gm::array_char_checks(rep);
  ASSERT_EQ(c.failures().size(), 1u);
  EXPECT_NE(c.failures()[0].find("gm_array_e does not reproduce the golden GEMM"), std::string::npos);
}

TEST(Checks, VerifyOfAMutatedRtlFileExitsOne) {
  if (!gm::have_tool("iverilog")) GTEST_SKIP() << "no iverilog";
  const fs::path dir = gm::test::temp_dir("gm-test-checks");
  ASSERT_EQ(run_cli("gen exact:w=4 -o '" + dir.string() + "'").rc, 0);
  fs::path file;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".v") file = e.path();
  ASSERT_FALSE(file.empty());
  std::string text = gm::read_file(file);
  // One gate changed: the first two-input AND assignment becomes an OR.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"((assign \w+ = [\w\[\]]+) & ([\w\[\]]+;))"))) << text;
  text.replace(m.position(0), m.length(0), m[1].str() + " | " + m[2].str());
  gm::write_file_atomic(file, text);
  const auto r = run_cli("verify exact:w=4 --sim icarus --rtl-dir '" + dir.string() + "'");  // Icarus: no build
  EXPECT_EQ(r.rc, 1) << r.out << r.err;
  EXPECT_EQ(count_of(r.err, "greenmac: check failed: verify: " + file.stem().string()), 1) << r.out << r.err;
  fs::remove_all(dir);
}

TEST(Checks, SynthOfANetlistThatDoesNotComputeTheDesignExitsOne) {
  if (!synth_tools()) GTEST_SKIP() << "yosys, sta, iverilog or osu018 missing";
  const fs::path dir = gm::test::temp_dir("gm-test-checks");
  const std::string ext = two_faced_ext(dir);
  const auto r = run_cli("synth '" + ext + "' exact:w=4 --cycles 200");
  EXPECT_EQ(r.rc, 1) << r.out << r.err;
  EXPECT_EQ(count_of(r.err, "greenmac: check failed: synth: the mapped netlist of"), 1) << r.out << r.err;  // not exact
  EXPECT_NE(r.err.find("does not compute its model's products"), std::string::npos) << r.out << r.err;
  fs::remove_all(dir);
}

TEST(Checks, CharacterizeReportOpensWithTheFailedCheck) {
  if (!synth_tools() || !gm::have_tool("gnuplot")) GTEST_SKIP() << "synthesis tools or gnuplot missing";
  const fs::path dir = gm::test::temp_dir("gm-test-checks");
  const std::string ext = two_faced_ext(dir);
  const auto r = run_cli("characterize '" + ext + "' -o '" + (dir / "rep").string() + "'");
  EXPECT_EQ(r.rc, 1) << r.out << r.err;
  EXPECT_EQ(count_of(r.err, "greenmac: check failed: characterize: the mapped netlist of"), 1) << r.out << r.err;
  std::istringstream md(gm::read_file(dir / "rep" / "report.md"));
  std::string title, blank, first;
  std::getline(md, title);
  std::getline(md, blank);
  std::getline(md, first);
  EXPECT_EQ(first.rfind("**check failed:** characterize: the mapped netlist of", 0), 0u) << first;
  fs::remove_all(dir);
}

TEST(Checks, GemmCycleDifferenceExitsOne) {
  if (!gm::have_tool("verilator")) GTEST_SKIP() << "no verilator";
  const std::string args = "gemm --array 2x2 --m 3 --k 4 --n 2";
  const auto good = run_cli(args);
  ASSERT_EQ(good.rc, 0) << good.out;
  const auto r = run_cli(args, "GM_TEST_CYCLE_SKEW=3 ");
  EXPECT_EQ(r.rc, 1) << r.out << r.err;
  EXPECT_EQ(count_of(r.err, "greenmac: check failed: gemm:"), 1) << r.out << r.err;
  EXPECT_NE(r.err.find("the cycle model says"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL "), std::string::npos) << r.out << r.err;
}

TEST(Checks, DnnRtlCycleDifferenceExitsOne) {
  if (!gm::have_tool("verilator") || !gm::test::fashion_mnist_present()) GTEST_SKIP() << "no verilator or no Fashion-MNIST";
  const std::string args = "dnn rtl --array 2x2 --model mlp --images 1";
  const auto good = run_cli(args);
  ASSERT_EQ(good.rc, 0) << good.out;
  const auto r = run_cli(args, "GM_TEST_CYCLE_SKEW=1 ");
  EXPECT_EQ(r.rc, 1) << r.out << r.err;
  EXPECT_EQ(count_of(r.err, "greenmac: check failed: dnn rtl:"), 1) << r.out << r.err;
  EXPECT_NE(r.err.find("the cycle model says"), std::string::npos) << r.out << r.err;
}

}  // namespace

namespace {

// The main job's RTL sample: a cycle difference on the array fails characterize --dnn (about 30 s
// cold: three 8-bit syntheses; seconds with a warm cache).
TEST(Checks, CharacterizeDnnRtlCycleDifferenceExitsOne) {
  if (!synth_tools() || !gm::have_tool("gnuplot") || !gm::have_tool("verilator") || !gm::test::fashion_mnist_present())
    GTEST_SKIP() << "synthesis tools, gnuplot, verilator or Fashion-MNIST missing";
  const fs::path dir = gm::test::temp_dir("gm-test-checks");
  const auto r = run_cli("characterize 'drum:k=4,s=1' --dnn --model mlp --images 20 --rtl-images 1 --array 2x2 --sim-images 0 -o '" +
                             (dir / "rep").string() + "'",
                         "GM_TEST_CYCLE_SKEW=1 ");
  EXPECT_EQ(r.rc, 1) << r.out << r.err;
  EXPECT_EQ(count_of(r.err, "greenmac: check failed: characterize: gm_drum_s8_k4 on the 2x2 array"), 1) << r.out << r.err;
  const std::string md = gm::read_file(dir / "rep" / "report.md");
  EXPECT_EQ(md.find("**check failed:** characterize: gm_drum_s8_k4 on the 2x2 array"), md.find('\n') + 2) << md;
  fs::remove_all(dir);
}

}  // namespace
