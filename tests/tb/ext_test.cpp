// External designs: a third-party module goes through gen and verify like a native design, and
// modules that do not fit get a clear one-line error.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/temp_dir.hpp"
#include "models/files.hpp"
#include "tb/verify.hpp"
#include "models/spec.hpp"
#include "tests/support/cli_util.hpp"

namespace fs = std::filesystem;
using gm::test::run_cli;

namespace {

struct ExtFiles {
  fs::path dir = gm::test::temp_dir("gm-test-ext");
  ExtFiles() {
    // EvoApproxLib-style ports; off by one whenever a0 & b3 (an error the table must capture).
    gm::write_file_atomic(dir / "approx.v",
                          "module mul4u_odd (A, B, O);\n  input [3:0] A;\n  input [3:0] B;\n  output [7:0] O;\n"
                          "  assign O = A * B + {7'b0, A[0] & B[3]};\nendmodule\n");
    gm::write_file_atomic(dir / "signed.v",
                          "module smul (input signed [4:0] x, input signed [4:0] y, output signed [9:0] p);\n"
                          "  assign p = x * y;\nendmodule\n");
    gm::write_file_atomic(dir / "broken.v", "module oops (input [3:0] A; endmodule\n");
    gm::write_file_atomic(dir / "seq.v",
                          "module regmul (input clk, input [3:0] A, input [3:0] B, output reg [7:0] O);\n"
                          "  always @(posedge clk) O <= A * B;\nendmodule\n");
    gm::write_file_atomic(dir / "seq2.v",
                          "module regmul2 (input [3:0] A, input [3:0] B, output reg [7:0] O);\n"
                          "  always @(posedge A[0]) O <= A * B;\nendmodule\n");
  }
  ~ExtFiles() { fs::remove_all(dir); }
  std::string spec(const std::string& file, const std::string& rest) const {
    return "ext:path=" + (dir / file).string() + "," + rest;
  }
};

}  // namespace

TEST(Ext, ModelIsTheSimulatedTruthTable) {
  ExtFiles f;
  const auto spec = gm::parse_spec(f.spec("approx.v", "top=mul4u_odd,a=A,b=B,y=O,w=4"));
  // The name ends in "_h" and 8 hex digits of the file's contents (docs/spec-strings.md).
  EXPECT_TRUE(std::regex_match(spec.name(), std::regex("gm_ext_u4_mul4u_odd_h[0-9a-f]{8}"))) << spec.name();
  const auto model = spec.def().make_model(spec);
  for (int a = 0; a < 16; ++a)
    for (int b = 0; b < 16; ++b) EXPECT_EQ(model(a, b), a * b + ((a & 1) & (b >> 3))) << a << "*" << b;
}

TEST(Ext, SignedModuleReadAsSigned) {
  ExtFiles f;
  const auto spec = gm::parse_spec(f.spec("signed.v", "top=smul,a=x,b=y,y=p,w=5,s=1"));
  const auto model = spec.def().make_model(spec);
  for (int a = -16; a < 16; ++a)
    for (int b = -16; b < 16; ++b) EXPECT_EQ(model(a, b), a * b);
}

TEST(Ext, VerifiesInBothSimulatorsAndGeneratesAWrapper) {
  ExtFiles f;
  const std::string spec = f.spec("approx.v", "top=mul4u_odd,a=A,b=B,y=O,w=4");
  const std::string name = gm::parse_spec(spec).name();
  for (const std::string sim : {"verilator", "icarus"}) {
    const auto r = run_cli("verify '" + spec + "' exact:w=4 --sim " + sim);
    EXPECT_EQ(r.rc, 0) << r.out;
    EXPECT_NE(r.out.find("PASS " + name + "  256 pairs (exhaustive)"), std::string::npos) << r.out;
  }
  const auto g = run_cli("gen '" + spec + "' -o " + (f.dir / "out").string());
  ASSERT_EQ(g.rc, 0) << g.err;
  const std::string text = gm::read_file(f.dir / "out" / (name + ".v"));
  EXPECT_NE(text.find("module " + name + " ("), std::string::npos);
  EXPECT_NE(text.find("mul4u_odd u_ext ("), std::string::npos);
}

