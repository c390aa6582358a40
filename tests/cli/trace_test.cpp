// verify --trace and gemm --trace (tb/verify_trace.hpp, tb/array_trace.hpp): the waveform holds
// what failed, the GTKWave save file names signals the waveform has, a failing run prints a command
// that reproduces it with a waveform, and a correct array's waveform stays within its bound.
// The waveforms are read back through gtkwave's fst2vcd (tests/support/vcd.hpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "generator/design_files.hpp"
#include "models/files.hpp"
#include "models/spec.hpp"
#include "tb/array_trace.hpp"
#include "tb/verify_trace.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/mutant.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"
#include "tests/support/vcd.hpp"

namespace fs = std::filesystem;
using gm::test::run_cli;

namespace {

bool trace_tools() { return gm::test::tools_present({"verilator", "fst2vcd"}); }

// Every signal the save file shows is in the waveform, with the width its range says, and the save
// file opens that waveform.
void expect_save_file_matches(const fs::path& gtkw, const fs::path& fst, const gm::test::Vcd& vcd) {
  const std::string text = gm::read_file(gtkw);
  EXPECT_NE(text.find("[dumpfile] \"" + fs::absolute(fst).string() + "\""), std::string::npos) << text;
  const auto signals = gm::test::gtkw_signals(text);
  EXPECT_GE(signals.size(), 5u) << text;
  for (const auto& s : signals) {
    const std::string name = gm::test::without_range(s);
    ASSERT_TRUE(vcd.has(name)) << s << " is not in " << fst;
    int width = 1;
    std::smatch m;
    if (std::regex_search(s, m, std::regex(R"(\[(\d+):0\]$)"))) width = std::stoi(m[1]) + 1;
    EXPECT_EQ(vcd.width_of.at(name), width) << s;
  }
}

// The words after "greenmac" of the reproduce line on stderr, "" when there is none.
std::string reproduce_args(const std::string& err) {
  const std::string mark = "greenmac: reproduce with a waveform: greenmac ";
  const size_t at = err.find(mark);
  if (at == std::string::npos) return "";
  const size_t end = err.find('\n', at);
  return err.substr(at + mark.size(), end - at - mark.size());
}

}  // namespace

// A mutant (one AND gate turned into an OR) fails verify; the failing run says how to get a
// waveform, and that command writes one whose failing time steps are the pairs verify reported.
TEST(TraceCli, VerifyOfAMutantTracesItsFailingPairsFromTheReproduceLine) {
  if (!trace_tools()) GTEST_SKIP() << "verilator or fst2vcd is missing";
  const fs::path dir = gm::test::temp_dir("gm-test-trace");
  const std::string spec = "exact:w=4,arch=array";
  const gm::Spec s = gm::parse_spec(spec);
  gm::write_designs({s}, dir / "rtl");
  ASSERT_TRUE(gm::test::flip_one_gate(dir / "rtl" / (s.name() + ".v")));

  const auto failed = run_cli("verify " + spec + " --rtl-dir " + (dir / "rtl").string());
  ASSERT_EQ(failed.rc, 1) << failed.out << failed.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(failed.out, m, std::regex(R"((\d+) mismatches; first: a=(-?\d+) b=(-?\d+))")))
      << failed.out;
  const uint64_t mismatches = std::stoull(m[1]);
  const int64_t a = std::stoll(m[2]), b = std::stoll(m[3]);
  const std::string args = reproduce_args(failed.err);
  ASSERT_NE(args, "") << failed.err;
  EXPECT_NE(args.find("--rtl-dir"), std::string::npos) << args;

  // The reproduce line as the user would paste it, in a directory of its own.
  const auto traced = run_cli(args, "", dir);
  EXPECT_EQ(traced.rc, 1) << traced.out << traced.err;
  EXPECT_EQ(reproduce_args(traced.err), "") << "a traced run has its waveform already: " << traced.err;
  const fs::path fst = dir / "greenmac-trace" / (s.name() + ".fst"), gtkw = dir / "greenmac-trace" / (s.name() + ".gtkw");
  ASSERT_TRUE(fs::is_regular_file(fst)) << traced.out << traced.err;
  ASSERT_TRUE(fs::is_regular_file(gtkw));

  const gm::test::Vcd vcd = gm::test::read_fst(fst, dir / "trace.vcd");
  const std::string top = "TOP.gm_verify_trace.";
  ASSERT_TRUE(vcd.has(top + "a_i") && vcd.has(top + "b_i") && vcd.has(top + "mismatch_o")) << "signals missing";
  const std::string ida = vcd.id_of.at(top + "a_i"), idb = vcd.id_of.at(top + "b_i"),
                    idm = vcd.id_of.at(top + "mismatch_o");
  const uint64_t mask = (uint64_t{1} << s.w) - 1;
  uint64_t failing_steps = 0, steps = 0;
  bool first_seen = false;
  gm::test::for_each_time(vcd, [&](uint64_t, const std::map<std::string, std::string>& now) {
    ++steps;
    const bool mismatch = now.count(idm) && now.at(idm) == "1";
    failing_steps += mismatch;
    if (mismatch && gm::test::bits_value(now.at(ida)) == (static_cast<uint64_t>(a) & mask) &&
        gm::test::bits_value(now.at(idb)) == (static_cast<uint64_t>(b) & mask))
      first_seen = true;
  });
  EXPECT_TRUE(first_seen) << "the first failing pair a=" << a << " b=" << b << " is not in the waveform";
  // Up to 16 failing pairs, with passing ones around them: a bounded window, not the 256 pairs.
  EXPECT_EQ(failing_steps, std::min<uint64_t>(mismatches, gm::kTraceFailingPairs));
  EXPECT_GT(steps, failing_steps);
  EXPECT_LT(steps, 256u);
  expect_save_file_matches(gtkw, fst, vcd);
  fs::remove_all(dir);
}

