// Exports: the lut-bin read back and compared with the model on every pair (and with TFApprox's own
// definition of the exact table); the c-header and the c-model compiled with the system C compiler
// and compared with the model on every pair, for every registered family, unsigned and signed; the
// Verilog-to-C translator on a hand-made netlist; and bad input on the command line.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "tests/support/temp_dir.hpp"
#include "cli/command.hpp"
#include "generator/export.hpp"
#include "models/files.hpp"
#include "generator/registry.hpp"
#include "models/arith.hpp"
#include "tests/support/cli_util.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;
using gm::test::count_lines;
using gm::test::expect_one_line_error;
using gm::test::run_cli;

namespace {


// Little-endian element i of a lut-bin, sign-extended when the design is signed.
int64_t lut_entry(const std::string& bin, uint64_t i, int bytes, bool is_signed) {
  uint64_t u = 0;
  for (int k = 0; k < bytes; ++k) u |= uint64_t{static_cast<unsigned char>(bin[i * bytes + k])} << (8 * k);
  return gm::wrap(static_cast<int64_t>(u), 8 * bytes, is_signed);
}

// Every pair, from the model directly (not through the product table).
void expect_lut_bin_matches_model(const gm::Spec& spec) {
  const std::string bin = gm::export_design(spec, gm::ExportFormat::kLutBin);
  const int bytes = spec.w <= 8 ? 2 : 4;
  const uint64_t side = uint64_t{1} << spec.w;
  ASSERT_EQ(bin.size(), side * side * bytes) << spec.canonical();
  const auto model = spec.def().make_model(spec);
  for (uint64_t a = 0; a < side; ++a)
    for (uint64_t b = 0; b < side; ++b) {
      const int64_t av = gm::wrap(static_cast<int64_t>(a), spec.w, spec.is_signed);
      const int64_t bv = gm::wrap(static_cast<int64_t>(b), spec.w, spec.is_signed);
      const int64_t got = lut_entry(bin, a * side + b, bytes, spec.is_signed);
      if (got != model(av, bv)) {
        ADD_FAILURE() << spec.canonical() << ": lut-bin[" << a << "*" << side << "+" << b << "] = " << got
                      << ", model(" << av << ", " << bv << ") = " << model(av, bv);
        return;
      }
    }
}

// The designs compiled in C: every family with a generator at its default points (w = 8) and at one
// random point of odd width, unsigned and signed; wide designs get the c-model only.
struct CompileCase {
  gm::Spec spec;
  bool table;  // also compile its c-header
};

std::vector<CompileCase> compile_cases() {
  std::vector<CompileCase> out;
  std::mt19937_64 rng(7);
  for (const auto* f : gm::all_families()) {
    if (!gm::rtl::find_generator(f->name) || !f->in_sweeps) continue;  // ext needs a user's file
    std::vector<std::string> points = f->default_points;
    if (points.empty()) points.push_back("");
    for (int s = 0; s <= 1; ++s) {
      // The table's values are checked on every pair through lut-bin above; compiling one 8-bit
      // header per family and signedness checks the C form (a 256 x 256 header takes 0.2 s to compile).
      for (const auto& p : points)
        out.push_back({gm::parse_spec(f->name + ":w=8,s=" + std::to_string(s) + (p.empty() ? "" : "," + p)),
                       &p == &points.front()});
      try {
        out.push_back({gm::random_spec(rng, *f, 5, s == 1), true});
      } catch (const std::logic_error&) {
        // the family has no valid point at w = 5
      }
    }
  }
  out.push_back({gm::parse_spec("exact:w=16,s=1"), false});
  out.push_back({gm::parse_spec("exact:w=13,arch=booth4"), false});
  out.push_back({gm::parse_spec("yosys:w=16"), false});
  out.push_back({gm::parse_spec("yosys:w=16,s=1"), false});
  return out;
}

// The pairs a case is checked on: all of them up to w = 8, else corners and seeded random pairs.
std::vector<std::pair<uint64_t, uint64_t>> case_pairs(int w) {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  const uint64_t side = uint64_t{1} << w;
  if (w <= 8) {
    for (uint64_t a = 0; a < side; ++a)
      for (uint64_t b = 0; b < side; ++b) out.emplace_back(a, b);
    return out;
  }
  gm::PairStream stream(w, 20'000, 3);
  for (uint64_t k = 0; k < stream.total(); ++k) {
    uint64_t a, b;
    stream.pair(k, a, b);
    out.emplace_back(a, b);
  }
  return out;
}

void write_int64s(const fs::path& path, const std::vector<int64_t>& v) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(int64_t)));
}

