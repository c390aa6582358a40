// The systolic array (generator/array/array.hpp) and its Verilator GEMM harness (tb/array_runner.hpp,
// tb/harness/array_main.cpp) against the golden GEMM and cycle model (models/golden_gemm.hpp); the
// golden GEMM and the configuration alone, which run no tool, are in array_model_test.cpp.
//
// Every GEMM result is compared with a product computed here independently: plain integer
// arithmetic for exact multipliers, and a direct loop over each PE's ModelFn (not the product
// tables the library uses) for approximate ones. Harness builds are cached (gm::cache_dir()), and
// each configuration is built once per test process.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <regex>

#include "tests/support/temp_dir.hpp"
#include "generator/array/array.hpp"
#include "cli/command.hpp"
#include "models/files.hpp"
#include "tb/array_runner.hpp"
#include "tb/lint.hpp"
#include "models/arith.hpp"
#include "models/golden_gemm.hpp"
#include "models/install_layout.hpp"
#include "tests/support/array_configs.hpp"
#include "tests/support/array_reference.hpp"
#include "tests/support/cli_util.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

using test::config;
using test::mapped;

const GemmRunner& runner(const ArrayConfig& cfg, MulModel model = MulModel::kLut) {
  static std::map<std::string, std::unique_ptr<GemmRunner>> built;
  auto& slot = built[cfg.canonical() + (model == MulModel::kLut ? "lut" : "gate")];
  if (!slot) slot = std::make_unique<GemmRunner>(cfg, model);
  return *slot;
}

int64_t count_mismatches(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  int64_t n = a.size() == b.size() ? 0 : 1 << 30;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) n += a[i] != b[i];
  return n;
}

GemmProblem filled(int64_t m, int64_t k, int64_t n, int32_t xv, int32_t wv) {
  GemmProblem p;
  p.m = m, p.k = k, p.n = n;
  p.x.assign(m * k, xv);
  p.w.assign(k * n, wv);
  return p;
}

// The configurations cover every generate branch of the rtl/ modules: zero-gated and plain PEs,
// signed and unsigned, a 2w-bit accumulator, the mutant, one and several multipliers, and the
// zero-length delay lines of 1x1 and one-column arrays.
ArrayConfig mutant_acc16() {
  ArrayConfig cfg = make_array_config(2, 2, parse_spec("exact:s=1"), "", 16, false);
  cfg.mutant_row = 0, cfg.mutant_col = 1;
  return cfg;
}

TEST(ArrayRtl, LintClean) {
  for (const auto& cfg : {mapped(2, 3, "exact:s=1", "row 1 drum:k=4,s=1\npe 0 2 trunc:t=6,s=1\n", true),
                          config(1, 1, "mitchell:s=0"), config(3, 1, "exact:s=1,arch=booth4"), mutant_acc16()}) {
    const fs::path dir = gm::test::temp_dir("gm-array-lint");
    const auto files = write_array(generate_array(cfg), dir);
    for (const auto& r : lint_files(files)) EXPECT_TRUE(r.clean) << cfg.name() << " " << r.tool << ":\n" << r.log;
    fs::remove_all(dir);
  }
}

std::string top_text(const ArrayRtl& rtl) { return rtl.files.front().text; }

