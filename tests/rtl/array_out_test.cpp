// The array's output stage rtl/gm_array_out.v on its own, in Icarus, against the requantization of
// the model (gm::dnn::requantize, saturate, add_wrap in models/dnn/network.hpp): the whole-array
// GEMM tests reach it only through the array, and seldom at its edges. The cases: rounding of
// negative values, shift 1 and 62, both clamps, m0 = 0 and m0 near 2^31, the bias add wrapping
// around, the largest product (-2^31 * (2^31 - 1)), and random ones. The rows stream at full rate
// with the parameter bank bit changing from row to row, and the two columns take different
// parameters, so the stage's pipelining, its bank selection and the field layout are all checked.
// A copy with a logical shift in place of the arithmetic one must fail, so the bench can fail.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "models/dnn/network.hpp"
#include "models/files.hpp"
#include "models/install_layout.hpp"
#include "models/scratch.hpp"
#include "tb/process.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

struct Params {
  int32_t bias = 0;
  uint32_t m0 = 0;  // < 2^31
  int shift = 1;    // 1..62
  int32_t lo = 0, hi = 0;
};

// The model: the bias add wraps at 32 bits, then requantize and clamp.
int32_t expected(int32_t s, const Params& p) {
  const int32_t t = dnn::add_wrap(s, p.bias);
  return dnn::saturate(dnn::requantize(t, {.m0 = static_cast<int32_t>(p.m0), .shift = p.shift}), p.lo, p.hi);
}

// A column's 136-bit field as 34 hex digits, laid out as docs/array.md says (written here from the
// table, not from the RTL): [31:0] bias, [63:32] m0, [71:64] shift, [103:72] out_min, [135:104] out_max.
std::string field_hex(const Params& p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%08x%08x%02x%08x%08x", static_cast<uint32_t>(p.hi), static_cast<uint32_t>(p.lo),
                static_cast<unsigned>(p.shift), p.m0, static_cast<uint32_t>(p.bias));
  return buf;
}

struct Row {
  int32_t s[2];
  int bank;
};
struct Group {  // both banks' parameters (column 0, column 1), then rows streamed at full rate
  Params bank[2][2];
  std::vector<Row> rows;
};

// The bench: per group it writes bank 0 and bank 1 (p_data_i is column 1's field, then column 0's),
// then drives one row per cycle and prints y_o after the stage's fourth register, one line per row.
std::string bench(size_t groups, size_t rows_per_group) {
  std::ostringstream os;
  os << "`timescale 1ns/1ps\nmodule tb;\n"
     << "  reg clk_i = 1'b0;\n  reg en_i = 1'b1;\n  reg [271:0] p_data_i;\n  reg [1:0] p_we_i = 2'b00;\n"
     << "  reg [63:0] s_i;\n  reg bank_i;\n  wire [63:0] y_o;\n"
     << "  reg [271:0] params [0:" << 2 * groups - 1 << "];\n"
     << "  reg [64:0] rows [0:" << groups * rows_per_group - 1 << "];\n"
     << "  integer g, i;\n"
     << "  gm_array_out #(.Cols(2)) dut (.clk_i(clk_i), .rst_sync_ni(1'b1), .en_i(en_i), .p_data_i(p_data_i),\n"
     << "    .p_we_i(p_we_i), .s_i(s_i), .bank_i(bank_i), .y_o(y_o));\n"
     << "  always #5 clk_i = ~clk_i;\n"
     << "  initial begin\n"
     << "    $readmemh(\"params.hex\", params);\n    $readmemh(\"rows.hex\", rows);\n"
     << "    for (g = 0; g < " << groups << "; g = g + 1) begin\n"
     << "      @(negedge clk_i) p_data_i = params[2*g]; p_we_i = 2'b01;\n"
     << "      @(negedge clk_i) p_data_i = params[2*g+1]; p_we_i = 2'b10;\n"
     << "      @(negedge clk_i) p_we_i = 2'b00;\n"
     // bank_i runs two rows ahead of s_i, as in the array (it comes with the accumulators' flags).
     << "      bank_i = rows[g*" << rows_per_group << "][64];\n"
     << "      @(negedge clk_i);\n"
     << "      bank_i = rows[g*" << rows_per_group << "+1][64];\n"
     << "      @(negedge clk_i);\n"
     << "      for (i = 0; i < " << rows_per_group + 3 << "; i = i + 1) begin\n"
     << "        if (i < " << rows_per_group << ") s_i = rows[g*" << rows_per_group << "+i][63:0];\n"
     << "        if (i + 2 < " << rows_per_group << ") bank_i = rows[g*" << rows_per_group << "+i+2][64];\n"
     << "        @(negedge clk_i);\n"
     << "        if (i >= 3) $display(\"y %h\", y_o);\n"
     << "      end\n"
     << "    end\n"
     << "    $finish;\n  end\nendmodule\n";
  return os.str();
}

