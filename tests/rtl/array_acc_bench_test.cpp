// The generated array with its accumulator bank and output stage, in Icarus, driven by a small bench
// of its own: independent of the host's stream code (tb/array_stream.hpp), so the RTL side of
// iface.md is checked on its own branch. The stimulus follows the tiling of docs/array.md (column
// slice, then M chunk of at most D rows, then K slice); the expected rows come from plain integer
// sums and gm::dnn::requantize. Padding rows of the last K slice carry random nonzero weights and
// activations, so only the hardware padding (w_pad_i) keeps them out of the sums. Every stream
// stalls at random, and the parameter banks switch under the output stage's pipeline. A mutant PE
// must be caught.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "generator/array/array.hpp"
#include "models/dnn/network.hpp"
#include "models/files.hpp"
#include "models/scratch.hpp"
#include "tb/process.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

struct Param {
  int32_t bias;
  uint32_t m0;
  int shift;
  int32_t lo, hi;
};

// Hex of `bits` bits from 32-bit words, least significant word first.
std::string hex_of(const std::vector<uint32_t>& words, int bits) {
  std::string out;
  char buf[16];
  for (int i = (bits + 3) / 4 - 1; i >= 0; --i) {
    std::snprintf(buf, sizeof buf, "%x", (words[i / 8] >> (4 * (i % 8))) & 0xf);
    out += buf;
  }
  return out;
}
void put(std::vector<uint32_t>& words, int lo, int width, uint64_t value) {
  for (int b = 0; b < width; ++b)
    if ((value >> b) & 1) words[(lo + b) / 32] |= 1u << ((lo + b) % 32);
}

struct Stimulus {
  std::string w, x, p, y;  // hex files, one beat (or expected row) per line
  int nw = 0, nx = 0, np = 0, ny = 0;
};