// The top is generate loops over the grid: its length does not grow with the array (only the header's
// and PeMul's per-row lines do when the PEs differ). The 8x8 top was 1,485 lines when it was unrolled.
TEST(ArrayRtl, TopIsGenerateLoops) {
  const ArrayRtl a8 = generate_array(config(8, 8, "drum:k=4,s=1"));
  const ArrayRtl a16 = generate_array(config(16, 16, "drum:k=4,s=1"));
  EXPECT_EQ(test::count_lines(top_text(a8)), test::count_lines(top_text(a16)));
  EXPECT_LT(test::count_lines(top_text(a8)), 250);
  EXPECT_NE(top_text(a8).find("for (r = 0; r < Rows; r = r + 1) begin : g_row"), std::string::npos);
  EXPECT_NE(top_text(a8).find("localparam integer Rows     = 8;"), std::string::npos);
  // The rtl/ modules travel with the top, byte for byte the files of greenmac's rtl/ folder.
  for (const auto& m : array_rtl_modules()) {
    const auto f = std::find_if(a8.files.begin(), a8.files.end(), [&](const ArrayFile& x) { return x.name == m + ".v"; });
    ASSERT_NE(f, a8.files.end()) << m;
    EXPECT_EQ(f->text, read_file(data_dir() / "rtl" / (m + ".v"))) << m;
  }
}

// The header names every multiplier with its spec and the PE map, and its `regenerate:` command,
// run as it stands, writes the same files again.
TEST(ArrayRtl, HeaderCommandRegenerates) {
  const fs::path dir = gm::test::temp_dir("gm-array-header");
  write_file_atomic(dir / "map.txt", "row 1 drum:k=4,s=1\npe 0 2 trunc:t=6,s=1\n");
  const ArrayConfig mixed = make_array_config(2, 3, parse_spec("exact:s=1"), (dir / "map.txt").string(), 24, true);
  const ArrayConfig plain = make_array_config(3, 2, parse_spec("mitchell:s=0"), "", 32, false);
  for (const auto& [cfg, lut] : {std::pair{mixed, false}, std::pair{plain, true}}) {
    const ArrayRtl rtl = generate_array(cfg, lut ? MulModel::kLut : MulModel::kGate);
    const std::string top = top_text(rtl);
    const std::string head = top.substr(0, top.find("`default_nettype"));
    for (const auto& s : cfg.distinct_specs()) {
      EXPECT_NE(head.find(s.name() + " = " + s.canonical()), std::string::npos) << s.canonical() << "\n" << head;
      // Gate-level: a multiplier per PE; lookup tables: one shared table per multiplier.
      EXPECT_NE(top.find(s.name() + (lut ? " #(" : " u_mul (")), std::string::npos) << s.name();
      if (lut) {
        EXPECT_EQ(top.find(" u_mul ("), std::string::npos);
      }
    }
    if (cfg.distinct_specs().size() > 1) {
      // Indices by first appearance: exact 0, trunc 1, drum 2.
      EXPECT_NE(head.find("//   row 0: 0 0 1\n//   row 1: 2 2 2\n"), std::string::npos) << head;
      EXPECT_NE(head.find("--mul-map " + (dir / "map.txt").string()), std::string::npos) << head;
    }
    std::smatch m;
    ASSERT_TRUE(std::regex_search(head, m, std::regex(R"(// regenerate: greenmac (gen-array [^\n]*) -o DIR\n)"))) << head;
    const fs::path out = dir / (lut ? "lut" : "gate");
    const auto r = test::run_cli(m[1].str() + " -o " + out.string());
    ASSERT_EQ(r.rc, 0) << r.out;
    for (const auto& f : rtl.files) EXPECT_EQ(read_file(out / f.name), f.text) << f.name;
  }
  fs::remove_all(dir);
}

// When may a weight bank be refilled? The emitted header, the manifest and the hardware must agree.
// The test replays the full-rate schedule from nothing but the manifest's latencies and compares it
// with the cycles the Verilated array takes, on GEMMs with M = 1 where the refill wait decides the
// timing; the same replay with one edge less must disagree, so the number is pinned by the RTL.
int64_t replay_cycles(const nlohmann::json& lat, int64_t m, int64_t tiles, int64_t refill) {
  const int64_t load = lat.at("weight_load_beats"), first = lat.at("first_activation_after_last_weight_beat"),
                result = lat.at("result_after_activation");
  std::vector<int64_t> f(tiles), e(tiles);  // edge of the last weight beat and of the last activation
  for (int64_t i = 0; i < tiles; ++i) {
    int64_t start = i == 0 ? 1 : f[i - 1] + 1;                // weight beats follow each other
    if (i >= 2) start = std::max(start, e[i - 2] + refill);  // into the bank tile i-2 emptied
    f[i] = start + load - 1;
    const int64_t s = std::max(i == 0 ? 0 : e[i - 1] + 1, f[i] + first);
    e[i] = s + m - 1;
  }
  return e[tiles - 1] + result;
}

