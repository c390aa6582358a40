// The synthesis flow: Yosys + gate simulation + OpenSTA on a few designs (one cold run shared by the
// tests), the cache, and the CLI's handling of bad input. The Liberty reader is in liberty_test.cpp.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.hpp"
#include "cli/command.hpp"
#include "models/files.hpp"
#include "synth/liberty.hpp"
#include "synth/mult_synth.hpp"
#include "models/spec.hpp"
#include "tests/support/cli_util.hpp"
#include "tb/process.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

using gm::test::synth_tools_present;

// One cold run over a handful of designs, shared by the flow tests below.
class SynthFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!synth_tools_present()) return;
    scratch_ = new fs::path(gm::test::temp_dir("gm-synth-test"));
    setenv("GREENMAC_CACHE", (*scratch_ / "cache").c_str(), 1);
    for (const char* s : {"exact:arch=dadda", "trunc:t=0", "trunc:t=4", "trunc:t=8", "trunc:t=12", "drum:k=4",
                          "exact:arch=dadda,s=1"}) {
      try {
        specs_->push_back(parse_spec(s));
      } catch (const std::exception&) {
        // family not registered in this checkout; the test uses what is there
      }
    }
    SynthOptions opt;
    opt.cycles = 4000;
    results_ = new std::vector<SynthResult>(synth_designs(*specs_, opt, &first_));
    opt.activity = (*scratch_ / "zeros.txt").string();
    std::ofstream(opt.activity) << "# all-zero operands\n0 0 1\n";
    zero_ = new std::vector<SynthResult>(synth_designs({specs_->front()}, opt));
  }
  static void TearDownTestSuite() {
    if (scratch_) {
      std::error_code ec;
      fs::remove_all(*scratch_, ec);
    }
  }
  void SetUp() override {
    if (!synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library missing";
  }
  static const SynthResult* find(const std::string& spec) {
    const std::string c = parse_spec(spec).canonical();
    for (const auto& r : *results_)
      if (r.spec.canonical() == c) return &r;
    return nullptr;
  }

  static inline fs::path* scratch_ = nullptr;
  static inline std::vector<Spec>* specs_ = new std::vector<Spec>;
  static inline std::vector<SynthResult>* results_ = nullptr;
  static inline std::vector<SynthResult>* zero_ = nullptr;
  static inline SynthStats first_;
};

TEST_F(SynthFlow, FiguresArePositiveAndConsistent) {
  ASSERT_EQ(results_->size(), specs_->size());
  EXPECT_EQ(first_.synthesized, static_cast<int>(specs_->size()));
  EXPECT_EQ(first_.cached, 0);
  for (const auto& r : *results_) {
    SCOPED_TRACE(r.spec.name());
    EXPECT_GT(r.area_um2, 0);
    EXPECT_GT(r.delay_ns, 0);
    EXPECT_LT(r.delay_ns, r.clock_ns);
    EXPECT_NEAR(r.fmax_mhz, 1000 / r.delay_ns, 1e-6);
    EXPECT_NEAR(r.nand2_eq, r.area_um2 / 24.0, 1e-9);
    // Registers: all 4w for an exact product; truncation may leave operand bits unused (removed).
    EXPECT_GE(r.cells.at("DFFPOSX1"), r.spec.family == "exact" ? 4 * r.spec.w : 1);
    // Both power figures present, each total = internal + switching + leakage.
    for (const PowerFigures* p : {&r.vectorless, &r.simulated}) {
      EXPECT_GT(p->total_mw, 0);
      EXPECT_GT(p->leakage_mw, 0);
      EXPECT_NEAR(p->total_mw, p->internal_mw + p->switching_mw + p->leakage_mw, 1e-3 * p->total_mw);
    }
    EXPECT_NEAR(r.energy_pj(), r.simulated.total_mw * r.clock_ns, 1e-9);
    EXPECT_GT(r.mean_activity, 0);
    EXPECT_TRUE(r.netlist_matches_model) << "gate-level simulation of the mapped netlist != model";
    const auto j = synth_result_json(r);
    for (const char* key : {"spec", "name", "area_um2", "cells", "nand2_eq", "delay_ns", "fmax_mhz", "power_mw",
                            "power_dyn_mw", "power_leak_mw", "energy_pj", "activity", "power_vectorless_mw"})
      EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["activity"], "uniform");
  }
}

TEST_F(SynthFlow, TruncAreaDoesNotGrowWithT) {
  double last = 1e300;
  int seen = 0;
  for (int t : {0, 4, 8, 12}) {
    const SynthResult* r = find("trunc:t=" + std::to_string(t));
    if (!r) continue;
    ++seen;
    EXPECT_LE(r->area_um2, last) << "t=" << t;
    last = r->area_um2;
  }
  if (!seen) GTEST_SKIP() << "trunc family not registered";
}

TEST_F(SynthFlow, ZeroOperandsUseLessDynamicPower) {
  const SynthResult& uniform = results_->front();
  const SynthResult& zero = zero_->front();
  ASSERT_EQ(uniform.spec.canonical(), zero.spec.canonical());
  EXPECT_LT(zero.simulated.dynamic_mw(), 0.5 * uniform.simulated.dynamic_mw());
  EXPECT_EQ(zero.mean_activity, 0);  // registers start at 0 and the operands stay 0: nothing toggles
  // The vectorless figure ignores the stream.
  EXPECT_NEAR(zero.vectorless.total_mw, uniform.vectorless.total_mw, 1e-9);
}