// An exact signed 8-bit array (exact:s=1), M x K x N with random operands and parameters (with
// `pass_through`: y = t * 2^30 >> 30 = s + bias, unclamped, so no error can hide in the rounding).
Stimulus stimulus(const ArrayConfig& cfg, int m, int k, int n, uint64_t seed, bool pass_through) {
  const int R = cfg.rows, C = cfg.cols, D = cfg.acc_depth;
  std::mt19937_64 rng(seed);
  auto byte = [&] { return static_cast<int32_t>(rng() % 256) - 128; };
  std::vector<int32_t> X(m * k), W(k * n);
  for (auto& v : X) v = byte();
  for (auto& v : W) v = byte();
  std::vector<Param> par(n);
  for (auto& p : par) {
    p.bias = static_cast<int32_t>(rng()) >> (rng() % 32);
    p.m0 = static_cast<uint32_t>(rng()) & 0x7fffffffu;
    p.shift = 1 + static_cast<int>(rng() % 62);
    const int32_t a = static_cast<int32_t>(rng()) >> (rng() % 32), b = static_cast<int32_t>(rng()) >> (rng() % 32);
    p.lo = std::min(a, b), p.hi = std::max(a, b);
    if (pass_through) p = {p.bias, 1u << 30, 30, INT32_MIN, INT32_MAX};
  }
  const int KT = (k + R - 1) / R, NT = (n + C - 1) / C, MC = (m + D - 1) / D;
  Stimulus s;
  for (int nt = 0; nt < NT; ++nt)
    for (int mc = 0; mc < MC; ++mc) {
      const int m0 = mc * D, rows = std::min(D, m - m0);
      for (int kt = 0; kt < KT; ++kt) {
        const bool first = kt == 0, last = kt == KT - 1;
        for (int j = 0; j < R; ++j) {  // weight beats: {pad, row}
          const int kk = kt * R + j;
          std::vector<uint32_t> beat((C * 8 + 1 + 31) / 32, 0);
          for (int c = 0; c < C; ++c) {
            const int nn = nt * C + c;
            put(beat, c * 8, 8, static_cast<uint32_t>(kk < k && nn < n ? W[kk * n + nn] : byte() | 1));
          }
          put(beat, C * 8, 1, kk >= k);
          s.w += hex_of(beat, C * 8 + 1) + "\n", ++s.nw;
        }
        if (last && cfg.out_stage) {
          std::vector<uint32_t> beat((C * kParamFieldBits + 31) / 32, 0);
          for (int c = 0; c < C && nt * C + c < n; ++c) {
            const Param& p = par[nt * C + c];
            const int at = c * kParamFieldBits;
            put(beat, at, 32, static_cast<uint32_t>(p.bias));
            put(beat, at + 32, 32, p.m0);
            put(beat, at + 64, 8, static_cast<uint32_t>(p.shift));
            put(beat, at + 72, 32, static_cast<uint32_t>(p.lo));
            put(beat, at + 104, 32, static_cast<uint32_t>(p.hi));
          }
          s.p += hex_of(beat, C * kParamFieldBits) + "\n", ++s.np;
        }
        for (int i = 0; i < rows; ++i) {  // activation beats: {last_k, first_k, last, row}
          std::vector<uint32_t> beat((R * 8 + 3 + 31) / 32, 0);
          for (int r = 0; r < R; ++r) {
            const int kk = kt * R + r;
            put(beat, r * 8, 8, static_cast<uint32_t>(kk < k ? X[(m0 + i) * k + kk] : byte() | 1));
          }
          put(beat, R * 8, 1, i == rows - 1);
          put(beat, R * 8 + 1, 1, first);
          put(beat, R * 8 + 2, 1, last);
          s.x += hex_of(beat, R * 8 + 3) + "\n", ++s.nx;
        }
        if (!last) continue;
        for (int i = 0; i < rows; ++i) {  // expected: {last, mask, row}
          std::vector<uint32_t> want((C * 32 + 31) / 32, 0), mask = want;
          for (int c = 0; c < C && nt * C + c < n; ++c) {
            const int nn = nt * C + c;
            int32_t sum = 0;
            for (int kk = 0; kk < k; ++kk) sum = dnn::add_wrap(sum, X[(m0 + i) * k + kk] * W[kk * n + nn]);
            const Param& p = par[nn];
            const int32_t y = cfg.out_stage
                                  ? dnn::saturate(dnn::requantize(dnn::add_wrap(sum, p.bias),
                                                                  {.m0 = static_cast<int32_t>(p.m0), .shift = p.shift}),
                                                  p.lo, p.hi)
                                  : sum;
            put(want, c * 32, 32, static_cast<uint32_t>(y));
            put(mask, c * 32, 32, 0xffffffffu);
          }
          s.y += std::string(i == rows - 1 ? "1 " : "0 ") + hex_of(mask, C * 32) + " " + hex_of(want, C * 32) + "\n";
          ++s.ny;
        }
      }
    }
  if (s.np == 0) s.p = "0\n", s.np = 1;  // a memory to read, never offered
  return s;
}