TEST(ArrayLatency, BankRefillFromTheRtl) {
  const ArrayConfig cfg = config(2, 3, "exact:s=1");
  const ArrayRtl rtl = generate_array(cfg, MulModel::kLut);
  const auto& lat = rtl.manifest.at("latency");
  const int64_t refill = lat.at("bank_refill_after_last_activation");
  std::smatch m;
  const std::string top = top_text(rtl);
  ASSERT_TRUE(std::regex_search(top, m, std::regex(R"(bank_refill_after_last_activation = (\d+)[^\n]*\n//\s+takes its first new weight beat at edge e \+ (\d+))")))
      << top.substr(0, 3000);
  EXPECT_EQ(std::stoll(m[1]), refill);
  EXPECT_EQ(std::stoll(m[2]), refill);

  std::vector<GemmProblem> ps;
  const int64_t shapes[][3] = {{1, 6, 3}, {1, 5, 7}, {2, 7, 9}, {1, 2, 12}, {3, 4, 6}};
  for (const auto& s : shapes) ps.push_back(random_gemm(cfg, s[0], s[1], s[2], 40 + ps.size()));
  const auto res = runner(cfg).run(ps);
  bool refill_decides = false;
  for (size_t i = 0; i < ps.size(); ++i) {
    const GemmTiling t{cfg.rows, cfg.cols, ps[i].m, ps[i].k, ps[i].n};
    EXPECT_EQ(static_cast<int64_t>(res[i].cycles), replay_cycles(lat, ps[i].m, t.tiles(), refill)) << i;
    refill_decides |= replay_cycles(lat, ps[i].m, t.tiles(), refill - 1) != replay_cycles(lat, ps[i].m, t.tiles(), refill);
  }
  EXPECT_TRUE(refill_decides);
}

// Random shapes on a 2x3 array: M = 1, K and N not multiples of the sides, K larger than the array,
// and the handshakes under random stalls. The lookup-table and gate-level builds agree.
TEST(ArrayGemm, RandomShapes2x3) {
  const ArrayConfig cfg = config(2, 3, "exact:s=1");
  std::vector<GemmProblem> ps;
  const int64_t shapes[][3] = {{1, 1, 1}, {1, 5, 7}, {4, 2, 3}, {7, 9, 4}, {3, 13, 8}, {12, 5, 2}};
  uint64_t seed = 1;
  for (const auto& s : shapes) ps.push_back(random_gemm(cfg, s[0], s[1], s[2], seed++));
  for (const auto& s : shapes) {
    ps.push_back(random_gemm(cfg, s[0], s[1], s[2], seed++));
    ps.back().stall_seed = seed;
  }
  const auto lut = runner(cfg).run(ps);
  const auto gate = runner(cfg, MulModel::kGate).run(ps);
  for (size_t i = 0; i < ps.size(); ++i) {
    const auto& p = ps[i];
    EXPECT_EQ(count_mismatches(lut[i].y, test::array_reference(cfg, p)), 0) << p.m << "x" << p.k << "x" << p.n;
    EXPECT_EQ(count_mismatches(gate[i].y, lut[i].y), 0);
    EXPECT_EQ(gate[i].cycles, lut[i].cycles);
    if (!p.stall_seed) EXPECT_EQ(lut[i].cycles, gemm_cycles(cfg, p.m, p.k, p.n)) << p.m << "x" << p.k << "x" << p.n;
    else EXPECT_GE(lut[i].cycles, gemm_cycles(cfg, p.m, p.k, p.n));
  }
}