TEST_F(SynthFlow, RerunHitsTheCacheAndCorruptEntriesAreRecomputed) {
  SynthOptions opt;
  opt.cycles = 4000;
  SynthStats st;
  const auto again = synth_designs(*specs_, opt, &st);
  EXPECT_EQ(st.synthesized, 0);
  EXPECT_EQ(st.cached, static_cast<int>(specs_->size()));
  for (size_t k = 0; k < again.size(); ++k) {
    EXPECT_TRUE(again[k].cached);
    EXPECT_EQ(again[k].area_um2, (*results_)[k].area_um2);
    EXPECT_EQ(again[k].simulated.total_mw, (*results_)[k].simulated.total_mw);
  }
  // Truncate one entry's record: it must be detected and recomputed, with the same figures. The
  // cache also holds the zero-operand run of the fixture (mean activity 0), which this rerun does
  // not read: the entry is one of this run's, whatever order the directory lists them in.
  int truncated = 0;
  for (const auto& e : fs::recursive_directory_iterator(*scratch_ / "cache" / "synth")) {
    if (e.path().filename() != "result.json" || truncated) continue;
    const std::string text = read_file(e.path());
    if (nlohmann::json::parse(text).at("mean_activity").get<double>() == 0) continue;
    std::ofstream(e.path(), std::ios::trunc) << text.substr(0, text.size() / 2);
    ++truncated;
  }
  ASSERT_EQ(truncated > 0, true);
  SynthStats st2;
  const auto third = synth_designs(*specs_, opt, &st2);
  EXPECT_EQ(st2.synthesized, 1);
  EXPECT_EQ(st2.cached, static_cast<int>(specs_->size()) - 1);
  for (size_t k = 0; k < third.size(); ++k) EXPECT_EQ(third[k].area_um2, (*results_)[k].area_um2);
}

// ---------------------------------------------------------------------------------------------------
// The CLI on bad input: exit 2, one line on the terminal, no report written.

class SynthCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = gm::test::temp_dir("gm-synth-cli");
    out_ = dir_ / "out";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void expect_rejected(const std::string& args, const std::string& env = "", const std::string& needle = "") {
    const auto r = test::run_cli("synth exact -o '" + out_.string() + "' " + args, env);
    test::expect_one_line_error(r, needle);
    EXPECT_FALSE(fs::exists(out_ / "synth.json"));
    EXPECT_FALSE(fs::exists(out_ / "synth.csv"));
  }
  fs::path dir_, out_;
};

TEST_F(SynthCli, MissingLibFile) { expect_rejected("--lib /nonexistent/lib/x.lib", "", "does not exist"); }

TEST_F(SynthCli, UnknownLibName) { expect_rejected("--lib tsmc7", "", "unknown --lib 'tsmc7'"); }

TEST_F(SynthCli, MalformedActivityFile) {
  const fs::path f = dir_ / "bad.txt";
  std::ofstream(f) << "0 0 1\n3 x 2\n";
  expect_rejected("--activity '" + f.string() + "'", "", "bad.txt line 2");
  expect_rejected("--activity '" + (dir_ / "missing.txt").string() + "'", "", "does not exist");
  std::ofstream(f, std::ios::trunc) << "300 1 1\n";  // does not fit 8-bit operands
  expect_rejected("--activity '" + f.string() + "'", "", "is outside the range");
}

TEST_F(SynthCli, ToolsMissingFromPath) {
  const fs::path empty = dir_ / "bin";
  fs::create_directories(empty);
  expect_rejected("", "PATH='" + empty.string() + "' ", "yosys");
  // yosys present, sta missing.
  std::string yosys;
  for (const char* d : {"/usr/bin/yosys", "/usr/local/bin/yosys"})
    if (fs::exists(d)) yosys = d;
  if (yosys.empty()) return;
  fs::create_symlink(yosys, empty / "yosys");
  expect_rejected("", "PATH='" + empty.string() + "' ", "sta");
}

TEST_F(SynthCli, WritesReportsAndKeepsArtifacts) {
  if (!synth_tools_present()) GTEST_SKIP();
  const std::string env = "GREENMAC_CACHE='" + (dir_ / "cache").string() + "' ";
  const auto r = test::run_cli("synth yosys --cycles 2000 --csv -o '" + out_.string() + "'", env);
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(test::count_lines(r.out), 2) << r.out;  // header + one row
  EXPECT_TRUE(fs::exists(out_ / "synth.json"));
  EXPECT_TRUE(fs::exists(out_ / "synth.csv"));
  const fs::path d = out_ / parse_spec("yosys").name();
  for (const char* f : {"net.v", "synth.ys", "sta.tcl", "sta.log", "activity.tcl"}) EXPECT_TRUE(fs::exists(d / f)) << f;
  const auto j = nlohmann::json::parse(read_file(out_ / "synth.json"));
  ASSERT_EQ(j.size(), 1u);
  EXPECT_GT(j[0]["area_um2"].get<double>(), 0);
}

}  // namespace
}  // namespace gm