// The bench: each stream offers its next beat at random (about 3 cycles in 4), y_ready likewise;
// it counts mismatching result rows and prints `DONE <errors> <rows>`.
std::string bench(const ArrayConfig& cfg, const Stimulus& s) {
  const int R = cfg.rows, C = cfg.cols, P = C * kParamFieldBits;
  std::ostringstream os;
  os << "`timescale 1ns/1ps\nmodule tb;\n  reg clk = 1'b0, rst_n = 1'b0;\n  always #5 clk = ~clk;\n"
     << "  reg [" << C * 8 << ":0] wmem [0:" << s.nw - 1 << "];\n"
     << "  reg [" << R * 8 + 2 << ":0] xmem [0:" << s.nx - 1 << "];\n"
     << "  reg [" << P - 1 << ":0] pmem [0:" << s.np - 1 << "];\n"
     << "  integer wi = 0, xi = 0, pi = 0, yi = 0, errs = 0, cyc = 0, fd, i, got, lastv;\n"
     << "  reg [" << C * 32 - 1 << ":0] ydat [0:" << s.ny - 1 << "];\n"
     << "  reg [" << C * 32 - 1 << ":0] ymask [0:" << s.ny - 1 << "];\n"
     << "  reg ylast [0:" << s.ny - 1 << "];\n"
     << "  reg w_valid = 1'b0, x_valid = 1'b0, p_valid = 1'b0, y_ready = 1'b0;\n"
     << "  wire w_ready, x_ready, p_ready, y_valid, y_last;\n  wire [" << C * 32 - 1 << ":0] y_data;\n"
     << "  wire [" << C * 8 << ":0] wcur = wmem[wi < " << s.nw << " ? wi : 0];\n"
     << "  wire [" << R * 8 + 2 << ":0] xcur = xmem[xi < " << s.nx << " ? xi : 0];\n"
     << "  wire [" << P - 1 << ":0] pcur = pmem[pi < " << s.np << " ? pi : 0];\n"
     << "  " << cfg.name() << " dut (.clk_i(clk), .rst_sync_ni(rst_n),\n"
     << "    .w_valid_i(w_valid), .w_ready_o(w_ready), .w_data_i(wcur[" << C * 8 - 1 << ":0]), .w_pad_i(wcur["
     << C * 8 << "]),\n"
     << "    .x_valid_i(x_valid), .x_ready_o(x_ready), .x_data_i(xcur[" << R * 8 - 1 << ":0]), .x_last_i(xcur["
     << R * 8 << "]), .x_first_k_i(xcur[" << R * 8 + 1 << "]), .x_last_k_i(xcur[" << R * 8 + 2 << "]),\n";
  if (cfg.out_stage) os << "    .p_valid_i(p_valid), .p_ready_o(p_ready), .p_data_i(pcur),\n";
  os << "    .y_valid_o(y_valid), .y_ready_i(y_ready), .y_data_o(y_data), .y_last_o(y_last));\n";
  if (!cfg.out_stage) os << "  assign p_ready = 1'b0;\n";
  os << "  initial begin\n"
     << "    $readmemh(\"w.hex\", wmem);\n    $readmemh(\"x.hex\", xmem);\n    $readmemh(\"p.hex\", pmem);\n"
     << "    fd = $fopen(\"y.hex\", \"r\");\n"
     << "    for (i = 0; i < " << s.ny << "; i = i + 1) begin\n"
     << "      got = $fscanf(fd, \"%h %h %h\\n\", lastv, ymask[i], ydat[i]);\n      ylast[i] = lastv;\n    end\n"
     << "    repeat (2) @(posedge clk);\n    rst_n <= 1'b1;\n  end\n"
     << "  always @(posedge clk) if (rst_n) begin\n    cyc = cyc + 1;\n"
     << "    if (w_valid && w_ready) wi = wi + 1;\n    if (x_valid && x_ready) xi = xi + 1;\n"
     << "    if (p_valid && p_ready) pi = pi + 1;\n"
     << "    if (y_valid && y_ready) begin\n"
     << "      if (yi >= " << s.ny << " || ((y_data ^ ydat[yi]) & ymask[yi]) != 0 || y_last != ylast[yi]) begin\n"
     << "        errs = errs + 1;\n"
     << "        if (errs < 5) $display(\"row %0d: got %h last %b\", yi, y_data, y_last);\n      end\n"
     << "      yi = yi + 1;\n    end\n"
     << "    w_valid <= wi < " << s.nw << " && ($random & 3) != 0;\n"
     << "    x_valid <= xi < " << s.nx << " && ($random & 3) != 0;\n"
     << "    p_valid <= " << (cfg.out_stage ? 1 : 0) << " && pi < " << s.np << " && ($random & 3) != 0;\n"
     << "    y_ready <= ($random & 3) != 0;\n"
     << "    if (yi >= " << s.ny << " && xi >= " << s.nx << ") begin\n"
     << "      repeat (" << R + C + 8 << ") @(posedge clk);  // a result too many would show now\n"
     << "      if (y_valid) errs = errs + 1;\n"
     << "      $display(\"DONE %0d %0d\", errs, yi);\n      $finish;\n    end\n"
     << "    if (cyc > 100000) begin\n      $display(\"STUCK w %0d x %0d p %0d y %0d\", wi, xi, pi, yi);\n"
     << "      $finish;\n    end\n  end\nendmodule\n";
  return os.str();
}