// A C program that checks every case against the expected file the test writes from the model:
// each file is n, then n triples (a_bits, b_bits, expected). The c-model is called with the natural
// operands and with the raw bit patterns (it must read only the low w bits); the table with the patterns.
std::string harness_main(const std::vector<CompileCase>& cases) {
  std::ostringstream c;
  c << "#include <stdint.h>\n#include <stdio.h>\n\n";
  for (size_t k = 0; k < cases.size(); ++k) {
    c << "int64_t " << cases[k].spec.name() << "(int64_t a, int64_t b);\n";
    if (cases[k].table) c << "int64_t lut_get_" << k << "(uint64_t a, uint64_t b);\n";
  }
  c << R"(
typedef int64_t (*model_fn)(int64_t, int64_t);
typedef int64_t (*table_fn)(uint64_t, uint64_t);

static int64_t natural(uint64_t bits, int w, int s) {
  if (s && (bits >> (w - 1)) & 1) return (int64_t)bits - ((int64_t)1 << w);
  return (int64_t)bits;
}

static int check(int k, const char* name, int w, int s, model_fn m, table_fn t) {
  char file[64];
  snprintf(file, sizeof file, "exp_%d.bin", k);
  FILE* f = fopen(file, "rb");
  if (!f) { printf("%s: cannot open %s\n", name, file); return 1; }
  int64_t n = 0, trip[3];
  if (fread(&n, sizeof n, 1, f) != 1) { printf("%s: empty %s\n", name, file); fclose(f); return 1; }
  for (int64_t i = 0; i < n; ++i) {
    if (fread(trip, sizeof trip, 1, f) != 1) { printf("%s: short %s\n", name, file); fclose(f); return 1; }
    const uint64_t a = (uint64_t)trip[0], b = (uint64_t)trip[1];
    const int64_t want = trip[2];
    const int64_t got = m(natural(a, w, s), natural(b, w, s));
    const int64_t got_bits = m((int64_t)a, (int64_t)b);
    if (got != want || got_bits != want) {
      printf("%s: c-model(%lld, %lld) = %lld (from bit patterns %lld), model says %lld\n", name,
             (long long)natural(a, w, s), (long long)natural(b, w, s), (long long)got, (long long)got_bits,
             (long long)want);
      fclose(f);
      return 1;
    }
    if (t && t(a, b) != want) {
      printf("%s: lut[%llu][%llu] = %lld, model says %lld\n", name, (unsigned long long)a,
             (unsigned long long)b, (long long)t(a, b), (long long)want);
      fclose(f);
      return 1;
    }
  }
  fclose(f);
  printf("%s: ok %lld\n", name, (long long)n);
  return 0;
}

int main(void) {
  int bad = 0;
)";
  for (size_t k = 0; k < cases.size(); ++k) {
    const auto& s = cases[k].spec;
    c << "  bad += check(" << k << ", \"" << s.name() << "\", " << s.w << ", " << (s.is_signed ? 1 : 0) << ", "
      << s.name() << ", " << (cases[k].table ? "lut_get_" + std::to_string(k) : std::string("0")) << ");\n";
  }
  c << "  return bad != 0;\n}\n";
  return c.str();
}

}  // namespace

TEST(Export, FormatNames) {
  EXPECT_EQ(gm::parse_export_format("lut-bin"), gm::ExportFormat::kLutBin);
  EXPECT_EQ(gm::parse_export_format("c-header"), gm::ExportFormat::kCHeader);
  EXPECT_EQ(gm::parse_export_format("c-model"), gm::ExportFormat::kCModel);
  EXPECT_THROW(gm::parse_export_format("npy"), gm::UserError);
}