// A correct array: gemm passes, prints no reproduce line, and its waveform holds only the first
// kTraceFirstCycles clock edges of a run that is longer.
TEST(TraceCli, GemmOfACorrectArrayTracesOnlyTheFirstCycles) {
  if (!trace_tools()) GTEST_SKIP() << "verilator or fst2vcd is missing";
  const fs::path dir = gm::test::temp_dir("gm-test-trace");
  const auto r = run_cli("gemm --array 2x2 --m 96 --k 6 --n 6 --trace " + (dir / "waves").string());
  ASSERT_EQ(r.rc, 0) << r.out << r.err;
  EXPECT_EQ(reproduce_args(r.err), "");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(cycles (\d+))"))) << r.out;
  const uint64_t cycles = std::stoull(m[1]);
  ASSERT_GT(cycles, 2 * gm::kTraceFirstCycles) << "the GEMM is too short to show the bound";
  std::vector<fs::path> fsts;
  for (const auto& e : fs::directory_iterator(dir / "waves"))
    if (e.path().extension() == ".fst") fsts.push_back(e.path());
  ASSERT_EQ(fsts.size(), 1u);
  const gm::test::Vcd vcd = gm::test::read_fst(fsts.front(), dir / "trace.vcd");
  ASSERT_FALSE(vcd.changes.empty());
  // 10 time units a clock edge: every dump lies within the first kTraceFirstCycles edges.
  EXPECT_LT(vcd.changes.rbegin()->first, 10 * gm::kTraceFirstCycles);
  EXPECT_GE(vcd.changes.rbegin()->first, 10 * (gm::kTraceFirstCycles - 1));
  fs::path gtkw = fsts.front();
  expect_save_file_matches(gtkw.replace_extension(".gtkw"), fsts.front(), vcd);
  fs::remove_all(dir);
}

// A broken array (one PE adds one extra): the waveform is centred on the clock edge that accepts
// the first wrong output, where y_valid_o is high, and spans no more than the window around it.
// The traced run gives the same Y as the untraced one.
TEST(TraceCli, GemmMismatchWindowIsAroundTheFirstWrongOutput) {
  if (!trace_tools()) GTEST_SKIP() << "verilator or fst2vcd is missing";
  const fs::path dir = gm::test::temp_dir("gm-test-trace");
  gm::ArrayConfig cfg = gm::make_array_config(2, 2, gm::parse_spec("exact:s=1"), "", 32, false);
  cfg.mutant_row = 1, cfg.mutant_col = 1;
  const gm::GemmRunner runner(cfg);
  const gm::GemmProblem p = gm::random_gemm(cfg, 40, 6, 6, 3);
  const auto y = runner.run(p).y;
  const auto golden = runner.golden(p);
  int64_t first = -1;
  for (size_t i = 0; i < y.size() && first < 0; ++i)
    if (y[i] != golden[i]) first = static_cast<int64_t>(i);
  ASSERT_GE(first, 0) << "the mutant changed no output";
  const gm::GemmTrace t = gm::trace_gemm(cfg, gm::MulModel::kLut, p, first, dir);
  EXPECT_EQ(t.y, y);
  ASSERT_GE(t.target_edge, 0) << "the traced run never accepted the wrong output";
  // The window around it, clipped at the first edge (here the first results come early).
  const uint64_t edge = static_cast<uint64_t>(t.target_edge);
  EXPECT_EQ(t.from, edge > gm::kTraceCyclesAround ? edge - gm::kTraceCyclesAround : 0);
  EXPECT_EQ(t.to, edge + gm::kTraceCyclesAround + 1);
  const gm::test::Vcd vcd = gm::test::read_fst(t.fst, dir / "trace.vcd");
  ASSERT_FALSE(vcd.changes.empty());
  EXPECT_GE(vcd.changes.begin()->first, 10 * t.from);
  EXPECT_LT(vcd.changes.rbegin()->first, 10 * t.to);
  const std::string valid = "TOP." + cfg.name() + ".y_valid_o";
  ASSERT_TRUE(vcd.has(valid));
  bool valid_at_target = false;
  gm::test::for_each_time(vcd, [&](uint64_t time, const std::map<std::string, std::string>& now) {
    if (time == 10 * static_cast<uint64_t>(t.target_edge)) valid_at_target = now.at(vcd.id_of.at(valid)) == "1";
  });
  EXPECT_TRUE(valid_at_target);
  expect_save_file_matches(t.gtkw, t.fst, vcd);
  fs::remove_all(dir);
}

TEST(TraceCli, TraceDirectoryThatCannotBeMadeIsOneLineError) {
  const fs::path dir = gm::test::temp_dir("gm-test-trace");
  gm::write_file_atomic(dir / "file", "not a directory\n");
  const std::string bad = (dir / "file" / "waves").string();
  gm::test::expect_one_line_error(run_cli("verify exact:w=4 --trace " + bad), "--trace");
  gm::test::expect_one_line_error(run_cli("gemm --array 2x2 --m 2 --k 2 --n 2 --trace " + bad), "--trace");
  EXPECT_FALSE(fs::exists(dir / "file" / "waves"));
  fs::remove_all(dir);
}