// Runs the GEMM; returns the bench's last line ("DONE <errors> <rows>" when it finished).
// `simulation_form`: the accumulator bank and output stage as Verilator's harnesses simulate them
// (GM_SIM_BEHAVIORAL), instead of the structural form synthesis reads.
std::string run(const ArrayConfig& cfg, int m, int k, int n, uint64_t seed, bool pass_through = false,
                bool simulation_form = false) {
  const ScratchDir dir("gm-array-acc-bench");
  const Stimulus s = stimulus(cfg, m, k, n, seed, pass_through);
  write_file_atomic(dir.path() / "w.hex", s.w);
  write_file_atomic(dir.path() / "x.hex", s.x);
  write_file_atomic(dir.path() / "p.hex", s.p);
  write_file_atomic(dir.path() / "y.hex", s.y);
  write_file_atomic(dir.path() / "tb.v", bench(cfg, s));
  std::vector<std::string> argv = {"iverilog", "-g2005", "-o", "sim", "tb.v"};
  if (simulation_form) argv.push_back("-DGM_SIM_BEHAVIORAL");
  for (const auto& f : write_array(generate_array(cfg), dir.path())) argv.push_back(f.string());
  const RunOptions in_dir{.cwd = dir.path(), .timeout_s = 120};
  const auto built = run_program(argv, in_dir);
  if (!built.ok()) return "iverilog failed: " + built.output.substr(0, 1000);
  const auto ran = run_program({"vvp", "-n", "sim"}, in_dir);
  const auto done = ran.output.find("DONE");
  return done == std::string::npos ? ran.output.substr(0, 1000) : ran.output.substr(done, ran.output.find('\n', done) - done);
}

ArrayConfig exact(int r, int c, int depth, bool out, bool zero_gate = false) {
  return make_array_config(r, c, parse_spec("exact:s=1"), "", 32, zero_gate, depth, out);
}

// Shapes: K across several slices with a padded last one, M across several chunks (and one-row
// chunks with D = 1, so a K slice follows its predecessor on the very next cycle), padded N.
TEST(ArrayAccBench, SumsAndRequantizesInHardware) {
  if (!test::tools_present({"iverilog", "vvp"})) GTEST_SKIP() << "iverilog is missing";
  struct Case {
    ArrayConfig cfg;
    int m, k, n;
  };
  const std::vector<Case> cases = {
      {exact(2, 3, 4, true), 7, 5, 7},   {exact(2, 3, 4, false), 7, 5, 7}, {exact(1, 1, 1, true), 3, 4, 2},
      {exact(3, 2, 1, true), 4, 7, 5},   {exact(3, 2, 1, false), 4, 7, 5}, {exact(4, 4, 0, true), 17, 9, 6},
      {exact(3, 2, 2, true, true), 5, 7, 5},
  };
  for (const bool simulation_form : {false, true})
    for (size_t i = 0; i < cases.size(); ++i) {
      const Case& c = cases[i];
      const int rows = ((c.n + c.cfg.cols - 1) / c.cfg.cols) * c.m;
      EXPECT_EQ(run(c.cfg, c.m, c.k, c.n, 100 + i, false, simulation_form), "DONE 0 " + std::to_string(rows))
          << c.cfg.canonical() << (simulation_form ? " (GM_SIM_BEHAVIORAL)" : "");
    }
}

TEST(ArrayAccBench, CatchesAMutantPe) {
  if (!test::tools_present({"iverilog", "vvp"})) GTEST_SKIP() << "iverilog is missing";
  for (const bool out : {false, true}) {
    ArrayConfig cfg = exact(2, 2, 3, out);
    cfg.mutant_row = 1, cfg.mutant_col = 0;
    for (const bool simulation_form : {false, true}) {
      const std::string r = run(cfg, 5, 5, 3, 7, true, simulation_form);
      EXPECT_EQ(r.rfind("DONE ", 0), 0u) << r;
      EXPECT_NE(r.rfind("DONE 0 ", 0), 0u) << r << (out ? " (output stage)" : "");
    }
  }
}

}  // namespace
}  // namespace gm