std::vector<Group> cases() {
  const int32_t kMin = INT32_MIN, kMax = INT32_MAX;
  const uint32_t kM0Max = (1u << 31) - 1;
  std::vector<Group> gs;
  // Edge parameters, paired with edge sums.
  const std::vector<Params> edges = {
      {0, 1u << 30, 1, kMin, kMax},         // shift 1: (2t + 1) >> 1 = t, plus the half
      {0, 1, 1, kMin, kMax},                // t * 1 rounded at the half: negatives round toward +inf at .5
      {0, 3, 2, kMin, kMax},                // 3t/4: negative fractions floor after adding the half
      {0, kM0Max, 62, kMin, kMax},          // m0 near 2^31, the longest shift
      {0, kM0Max, 31, kMin, kMax},          // about t
      {0, kM0Max, 1, kMin, kMax},           // |v| up to 2^61: clamps at the int32 limits
      {0, 0, 5, -3, 7},                     // m0 = 0: v = 0 (the half is shifted out)
      {100, 1u << 30, 31, -128, 127},       // the int8 clamp, both sides
      {kMax, 1u << 30, 30, -128, 127},      // s + bias wraps around
      {kMin, 12345, 10, 0, 127},            // ReLU-like lower bound 0
      {-7, 987654321, 40, -1, 1},
  };
  const std::vector<int32_t> sums = {0, 1, -1, 2, -2, 3, -3, 5, -5, 127, -128, kMax, kMin, kMax - 1, kMin + 1,
                                     1 << 20, -(1 << 20)};
  std::mt19937_64 rng(10);
  for (size_t e = 0; e < edges.size(); ++e) {
    Group g;
    g.bank[0][0] = edges[e];
    g.bank[0][1] = edges[(e + 1) % edges.size()];
    g.bank[1][0] = edges[(e + 2) % edges.size()];
    g.bank[1][1] = edges[(e + 3) % edges.size()];
    for (size_t i = 0; i < sums.size(); ++i)
      g.rows.push_back({{sums[i], sums[(i + e) % sums.size()]}, static_cast<int>((i + e) % 3 == 0)});
    gs.push_back(g);
  }
  // Random parameters and sums.
  for (int k = 0; k < 6; ++k) {
    Group g;
    for (auto& bank : g.bank)
      for (auto& p : bank) {
        p.bias = static_cast<int32_t>(rng());
        p.m0 = static_cast<uint32_t>(rng()) & kM0Max;
        p.shift = 1 + static_cast<int>(rng() % 62);
        int32_t a = static_cast<int32_t>(rng()) >> (rng() % 31), b = static_cast<int32_t>(rng()) >> (rng() % 31);
        p.lo = std::min(a, b), p.hi = std::max(a, b);
      }
    for (size_t i = 0; i < sums.size(); ++i)
      g.rows.push_back({{static_cast<int32_t>(rng()) >> (rng() % 32), static_cast<int32_t>(rng())},
                        static_cast<int>(rng() & 1)});
    gs.push_back(g);
  }
  return gs;
}