// TFApprox fills its table, when no file is given, with lookupTable[i] = (i >> 8) * (i & 0xFF) as
// uint16 (tf2/src/approx_ops_types.h), and reads a file into the same array: so our exact unsigned
// 8-bit table must be exactly that array, little-endian.
TEST(Export, LutBinIsTfApproxLayoutForExactUnsigned8Bit) {
  const std::string bin = gm::export_design(gm::parse_spec("exact:w=8,s=0"), gm::ExportFormat::kLutBin);
  ASSERT_EQ(bin.size(), 65536u * 2);
  for (uint32_t i = 0; i < 65536; ++i) {
    const uint16_t want = static_cast<uint16_t>((i >> 8) * (i & 0xFF));
    const uint16_t got = static_cast<uint16_t>(static_cast<unsigned char>(bin[2 * i]) |
                                               (static_cast<unsigned char>(bin[2 * i + 1]) << 8));
    ASSERT_EQ(got, want) << "index " << i;
  }
}

TEST(Export, LutBinMatchesTheModelForEveryDefaultDesign) {
  for (const auto& spec : gm::default_set()) expect_lut_bin_matches_model(spec);
}

TEST(Export, LutBinOtherWidths) {
  expect_lut_bin_matches_model(gm::parse_spec("exact:w=4,s=1"));  // 2-byte elements, sign-extended
  expect_lut_bin_matches_model(gm::parse_spec("exact:w=3"));
  expect_lut_bin_matches_model(gm::parse_spec("exact:w=12,s=1"));  // 4-byte elements, 16 M pairs
}