TEST(ArrayGemm, ExtremeOperands) {
  const ArrayConfig cfg = config(2, 3, "exact:s=1");
  std::vector<GemmProblem> ps = {filled(3, 5, 4, -128, -128), filled(3, 5, 4, 127, 127), filled(2, 4, 5, -128, 127)};
  GemmProblem alt = filled(4, 7, 5, 0, 0);
  for (size_t i = 0; i < alt.x.size(); ++i) alt.x[i] = i % 2 ? 127 : -128;
  for (size_t i = 0; i < alt.w.size(); ++i) alt.w[i] = i % 3 ? -128 : 127;
  ps.push_back(alt);
  const auto res = runner(cfg).run(ps);
  for (size_t i = 0; i < ps.size(); ++i) EXPECT_EQ(count_mismatches(res[i].y, test::array_reference(cfg, ps[i])), 0) << i;
  EXPECT_EQ(res[0].y[0], 5 * 16384);  // -128 * -128 summed over K = 5
}

// Accumulator wrap-around: a 16-bit accumulator overflows at K = 2 > K_max = 1 and must wrap
// exactly like the reference.
TEST(ArrayGemm, AccumulatorWraps) {
  ArrayConfig cfg = make_array_config(2, 2, parse_spec("exact:s=1"), "", 16, false);
  const GemmProblem p = filled(2, 6, 3, -128, -128);
  const auto r = runner(cfg).run(p);
  EXPECT_EQ(r.y[0], wrap(6 * 16384, 16, true));
  EXPECT_EQ(count_mismatches(r.y, test::array_reference(cfg, p)), 0);
}

TEST(ArrayGemm, Approximate1x1) {
  const ArrayConfig cfg = config(1, 1, "drum:k=4,s=1");
  std::vector<GemmProblem> ps = {random_gemm(cfg, 1, 1, 1, 3), random_gemm(cfg, 5, 3, 4, 4), filled(2, 3, 2, -128, 127)};
  const auto res = runner(cfg).run(ps);
  for (size_t i = 0; i < ps.size(); ++i) {
    EXPECT_EQ(count_mismatches(res[i].y, test::array_reference(cfg, ps[i])), 0);
    EXPECT_EQ(res[i].cycles, gemm_cycles(cfg, ps[i].m, ps[i].k, ps[i].n));
  }
}

// A mixed mul-map of three approximate families and the exact one, with and without zero gating:
// identical outputs, equal to the per-PE reference (which differs from the exact product).
TEST(ArrayGemm, MixedMapZeroGate4x4) {
  const std::string map = "row 0 drum:k=4,s=1\nrow 1 trunc:t=6,s=1\ncol 3 mitchell:s=1\npe 2 2 drum:k=3,s=1\n";
  const ArrayConfig plain = mapped(4, 4, "exact:s=1", map, false);
  const ArrayConfig gated = mapped(4, 4, "exact:s=1", map, true);
  std::vector<GemmProblem> ps = {random_gemm(plain, 9, 11, 7, 5), random_gemm(plain, 1, 17, 5, 6)};
  GemmProblem sparse = random_gemm(plain, 6, 10, 9, 7);
  for (size_t i = 0; i < sparse.x.size(); i += 3) sparse.x[i] = 0;
  for (size_t i = 0; i < sparse.w.size(); i += 2) sparse.w[i] = 0;
  ps.push_back(sparse);
  const auto a = runner(plain).run(ps);
  const auto b = runner(gated).run(ps);
  bool differs_from_exact = false;
  for (size_t i = 0; i < ps.size(); ++i) {
    const auto ref = test::array_reference(plain, ps[i]);
    EXPECT_EQ(count_mismatches(a[i].y, ref), 0) << i;
    EXPECT_EQ(count_mismatches(b[i].y, a[i].y), 0) << i;
    EXPECT_EQ(a[i].cycles, b[i].cycles);
    EXPECT_EQ(a[i].cycles, gemm_cycles(plain, ps[i].m, ps[i].k, ps[i].n));
    differs_from_exact |= count_mismatches(ref, test::array_reference(config(4, 4, "exact:s=1"), ps[i])) > 0;
  }
  EXPECT_TRUE(differs_from_exact);
}