TEST(Ext, BadModulesGetOneLineErrors) {
  ExtFiles f;
  const std::string out = (f.dir / "out-bad").string();
  auto expect_error = [&](const std::string& spec, const std::string& fragment) {
    const auto r = run_cli("gen '" + spec + "' -o " + out);
    gm::test::expect_one_line_error(r, fragment);
  };
  expect_error(f.spec("missing.v", "top=x,w=4"), "cannot read path=");
  expect_error(f.spec("broken.v", "top=oops,w=4"), "cannot read module 'oops'");
  expect_error(f.spec("approx.v", "top=nosuch,w=4,a=A,b=B,y=O"), "cannot read module 'nosuch'");
  expect_error(f.spec("approx.v", "top=mul4u_odd,w=4"), "has no port 'a_i'");
  expect_error(f.spec("approx.v", "top=mul4u_odd,w=5,a=A,b=B,y=O"), "must be a 5-bit input");
  expect_error(f.spec("seq.v", "top=regmul,w=4,a=A,b=B,y=O"), "extra port 'clk'");
  expect_error(f.spec("seq2.v", "top=regmul2,w=4,a=A,b=B,y=O"), "is not combinational");
  expect_error(f.spec("approx.v", "top=mul4u_odd,w=13,a=A,b=B,y=O"), "must be <= 12");
  expect_error("ext:top=x", "missing required key 'path'");
  EXPECT_FALSE(fs::exists(out));
}

// Two files with the same top but different contents are two designs: both reach metrics and gen.
// The same bytes at another path are the same design: one name, one entry.
TEST(Ext, SameTopInDifferentFilesGivesTwoDesigns) {
  ExtFiles f;
  const std::string exact_mul = "module mul4u_odd (A, B, O);\n  input [3:0] A;\n  input [3:0] B;\n  output [7:0] O;\n"
                                "  assign O = A * B;\nendmodule\n";
  gm::write_file_atomic(f.dir / "exact.v", exact_mul);
  fs::create_directories(f.dir / "copy");
  gm::write_file_atomic(f.dir / "copy" / "exact.v", exact_mul);
  const std::string odd = f.spec("approx.v", "top=mul4u_odd,a=A,b=B,y=O,w=4");
  const std::string ex = f.spec("exact.v", "top=mul4u_odd,a=A,b=B,y=O,w=4");
  const std::string ex_copy = f.spec("copy/exact.v", "top=mul4u_odd,a=A,b=B,y=O,w=4");

  const auto m = run_cli("metrics '" + odd + "' '" + ex + "' '" + ex_copy + "' --json");
  ASSERT_EQ(m.rc, 0) << m.err;
  const auto j = nlohmann::json::parse(m.out);
  ASSERT_EQ(j.size(), 2u) << m.out;  // the copy is the same design as exact.v
  EXPECT_NE(j[0]["name"], j[1]["name"]);
  // Told apart by their behaviour, not only their names: the odd one errs, the exact one does not.
  EXPECT_GT(j[0]["er"].get<double>(), 0.0);
  EXPECT_EQ(j[1]["er"].get<double>(), 0.0);

  const fs::path out = f.dir / "gen";
  const auto g = run_cli("gen '" + odd + "' '" + ex + "' -o " + out.string());
  ASSERT_EQ(g.rc, 0) << g.err;
  const auto manifest = nlohmann::json::parse(gm::read_file(out / "manifest.json"));
  ASSERT_EQ(manifest["designs"].size(), 2u);
  for (const auto& d : manifest["designs"]) EXPECT_TRUE(fs::exists(out / (d["name"].get<std::string>() + ".v")));
  EXPECT_NE(manifest["designs"][0]["name"], manifest["designs"][1]["name"]);
}