TEST(Export, TablesRefuseWidthsAboveTwelve) {
  for (auto f : {gm::ExportFormat::kLutBin, gm::ExportFormat::kCHeader}) {
    try {
      gm::export_design(gm::parse_spec("exact:w=13"), f);
      ADD_FAILURE() << "w=13 table accepted";
    } catch (const gm::UserError& e) {
      EXPECT_NE(std::string(e.what()).find("limited to w <= 12"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("c-model"), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW(gm::export_design(gm::parse_spec("exact:w=13"), gm::ExportFormat::kCModel));
}

TEST(Export, CHeaderHasAdaptsDeclaration) {
  const std::string s8 = gm::export_design(gm::parse_spec("exact:s=1"), gm::ExportFormat::kCHeader);
  EXPECT_NE(s8.find("#include <stdint.h>"), std::string::npos);
  EXPECT_NE(s8.find("\nconst int16_t lut[256][256] = {\n{0, 0, "), std::string::npos);
  // Row 1 in pattern order: 0, 1, ..., 127, -128, ..., -1, as in AdaPT's mul8s_acc.h.
  EXPECT_NE(s8.find("\n{0, 1, 2, "), std::string::npos);
  EXPECT_NE(s8.find(", 126, 127, -128, -127, "), std::string::npos);
  EXPECT_EQ(s8.rfind("// generated by greenmac", 0), 0u);
  const std::string u8 = gm::export_design(gm::parse_spec("exact"), gm::ExportFormat::kCHeader);
  EXPECT_NE(u8.find("const uint16_t lut[256][256]"), std::string::npos);
  const std::string u10 = gm::export_design(gm::parse_spec("exact:w=10"), gm::ExportFormat::kCHeader);
  EXPECT_NE(u10.find("const uint32_t lut[1024][1024]"), std::string::npos);
}

// The translator on a hand-made netlist: the ?: condition is a negated bit (which in C would be
// ~x = 0xFFFFFFFE, always true, were ~ translated literally), and wires come out of order.
TEST(Export, TranslatorKeepsBitSemantics) {
  const std::string v = R"(
module t (input wire [1:0] a_i, input wire [1:0] b_i, output wire [3:0] y_o);
  wire m0, n0, x0;
  assign y_o[0] = m0;
  assign m0 = n0 ? a_i[1] : b_i[1];   // n0 is defined below
  assign n0 = ~a_i[0];
  assign x0 = ~(a_i[0] & b_i[0]) ^ a_i[1] | b_i[0];
  assign y_o[1] = x0;
  assign y_o[2] = 1'b1;
  assign y_o[3] = 1'b0;
endmodule
)";
  const std::string c = gm::verilog_to_c(v, "t", 2, false, {"test"});
  EXPECT_NE(c.find("const uint32_t g_n0 = (ai[0] ^ 1u);"), std::string::npos) << c;
  EXPECT_LT(c.find("g_n0 ="), c.find("g_m0 ="));
  // Verilog precedence: ^ binds tighter than |, so x0 = (~(a0 & b0) ^ a1) | b0.
  EXPECT_NE(c.find("g_x0 = ((((ai[0] & bi[0]) ^ 1u) ^ ai[1]) | bi[0]);"), std::string::npos) << c;
  EXPECT_NE(c.find("y |= (uint64_t)(1u) << 2;"), std::string::npos) << c;
}

TEST(Export, TranslatorRejectsWhatItCannotTranslate) {
  auto module = [](const std::string& body) {
    return "module t (input wire [1:0] a_i, input wire [1:0] b_i, output wire [3:0] y_o);\n" + body +
           "\n  assign y_o[1] = 1'b0;\n  assign y_o[2] = 1'b0;\n  assign y_o[3] = 1'b0;\nendmodule\n";
  };
  auto message = [](const std::string& v) {
    try {
      gm::verilog_to_c(v, "t", 2, false, {});
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(module("assign y_o[0] = p; assign p = q; assign q = ~p;")).find("loop"), std::string::npos);
  EXPECT_NE(message(module("assign y_o[0] = ghost;")).find("never assigned"), std::string::npos);
  EXPECT_NE(message(module("assign y_o[0] = a_i[0] + b_i[0];")).find("'+'"), std::string::npos);
  EXPECT_NE(message(module("assign y_o[0] = a_i[2];")).find("not an input bit"), std::string::npos);
  EXPECT_NE(message("module t; assign y_o[0] = 1'b0; endmodule").find("y_o[1]"), std::string::npos);
  // An unreachable construct (lowRISC's unused-input fold) is not translated, so it is no error.
  EXPECT_EQ(message(module("assign y_o[0] = a_i[0];\n  wire unused_inputs;\n  assign unused_inputs = ^{b_i[0], b_i[1]};")),
            "no error");
}

// Every family, both signednesses: c-model and c-header compiled with cc, checked on every pair.
TEST(Export, CompiledCModelAndCHeaderMatchTheModel) {
  if (!gm::have_tool("cc")) GTEST_SKIP() << "no C compiler (cc) on PATH";
  const auto cases = compile_cases();
  const fs::path dir = gm::test::temp_dir("gm-test-export");
  std::string sources = "main.c";
  for (size_t k = 0; k < cases.size(); ++k) {
    const auto& spec = cases[k].spec;
    const std::string ks = std::to_string(k);
    gm::write_file_atomic(dir / ("model_" + ks + ".c"), gm::export_design(spec, gm::ExportFormat::kCModel));
    sources += "\nmodel_" + ks + ".c";
    if (cases[k].table) {
      gm::write_file_atomic(dir / ("lut_" + ks + ".h"), gm::export_design(spec, gm::ExportFormat::kCHeader));
      // Each header declares `lut`, as AdaPT wants; renamed per unit so that all link together.
      gm::write_file_atomic(dir / ("lut_" + ks + ".c"),
                            "#include <stdint.h>\n#define lut lut_" + ks + "\n#include \"lut_" + ks +
                                ".h\"\nint64_t lut_get_" + ks + "(uint64_t a, uint64_t b) { return lut_" + ks +
                                "[a][b]; }\n");
      sources += "\nlut_" + ks + ".c";
    }
    const auto model = spec.def().make_model(spec);
    const auto pairs = case_pairs(spec.w);
    std::vector<int64_t> expected = {static_cast<int64_t>(pairs.size())};
    for (const auto& [a, b] : pairs) {
      expected.push_back(static_cast<int64_t>(a));
      expected.push_back(static_cast<int64_t>(b));
      expected.push_back(model(gm::wrap(static_cast<int64_t>(a), spec.w, spec.is_signed),
                               gm::wrap(static_cast<int64_t>(b), spec.w, spec.is_signed)));
    }
    write_int64s(dir / ("exp_" + ks + ".bin"), expected);
  }
  gm::write_file_atomic(dir / "main.c", harness_main(cases));
  gm::write_file_atomic(dir / "sources.txt", sources + "\n");
  // Compiled in parallel batches by xargs (reading the list itself: no shell), then linked.
  const auto compile = gm::run_program(
      {"xargs", "-a", "sources.txt", "-P", "4", "-n", "6", "cc", "-std=c99", "-O0", "-Wall", "-Werror", "-c"},
      {.cwd = dir});
  ASSERT_TRUE(compile.ok()) << compile.output;
  std::vector<std::string> link = {"cc", "-o", "check"};
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".o") link.push_back(e.path().filename().string());
  const auto build = gm::run_program(link, {.cwd = dir});
  ASSERT_TRUE(build.ok()) << build.output;
  const auto check = gm::run_program({(dir / "check").string()}, {.cwd = dir});
  const int run = check.exit_code;
  const std::string& log = check.output;
  EXPECT_EQ(run, 0) << log;
  EXPECT_EQ(static_cast<size_t>(std::count(log.begin(), log.end(), '\n')), cases.size()) << log;
  // At least the exact, yosys and one approximate family took part.
  EXPECT_NE(log.find("gm_exact_s8_dadda: ok 65536"), std::string::npos) << log;
  EXPECT_NE(log.find("gm_yosys_u16: ok 20000"), std::string::npos) << log;
  if (run == 0) fs::remove_all(dir);
}

// ---- the command ------------------------------------------------------------------------------

TEST(ExportCli, WritesEachFormat) {
  const fs::path dir = gm::test::temp_dir("gm-test-export-cli");
  const auto r = run_cli("export 'exact:s=1' --format lut-bin -o " + (dir / "t.bin").string());
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(fs::file_size(dir / "t.bin"), 131072u);
  ASSERT_EQ(run_cli("export 'exact:w=4' --format c-header -o " + (dir / "t.h").string()).rc, 0);
  EXPECT_NE(gm::read_file(dir / "t.h").find("const uint16_t lut[16][16]"), std::string::npos);
  ASSERT_EQ(run_cli("export yosys --format c-model -o " + (dir / "t.c").string()).rc, 0);
  EXPECT_NE(gm::read_file(dir / "t.c").find("int64_t gm_yosys_u8(int64_t a, int64_t b) {"), std::string::npos);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 3);  // no temporaries left
  fs::remove_all(dir);
}

TEST(ExportCli, BadInputGivesOneLineAndNoFile) {
  const fs::path dir = gm::test::temp_dir("gm-test-export-bad");
  const std::string out = (dir / "x.bin").string();
  expect_one_line_error(run_cli("export exact --format npy -o " + out), "unknown export format 'npy'");
  expect_one_line_error(run_cli("export 'exact:w=16' --format lut-bin -o " + out), "limited to w <= 12");
  expect_one_line_error(run_cli("export 'exact:w=13' --format c-header -o " + out), "use --format c-model");
  expect_one_line_error(run_cli("export 'exact:k=3' --format c-model -o " + out), "unknown key 'k'");
  expect_one_line_error(run_cli("export exact --format lut-bin -o " + (dir / "no" / "such" / "x.bin").string()),
                        "cannot write");
  fs::create_directories(dir / "taken");
  expect_one_line_error(run_cli("export exact --format lut-bin -o " + (dir / "taken").string()), "cannot write");
  EXPECT_TRUE(fs::is_empty(dir / "taken"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);  // only "taken"
  fs::remove_all(dir);
}