// Gate-level PEs with five distinct multipliers: each is its own Verilator hier_block (compiled once,
// shared by its PEs); every PE still multiplies with its own design (the per-PE reference).
TEST(ArrayGemm, GateLevelMixedMapOneHierBlockPerMultiplier) {
  const std::string map = "row 0 drum:k=4,s=1\nrow 1 trunc:t=6,s=1\ncol 3 mitchell:s=1\npe 2 2 drum:k=3,s=1\n";
  const ArrayConfig cfg = mapped(4, 4, "exact:s=1", map, false);
  const GemmProblem p = random_gemm(cfg, 9, 11, 7, 5);
  const auto r = runner(cfg, MulModel::kGate).run(p);
  EXPECT_EQ(count_mismatches(r.y, test::array_reference(cfg, p)), 0);
  EXPECT_EQ(r.cycles, gemm_cycles(cfg, p.m, p.k, p.n));
}

TEST(ArrayGemm, GateLevelZeroGate) {
  const ArrayConfig cfg = config(3, 2, "trunc:t=6,s=1", true);
  GemmProblem p = random_gemm(cfg, 5, 7, 3, 11);
  for (size_t i = 0; i < p.x.size(); i += 2) p.x[i] = 0;
  const auto r = runner(cfg, MulModel::kGate).run(p);
  EXPECT_EQ(count_mismatches(r.y, test::array_reference(cfg, p)), 0);
}

// A one-row zero-gated array: its PEs read each tile's weight right after the registered bank
// write (rtl/gm_array_pe.v), on the first tile and on every refill, with zero activations held.
TEST(ArrayGemm, OneRowZeroGate) {
  const ArrayConfig cfg = config(1, 3, "exact:s=1", true);
  std::vector<GemmProblem> ps = {random_gemm(cfg, 1, 1, 3, 12), random_gemm(cfg, 4, 5, 7, 13),
                                 random_gemm(cfg, 1, 6, 2, 14)};
  const auto res = runner(cfg).run(ps);
  for (size_t i = 0; i < ps.size(); ++i) {
    EXPECT_EQ(count_mismatches(res[i].y, test::array_reference(cfg, ps[i])), 0) << i;
    EXPECT_EQ(res[i].cycles, gemm_cycles(cfg, ps[i].m, ps[i].k, ps[i].n)) << i;
  }
}

TEST(ArrayGemm, Large8x8And16x16) {
  const ArrayConfig a8 = config(8, 8, "drum:k=4,s=1");
  const GemmProblem p8 = random_gemm(a8, 70, 45, 19, 21);
  const GemmProblem q8 = random_gemm(a8, 64, 45, 19, 23);  // M a multiple of D = 16: the closed form
  const auto r8s = runner(a8).run({p8, q8});
  const auto& r8 = r8s[0];
  EXPECT_EQ(count_mismatches(r8.y, test::array_reference(a8, p8)), 0);
  EXPECT_EQ(r8.cycles, gemm_cycles(a8, 70, 45, 19));
  // 70 = 4 chunks of 16 + a ragged chunk of 6 rows, too short to hide a load: no closed form.
  EXPECT_EQ(gemm_cycles_closed_form(array_timing(a8), 70, 45, 19), 0u);
  EXPECT_EQ(count_mismatches(r8s[1].y, test::array_reference(a8, q8)), 0);
  EXPECT_EQ(r8s[1].cycles, gemm_cycles_closed_form(array_timing(a8), 64, 45, 19));

  const ArrayConfig a16 = config(16, 16, "exact:s=1");
  const GemmProblem p16 = random_gemm(a16, 33, 40, 35, 22);
  const auto r16 = runner(a16).run(p16);
  EXPECT_EQ(count_mismatches(r16.y, test::array_reference(a16, p16)), 0);
  EXPECT_EQ(r16.cycles, gemm_cycles(a16, 33, 40, 35));
}

