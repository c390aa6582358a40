// Importing a design's gates as an evo netlist (synth/gate_import.hpp), the seed of `evolve`.
//
// GateImportJson (unit): the Yosys JSON reader on netlists written here by hand, whose products
// are worked out in the test from the gates' Boolean definitions; loops, flip-flops and undriven
// bits refused with one line.
// GateImport (tool: Yosys): real designs imported and simulated with BitSim on every pair, against
// the family's model (models/) or, for ext files, the function the test wrote into the file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/errors.hpp"
#include "models/evo/bit_sim.hpp"
#include "models/evo/gate_netlist.hpp"
#include "models/files.hpp"
#include "models/product_table.hpp"
#include "models/spec.hpp"
#include "synth/gate_import.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace gm {
namespace {

// A w = 2 module with greenmac's ports: a_i = nets 2, 3; b_i = 4, 5; y_o as given.
json module_json(const json& cells, const json& y_bits, const json& netnames = json::object()) {
  json m;
  m["ports"] = {{"a_i", {{"direction", "input"}, {"bits", {2, 3}}}},
                {"b_i", {{"direction", "input"}, {"bits", {4, 5}}}},
                {"y_o", {{"direction", "output"}, {"bits", y_bits}}}};
  m["cells"] = cells;
  m["netnames"] = netnames;
  return {{"modules", {{"top", m}}}};
}

json cell(const std::string& type, const json& a, const json& b, int y) {
  json c = {{"type", type}, {"connections", {{"A", {a}}, {"Y", {y}}}}};
  if (!b.is_null()) c["connections"]["B"] = {b};
  return c;
}

std::vector<int64_t> products(const evo::GateNetlist& n) {
  std::vector<int64_t> out;
  evo::BitSim().products(n, out);
  return out;
}

// The message of the UserError that `f` throws; fails the test when it throws none.
template <class F>
std::string user_error(F f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no UserError";
  return "";
}

void expect_one_line(const std::string& msg, const std::string& fragment) {
  EXPECT_NE(msg.find(fragment), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

TEST(GateImportJson, AndNotAndOrNotReadAFirstAndCellsAreSortedByWhatTheyRead) {
  // Listed so that the first cell reads the second: the reader must order them itself.
  const json cells = {{"c0", cell("$_ORNOT_", 10, 5, 11)},   // n11 = n10 | ~b1
                      {"c1", cell("$_ANDNOT_", 2, 4, 10)},   // n10 = a0 & ~b0
                      {"c2", cell("$_NOT_", 3, nullptr, 12)},  // n12 = ~a1
                      {"c3", cell("$_XNOR_", 12, "1", 13)}};   // n13 = ~(n12 ^ 1)
  // y0 = n10, y1 = n11, y2 = a1 straight through, y3 = n13.
  const evo::GateNetlist n = gate_netlist_from_yosys_json(module_json(cells, {10, 11, 3, 13}), "top", 2, false, "t");
  ASSERT_EQ(n.gates.size(), 4u);
  const std::vector<int64_t> got = products(n);
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 4; ++b) {
      const int a0 = a & 1, a1 = a >> 1, b0 = b & 1, b1 = b >> 1;
      const int y0 = a0 & !b0, y1 = (a0 & !b0) | !b1, y2 = a1, y3 = !((!a1) ^ 1);
      EXPECT_EQ(got[(a << 2) | b], y0 | y1 << 1 | y2 << 2 | y3 << 3) << "a=" << a << " b=" << b;
    }
}

TEST(GateImportJson, ConstantsAndOperandBitsNeedNoGate) {
  // y = {1, b0, 0, a1}: no cell at all; signed, so the word reads negative.
  const evo::GateNetlist n = gate_netlist_from_yosys_json(module_json(json::object(), {3, "0", 4, "1"}), "top", 2, true, "t");
  EXPECT_TRUE(n.gates.empty());
  const std::vector<int64_t> got = products(n);
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 4; ++b) EXPECT_EQ(got[(a << 2) | b], (a >> 1) + 4 * (b & 1) - 8) << a << " " << b;
}

TEST(GateImportJson, LoopFlipFlopUndrivenBitAndWrongPortsAreOneLineErrors) {
  auto refusal = [](const json& netlist) {
    return user_error([&] { gate_netlist_from_yosys_json(netlist, "top", 2, false, "gm_x"); });
  };
  const json loop = {{"p", cell("$_AND_", 2, 11, 10)}, {"q", cell("$_OR_", 10, 4, 11)}};
  expect_one_line(refusal(module_json(loop, {10, 11, "0", "0"}, {{"t", {{"hide_name", 0}, {"bits", {10}}}}})),
                  "combinational loop through net 't'");
  expect_one_line(refusal(module_json({{"r", cell("$_DFF_P_", 2, 3, 10)}}, {10, "0", "0", "0"})), "$_DFF_P_");
  expect_one_line(refusal(module_json(json::object(), {2, "x", "0", "0"})), "product bit y1 undriven");
  expect_one_line(refusal(module_json(json::object(), {2, 99, "0", "0"})), "which nothing drives");
  expect_one_line(refusal(module_json(json::object(), {2, "0", "0"})), "4-bit output port y_o");
  expect_one_line(refusal(module_json({{"d", cell("$_NOT_", 3, nullptr, 4)}}, {2, "0", "0", "0"})), "twice");
}

// A design's netlist equals its model on every pair, has a plausible number of gates, and its
// canonical text parses back to it.
void expect_imports_its_model(const std::string& text) {
  SCOPED_TRACE(text);
  const Spec spec = parse_spec(text);
  GateImportStats st;
  const evo::GateNetlist n = import_gate_netlist(spec, {.use_cache = false}, &st);
  EXPECT_FALSE(st.cached);
  EXPECT_EQ(n.w, spec.w);
  EXPECT_EQ(n.is_signed, spec.is_signed);
  ASSERT_EQ(n.outputs.size(), 2u * spec.w);
  // An exact w x w multiplier needs at least its w^2 partial products minus the ones folded into
  // adders; approximate ones here keep most of them. 12 w^2 is far above any generator's count.
  EXPECT_GT(n.gates.size(), static_cast<size_t>(spec.w));
  EXPECT_LT(n.gates.size(), 12u * spec.w * spec.w);
  const ProductTable table(spec);
  const std::vector<int64_t> got = products(n);
  ASSERT_EQ(got.size(), table.size());
  size_t wrong = 0;
  for (size_t k = 0; k < got.size(); ++k)
    if (got[k] != table.entries()[k] && ++wrong <= 3)
      ADD_FAILURE() << "pair " << k << ": netlist " << got[k] << ", model " << table.entries()[k];
  EXPECT_EQ(wrong, 0u);
  EXPECT_EQ(evo::parse_gate_netlist(evo::canonical_text(n), "round trip"), n);
}

TEST(GateImport, ExactDaddaSigned8) {
  if (!test::tools_present({"yosys"})) GTEST_SKIP() << "yosys not installed";
  expect_imports_its_model("exact:arch=dadda,w=8,s=1");
}

TEST(GateImport, ExactUnsigned4TruncBamAndDrum) {
  if (!test::tools_present({"yosys"})) GTEST_SKIP() << "yosys not installed";
  for (const char* spec : {"exact:w=4,s=0", "trunc:t=3,w=8,s=1", "bam:h=2,v=5,w=8,s=1", "drum:k=4,w=8,s=1"})
    expect_imports_its_model(spec);
}

// The rest of the families (and the others again), one design each: the first of each family in
// the default set.
TEST(GateImport, FirstDefaultDesignOfEveryFamily) {
  if (!test::tools_present({"yosys"})) GTEST_SKIP() << "yosys not installed";
  std::set<std::string> seen;
  for (const Spec& spec : default_set())
    if (seen.insert(spec.family).second) expect_imports_its_model(spec.canonical());
  std::set<std::string> built_in;  // the families that need no file of the user's
  for (const FamilyDef* f : all_families())
    if (f->name != "ext" && f->name != "evo") built_in.insert(f->name);
  EXPECT_EQ(seen, built_in);
}

// The second import of a design is the cached netlist, equal to the first.
TEST(GateImport, SecondImportComesFromTheCache) {
  if (!test::tools_present({"yosys"})) GTEST_SKIP() << "yosys not installed";
  const fs::path cache = test::temp_dir("gm-test-gate-import-cache");
  const char* old = std::getenv("GREENMAC_CACHE");
  const std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
  ASSERT_EQ(setenv("GREENMAC_CACHE", cache.c_str(), 1), 0);
  GateImportStats first, second;
  const Spec spec = parse_spec("exact:arch=array,w=3,s=1");
  const evo::GateNetlist a = import_gate_netlist(spec, {}, &first);
  const evo::GateNetlist b = import_gate_netlist(spec, {}, &second);
  if (saved) setenv("GREENMAC_CACHE", saved->c_str(), 1);
  else unsetenv("GREENMAC_CACHE");
  EXPECT_FALSE(first.cached);
  EXPECT_TRUE(second.cached);
  EXPECT_EQ(a, b);
  fs::remove_all(cache);
}

// ext files: the products the test wrote into the Verilog, operand bits and constants wired
// straight to the product, and a loop refused with one line.
TEST(GateImport, ExtFilesImportAndALoopIsOneLineError) {
  if (!test::tools_present({"yosys"})) GTEST_SKIP() << "yosys not installed";
  const fs::path dir = test::temp_dir("gm-test-gate-import");
  write_file_atomic(dir / "odd.v",  // EvoApproxLib-style ports; off by one whenever a0 & b3
                    "module mul4u_odd (A, B, O);\n  input [3:0] A;\n  input [3:0] B;\n  output [7:0] O;\n"
                    "  assign O = A * B + {7'b0, A[0] & B[3]};\nendmodule\n");
  write_file_atomic(dir / "wires.v",
                    "module wires (input wire [1:0] A, input wire [1:0] B, output wire [3:0] O);\n"
                    "  assign O = {1'b1, B[0], 1'b0, A[1]};\nendmodule\n");
  write_file_atomic(dir / "loopy.v",
                    "module loopy (input wire [1:0] A, input wire [1:0] B, output wire [3:0] O);\n"
                    "  wire t, u;\n  assign t = ~(u & A[0]);\n  assign u = t | B[0];\n"
                    "  assign O = {t, A[1] & B[1], u, A[0] & B[0]};\nendmodule\n");
  const std::string ports = ",a=A,b=B,y=O";
  const auto odd = import_gate_netlist(parse_spec("ext:path=" + (dir / "odd.v").string() + ",top=mul4u_odd,w=4" + ports),
                                       {.use_cache = false});
  const std::vector<int64_t> got = products(odd);
  for (int a = 0; a < 16; ++a)
    for (int b = 0; b < 16; ++b) ASSERT_EQ(got[(a << 4) | b], a * b + ((a & 1) & (b >> 3))) << a << "*" << b;

  const auto wires = import_gate_netlist(parse_spec("ext:path=" + (dir / "wires.v").string() + ",top=wires,w=2" + ports),
                                         {.use_cache = false});
  EXPECT_TRUE(wires.gates.empty());
  const std::vector<int64_t> wired = products(wires);
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 4; ++b) EXPECT_EQ(wired[(a << 2) | b], (a >> 1) + 4 * (b & 1) + 8) << a << " " << b;

  const Spec loopy = parse_spec("ext:path=" + (dir / "loopy.v").string() + ",top=loopy,w=2" + ports);
  expect_one_line(user_error([&] { import_gate_netlist(loopy, {.use_cache = false}); }), "combinational loop");
  fs::remove_all(dir);
}

TEST(GateImport, MissingYosysAndTooWideDesignAreOneLineErrors) {
  const Spec spec = parse_spec("exact:w=4");
  expect_one_line(user_error([&] { import_gate_netlist(spec, {.yosys = "/nonexistent/yosys"}); }), "/nonexistent/yosys");
  expect_one_line(user_error([&] { import_gate_netlist(parse_spec("exact:w=9")); }), "w <= 8");
}

}  // namespace
}  // namespace gm