// Runs the bench on `rtl_text`; returns the mismatching rows (as text), or a note when it did not run.
// `simulation_form`: with GM_SIM_BEHAVIORAL defined, the form Verilator's harnesses simulate.
std::vector<std::string> run(const std::string& rtl_text, const std::vector<Group>& gs, std::string& log,
                             bool simulation_form = false) {
  const ScratchDir dir("gm-array-out");
  const size_t per = gs.front().rows.size();
  std::string params, rows;
  char buf[64];
  for (const auto& g : gs) {
    for (const auto& bank : g.bank) params += field_hex(bank[1]) + field_hex(bank[0]) + "\n";
    for (const auto& r : g.rows) {
      std::snprintf(buf, sizeof buf, "%d%08x%08x\n", r.bank, static_cast<uint32_t>(r.s[1]), static_cast<uint32_t>(r.s[0]));
      rows += buf;
    }
  }
  write_file_atomic(dir.path() / "params.hex", params);
  write_file_atomic(dir.path() / "rows.hex", rows);
  write_file_atomic(dir.path() / "gm_array_out.v", rtl_text);
  write_file_atomic(dir.path() / "tb.v", bench(gs.size(), per));
  const RunOptions in_dir{.cwd = dir.path(), .timeout_s = 60};
  std::vector<std::string> argv = {"iverilog", "-g2005", "-o", "sim", "tb.v", "gm_array_out.v"};
  if (simulation_form) argv.push_back("-DGM_SIM_BEHAVIORAL");
  const auto built = run_program(argv, in_dir);
  log = built.output;
  if (!built.ok()) return {"iverilog failed"};
  const auto ran = run_program({"vvp", "-n", "sim"}, in_dir);
  log += ran.output;
  if (!ran.ok()) return {"vvp failed"};
  std::vector<std::string> bad;
  std::istringstream out(ran.output);
  size_t row = 0;
  for (std::string line; std::getline(out, line);) {
    if (line.rfind("y ", 0) != 0) continue;
    const Group& g = gs[row / per];
    const Row& r = g.rows[row % per];
    // An unknown bit (x or z: a register read before it was written) is a mismatch of its own.
    if (line.find_first_not_of("0123456789abcdefABCDEF", 2) != std::string::npos) {
      bad.push_back("row " + std::to_string(row) + ": " + line);
      ++row;
      continue;
    }
    const uint64_t y = std::stoull(line.substr(2), nullptr, 16);
    for (int c = 0; c < 2; ++c) {
      const int32_t want = expected(r.s[c], g.bank[r.bank][c]);
      const auto got = static_cast<int32_t>(static_cast<uint32_t>(y >> (32 * c)));
      if (got != want)
        bad.push_back("row " + std::to_string(row) + " column " + std::to_string(c) + ": s=" + std::to_string(r.s[c]) +
                      " bank " + std::to_string(r.bank) + " got " + std::to_string(got) + " want " + std::to_string(want));
    }
    ++row;
  }
  if (row != gs.size() * per) bad.push_back("printed " + std::to_string(row) + " rows of " + std::to_string(gs.size() * per));
  return bad;
}

// Both forms of the file: the structural one (synthesis, Icarus) and the simulation one (Verilator).
TEST(ArrayOutStage, MatchesTheModelRequantization) {
  if (!test::tools_present({"iverilog", "vvp"})) GTEST_SKIP() << "iverilog is missing";
  for (const bool simulation_form : {false, true}) {
    std::string log;
    const auto bad = run(read_file(data_file("rtl/gm_array_out.v")), cases(), log, simulation_form);
    EXPECT_TRUE(bad.empty()) << (simulation_form ? "GM_SIM_BEHAVIORAL: " : "") << bad.size()
                             << " mismatches, first: " << bad.front() << "\n" << log.substr(0, 2000);
  }
}

// The simulation form is really the one read under the macro: a wrong bank bit there (the row's
// bias and m0 from the bank of the row before) fails the bench, and only in that form.
TEST(ArrayOutStage, BenchCatchesAWrongBankInTheSimulationForm) {
  if (!test::tools_present({"iverilog", "vvp"})) GTEST_SKIP() << "iverilog is missing";
  std::string text = read_file(data_file("rtl/gm_array_out.v"));
  const std::string from = "assign pick_s  = bank_s_q ?";
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, from.size(), "assign pick_s  = bank_t_q ?");
  std::string log;
  EXPECT_FALSE(run(text, cases(), log, true).empty()) << log.substr(0, 2000);
  EXPECT_TRUE(run(text, cases(), log, false).empty()) << log.substr(0, 2000);
}

TEST(ArrayOutStage, BenchCatchesALogicalShift) {
  if (!test::tools_present({"iverilog", "vvp"})) GTEST_SKIP() << "iverilog is missing";
  std::string text = read_file(data_file("rtl/gm_array_out.v"));
  const auto at = text.find("round_q >>> shift_r");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 19, "round_q >> shift_r");
  std::string log;
  EXPECT_FALSE(run(text, cases(), log).empty()) << log.substr(0, 2000);
}

}  // namespace
}  // namespace gm