TEST(ArrayGemm, MutantIsCaught) {
  ArrayConfig cfg = config(2, 2, "exact:s=1");
  cfg.mutant_row = 1;
  cfg.mutant_col = 0;
  const GemmProblem p = random_gemm(cfg, 3, 4, 3, 8);
  const auto r = runner(cfg).run(p);
  const auto ref = test::array_reference(cfg, p);
  // Columns n with n mod 2 = 0 pass the mutant PE: off by one per K slice (K = 4: two slices).
  EXPECT_GT(count_mismatches(r.y, ref), 0);
  for (int64_t i = 0; i < p.m; ++i)
    for (int64_t j = 0; j < p.n; ++j) EXPECT_EQ(r.y[i * p.n + j], ref[i * p.n + j] + (j % 2 == 0 ? 2 : 0));
}

// ---- CLI

TEST(ArrayCli, GemmJsonPasses) {
  const auto r = test::run_cli("gemm --array 2x3 --mul exact:s=1 --m 4 --k 5 --n 7 --seed 3 --json");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"array", "mul", "m", "k", "n", "cycles", "cycles_model", "macs", "mismatches"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["mismatches"], 0);
  EXPECT_EQ(j["cycles"], j["cycles_model"]);
  EXPECT_EQ(j["macs"], 4 * 5 * 7);
}

TEST(ArrayCli, GenArrayWritesFilesAndKMax) {
  const fs::path dir = gm::test::temp_dir("gm-array-cli");
  const auto r = test::run_cli("gen-array --rows 2 --cols 2 --mul drum:k=4,s=1 -o '" + (dir / "out").string() + "'");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_NE(r.out.find("K_max = "), std::string::npos);
  const auto manifest = nlohmann::json::parse(read_file(dir / "out" / "manifest.json"));
  for (const auto& f : manifest["files"]) EXPECT_TRUE(fs::exists(dir / "out" / f.get<std::string>()));
  fs::remove_all(dir);
}

TEST(ArrayCli, BadInputOneLineExit2NoFiles) {
  const fs::path dir = gm::test::temp_dir("gm-array-bad");
  write_file_atomic(dir / "unknown.map", "row 0 nosuch:k=1\n");
  write_file_atomic(dir / "badline.map", "row 0\n");
  write_file_atomic(dir / "mixed.map", "pe 0 0 exact:w=4,s=1\n");
  write_file_atomic(dir / "file", "x");
  const std::string out = (dir / "out").string();
  const std::vector<std::string> cases = {
      "gemm --array 8by8 --m 1 --k 1 --n 1",
      "gemm --array 0x3 --m 1 --k 1 --n 1",
      "gen-array --rows 2 --cols 2 --mul-map '" + (dir / "unknown.map").string() + "' -o '" + out + "'",
      "gen-array --rows 2 --cols 2 --mul-map '" + (dir / "badline.map").string() + "' -o '" + out + "'",
      "gen-array --rows 2 --cols 2 --mul-map '" + (dir / "mixed.map").string() + "' -o '" + out + "'",
      "gen-array --rows 2 --cols 2 --mul nosuch -o '" + out + "'",
      "gen-array --rows 2 --cols 2 --acc-width 8 -o '" + out + "'",
      "gen-array --rows 2 --cols 2 -o '" + (dir / "file" / "sub").string() + "'",
  };
  for (const auto& c : cases) {
    const auto r = test::run_cli(c);
    SCOPED_TRACE(c);
    test::expect_one_line_error(r, "");
    EXPECT_FALSE(fs::exists(out)) << c;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gm
