// The weight-stationary systolic array: configuration, mul-map, and the Verilog of the array top,
// its PE modules and the lookup-table stand-ins of the multipliers. See generator/array/array.hpp and
// docs/array.md.
#include "generator/array/array.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>

#include "models/errors.hpp"
#include "models/files.hpp"
#include "generator/registry.hpp"
#include "models/version.hpp"
#include "models/cache/cache_dir.hpp"
#include "models/golden_gemm.hpp"

namespace fs = std::filesystem;

namespace gm {

// ---------------------------------------------------------------------------------------------
// Configuration

std::vector<Spec> ArrayConfig::distinct_specs() const {
  std::vector<Spec> out;
  std::set<std::string> seen;
  for (const auto& s : pe)
    if (seen.insert(s.canonical()).second) out.push_back(s);
  return out;
}

std::string ArrayConfig::canonical() const {
  std::ostringstream os;
  os << "array rows=" << rows << " cols=" << cols << " acc=" << acc_width << " zero_gate=" << zero_gate << "\n";
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) os << "pe " << r << " " << c << " " << at(r, c).canonical() << "\n";
  if (mutant_row >= 0) os << "mutant " << mutant_row << " " << mutant_col << "\n";
  return os.str();
}

std::string ArrayConfig::name() const {
  const std::string h = hex64(fnv1a(canonical()));
  return "gm_array_r" + std::to_string(rows) + "c" + std::to_string(cols) + "_" +
         std::string(16 - h.size(), '0') + h;
}

std::pair<int, int> parse_array_dims(const std::string& text) {
  static const std::regex re(R"(^\s*(\d{1,3})\s*[xX]\s*(\d{1,3})\s*$)");
  std::smatch m;
  const std::string range = "1.." + std::to_string(kMaxArraySide);
  if (!std::regex_match(text, m, re))
    throw UserError("bad --array '" + text + "'; give ROWSxCOLS, e.g. 8x8, each side " + range);
  const int r = std::stoi(m[1]), c = std::stoi(m[2]);
  if (r < 1 || r > kMaxArraySide || c < 1 || c > kMaxArraySide)
    throw UserError("bad --array '" + text + "'; each side must be " + range);
  return {r, c};
}

namespace {

int parse_index(const std::string& tok, int limit, const std::string& what, const std::string& where) {
  static const std::regex digits(R"(^\d{1,3}$)");
  if (!std::regex_match(tok, digits) || std::stoi(tok) >= limit)
    throw UserError(where + ": bad " + what + " '" + tok + "'; the array has " + what + "s 0.." +
                    std::to_string(limit - 1));
  return std::stoi(tok);
}

Spec parse_map_spec(const std::string& tok, const std::string& where) {
  try {
    return parse_spec(tok);
  } catch (const SpecError& e) {
    throw UserError(where + ": " + e.what());
  }
}

}  // namespace

void apply_mul_map(ArrayConfig& cfg, const std::string& text, const std::string& origin) {
  std::istringstream in(text);
  std::string line;
  int number = 0;
  const std::string usage = "; lines are `row R SPEC`, `col C SPEC`, `pe R C SPEC` or `all SPEC` (# comments)";
  while (std::getline(in, line)) {
    ++number;
    const std::string where = origin + ":" + std::to_string(number);
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream ls(line);
    std::vector<std::string> tok;
    for (std::string t; ls >> t;) tok.push_back(t);
    if (tok.empty()) continue;
    const std::string& kind = tok[0];
    const size_t want = kind == "pe" ? 4 : 3;
    if (kind == "all" ? tok.size() != 2 : (kind != "row" && kind != "col" && kind != "pe") || tok.size() != want)
      throw UserError(where + ": cannot read '" + line + "'" + usage);
    const Spec spec = parse_map_spec(tok.back(), where);
    for (int r = 0; r < cfg.rows; ++r)
      for (int c = 0; c < cfg.cols; ++c) {
        bool hit = kind == "all";
        if (kind == "row") hit = r == parse_index(tok[1], cfg.rows, "row", where);
        if (kind == "col") hit = c == parse_index(tok[1], cfg.cols, "column", where);
        if (kind == "pe")
          hit = r == parse_index(tok[1], cfg.rows, "row", where) && c == parse_index(tok[2], cfg.cols, "column", where);
        if (hit) cfg.pe[r * cfg.cols + c] = spec;
      }
  }
}

const ProductTable& shared_product_table(const Spec& spec) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<ProductTable>> tables;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = tables[spec.canonical()];
  if (!slot) slot = std::make_unique<ProductTable>(spec);
  return *slot;
}

int64_t array_max_abs_product(const ArrayConfig& cfg) {
  int64_t best = 0;
  for (const auto& s : cfg.distinct_specs())
    for (const int32_t v : shared_product_table(s).entries()) best = std::max<int64_t>(best, v < 0 ? -int64_t{v} : v);
  return best;
}

namespace {

// Zero-gating holds the multiplier's operand registers and adds 0 instead of the product when the
// activation or the weight is 0. That is exact only when the model gives M(x, 0) = M(0, x) = 0.
void check_zero_gate(const Spec& spec) {
  const ProductTable& t = shared_product_table(spec);
  const uint64_t zero = 0;
  for (uint64_t v = 0; v < t.side(); ++v) {
    const int32_t p = t.at(v, zero), q = t.at(zero, v);
    if (p != 0 || q != 0) {
      const int64_t x = t.operand(v);
      throw UserError("--zero-gate needs M(x,0) = M(0,x) = 0, but " + spec.canonical() + " gives " +
                      (p != 0 ? "M(" + std::to_string(x) + ",0) = " + std::to_string(p)
                              : "M(0," + std::to_string(x) + ") = " + std::to_string(q)) +
                      "; run this multiplier without --zero-gate");
    }
  }
}

}  // namespace

ArrayConfig make_array_config(int rows, int cols, const Spec& mul, const std::string& mul_map_path,
                              int acc_width, bool zero_gate) {
  const std::string range = "1.." + std::to_string(kMaxArraySide);
  if (rows < 1 || rows > kMaxArraySide || cols < 1 || cols > kMaxArraySide)
    throw UserError("array sides must be " + range + ", got " + std::to_string(rows) + "x" + std::to_string(cols));
  ArrayConfig cfg;
  cfg.rows = rows;
  cfg.cols = cols;
  cfg.acc_width = acc_width;
  cfg.zero_gate = zero_gate;
  cfg.pe.assign(rows * cols, mul);
  if (!mul_map_path.empty()) apply_mul_map(cfg, read_file(mul_map_path), mul_map_path);
  const Spec& first = cfg.pe.front();
  for (const auto& s : cfg.distinct_specs())
    if (s.w != first.w || s.is_signed != first.is_signed)
      throw UserError("all multipliers of an array need the same w and s; " + first.canonical() + " and " +
                      s.canonical() + " differ");
  if (first.w > kMaxArrayWidth)
    throw UserError("array multipliers need w <= " + std::to_string(kMaxArrayWidth) + ", got w=" +
                    std::to_string(first.w));
  if (acc_width < 2 * first.w || acc_width > 64)
    throw UserError("--acc-width must be " + std::to_string(2 * first.w) + "..64 (at least the " +
                    std::to_string(2 * first.w) + "-bit product), got " + std::to_string(acc_width));
  if (zero_gate)
    for (const auto& s : cfg.distinct_specs()) check_zero_gate(s);
  return cfg;
}

// ---------------------------------------------------------------------------------------------
// Verilog text

namespace {

std::string range(int width, int lo = 0) { return "[" + std::to_string(lo + width - 1) + ":" + std::to_string(lo) + "]"; }
std::string lit(int width, int64_t v) { return std::to_string(width) + "'d" + std::to_string(v); }
int bits_for(int64_t max_value) {  // bits to hold 0..max_value, at least 1
  int b = 1;
  while ((int64_t{1} << b) <= max_value) ++b;
  return b;
}
std::string rc(int r, int c) { return "_r" + std::to_string(r) + "c" + std::to_string(c); }

void header(std::ostringstream& os, const std::vector<std::string>& lines) {
  for (const auto& l : lines) os << "// " << l << "\n";
  os << "\n`default_nettype none\n\n";
}

std::string pe_module_name(const ArrayConfig& cfg, const Spec& spec, bool mutant) {
  if (mutant) return cfg.name() + "_pe_mutant";
  std::string n = spec.name();
  if (n.rfind("gm_", 0) == 0) n = n.substr(3);
  return cfg.name() + "_pe_" + n;
}

// The product sign- or zero-extended to the accumulator width.
std::string extend_product(const ArrayConfig& cfg) {
  const int pw = 2 * cfg.w(), ext = cfg.acc_width - pw;
  if (ext == 0) return "product";
  if (cfg.is_signed()) return "{{" + std::to_string(ext) + "{product[" + std::to_string(pw - 1) + "]}}, product}";
  return "{" + lit(ext, 0) + ", product}";
}

// One PE: two weight banks, the activation register passed east, the multiplier, the partial-sum
// register passed south.
std::string pe_verilog(const ArrayConfig& cfg, const Spec& spec, const std::string& module, bool mutant,
                       const std::vector<std::string>& head) {
  const int w = cfg.w(), pw = 2 * w, acc = cfg.acc_width;
  std::ostringstream os;
  header(os, head);
  os << "module " << module << " (\n"
     << "  input  wire clk_i,\n"
     << "  input  wire rst_ni,\n"
     << "  input  wire en_i,\n"
     << "  input  wire " << range(w) << " w_data_i,\n"
     << "  input  wire [1:0] w_we_i,\n"
     << "  input  wire " << range(w) << " x_i,\n"
     << "  input  wire x_valid_i,\n"
     << "  input  wire x_sel_i,\n"
     << "  input  wire " << range(acc) << " psum_i,\n"
     << "  output wire " << range(w) << " x_o,\n"
     << "  output wire x_valid_o,\n"
     << "  output wire x_sel_o,\n"
     << "  output wire " << range(acc) << " psum_o\n"
     << ");\n\n";
  os << "  // Weight banks: bank 0 (lo) and bank 1 (hi); the load path writes one while the other computes.\n"
     << "  reg " << range(w) << " wbank_lo_q;\n  reg " << range(w) << " wbank_hi_q;\n"
     << "  always @(posedge clk_i) begin\n"
     << "    if (w_we_i[0]) wbank_lo_q <= w_data_i;\n"
     << "    if (w_we_i[1]) wbank_hi_q <= w_data_i;\n"
     << "  end\n\n";
  os << "  // The activation and its control bits move east one PE per advancing cycle (en_i).\n"
     << "  reg " << range(w) << " x_q;\n  reg x_valid_q;\n  reg x_sel_q;\n";
  if (cfg.zero_gate) os << "  reg gate_q;\n";
  os << "  always @(posedge clk_i) begin\n"
     << "    if (!rst_ni) begin\n"
     << "      x_valid_q <= 1'b0;\n      x_sel_q <= 1'b0;\n";
  if (cfg.zero_gate) os << "      gate_q <= 1'b1;\n";
  os << "    end else if (en_i) begin\n"
     << "      x_valid_q <= x_valid_i;\n      x_sel_q <= x_sel_i;\n";
  if (cfg.zero_gate) os << "      gate_q <= gate_d;\n";
  os << "    end\n  end\n"
     << "  always @(posedge clk_i) begin\n    if (en_i) x_q <= x_i;\n  end\n\n";

  os << "  wire " << range(pw) << " product;\n";
  if (cfg.zero_gate) {
    os << "  // Zero gating: when the activation or its weight is 0 (or the slot is empty) the operand\n"
       << "  // registers keep their old values, so the multiplier does not switch, and the PE adds 0,\n"
       << "  // which is exact because M(x,0) = M(0,x) = 0 for this multiplier (checked by the generator).\n"
       << "  wire " << range(w) << " weight_next;\n"
       << "  assign weight_next = x_sel_i ? wbank_hi_q : wbank_lo_q;\n"
       << "  wire gate_d;\n"
       << "  assign gate_d = ~x_valid_i | (x_i == " << lit(w, 0) << ") | (weight_next == " << lit(w, 0) << ");\n"
       << "  reg " << range(w) << " op_x_q;\n  reg " << range(w) << " op_w_q;\n"
       << "  always @(posedge clk_i) begin\n"
       << "    if (en_i && !gate_d) begin\n      op_x_q <= x_i;\n      op_w_q <= weight_next;\n    end\n"
       << "  end\n"
       << "  " << spec.name() << " u_mul (\n    .a_i(op_x_q),\n    .b_i(op_w_q),\n    .y_o(product)\n  );\n\n";
  } else {
    os << "  wire " << range(w) << " weight;\n"
       << "  assign weight = x_sel_q ? wbank_hi_q : wbank_lo_q;\n"
       << "  " << spec.name() << " u_mul (\n    .a_i(x_q),\n    .b_i(weight),\n    .y_o(product)\n  );\n\n";
  }
  os << "  // Partial sum: acc-bit two's complement, wraps around (the carry out is dropped on purpose).\n"
     << "  wire " << range(acc) << " addend;\n"
     << "  assign addend = " << (cfg.zero_gate ? "gate_q ? " + lit(acc, 0) + " : " : "") << extend_product(cfg)
     << ";\n"
     << "  wire " << range(acc) << " psum_d;\n"
     << "  assign psum_d = psum_i + addend" << (mutant ? " + " + lit(acc, 1) : "") << ";\n"
     << "  reg " << range(acc) << " psum_q;\n"
     << "  always @(posedge clk_i) begin\n    if (en_i) psum_q <= psum_d;\n  end\n\n"
     << "  assign x_o = x_q;\n  assign x_valid_o = x_valid_q;\n  assign x_sel_o = x_sel_q;\n"
     << "  assign psum_o = psum_q;\n\n"
     << "endmodule\n\n`default_nettype wire\n";
  return os.str();
}

std::string top_verilog(const ArrayConfig& cfg, const std::vector<std::string>& head,
                        const std::map<std::string, std::string>& pe_module_of) {
  const int R = cfg.rows, C = cfg.cols, w = cfg.w(), acc = cfg.acc_width;
  const int rb = bits_for(R - 1), db = bits_for(C - 1);
  std::ostringstream os;
  header(os, head);
  os << "module " << cfg.name() << " (\n"
     << "  input  wire clk_i,\n"
     << "  input  wire rst_ni,\n"
     << "  input  wire w_valid_i,\n"
     << "  output wire w_ready_o,\n"
     << "  input  wire " << range(C * w) << " w_data_i,\n"
     << "  input  wire x_valid_i,\n"
     << "  output wire x_ready_o,\n"
     << "  input  wire " << range(R * w) << " x_data_i,\n"
     << "  input  wire x_last_i,\n"
     << "  output wire y_valid_o,\n"
     << "  input  wire y_ready_i,\n"
     << "  output wire " << range(C * acc) << " y_data_o,\n"
     << "  output wire y_last_o\n"
     << ");\n\n";
  os << "  // The whole pipeline advances together; it holds while a result waits to be accepted.\n"
     << "  reg y_valid_q;\n  wire en;\n  assign en = ~y_valid_q | y_ready_i;\n\n";

  os << "  // Weight load: beat j writes row j of the bank being filled; after " << R << " beats the bank is full.\n"
     << "  // A bank is emptied by the last activation of its tile and may be refilled " << C - 1 << " cycles\n"
     << "  // later, when that activation has passed the last column (rows are refilled in order 0..R-1).\n"
     << "  reg " << range(rb) << " w_row_q;\n  reg load_bank_q;\n  reg comp_bank_q;\n  reg [1:0] full_q;\n"
     << "  reg " << range(db) << " drain_lo_q;\n  reg " << range(db) << " drain_hi_q;\n"
     << "  wire load_blocked;\n"
     << "  assign load_blocked = load_bank_q ? (full_q[1] | (drain_hi_q != " << lit(db, 0)
     << ")) : (full_q[0] | (drain_lo_q != " << lit(db, 0) << "));\n"
     << "  assign w_ready_o = en & ~load_blocked;\n"
     << "  assign x_ready_o = en & (comp_bank_q ? full_q[1] : full_q[0]);\n"
     << "  wire w_fire;\n  assign w_fire = w_valid_i & w_ready_o;\n"
     << "  wire x_fire;\n  assign x_fire = x_valid_i & x_ready_o;\n"
     << "  wire load_done;\n  assign load_done = w_fire & (w_row_q == " << lit(rb, R - 1) << ");\n"
     << "  wire tile_done;\n  assign tile_done = x_fire & x_last_i;\n"
     << "  wire [1:0] full_d;\n"
     << "  assign full_d[0] = (full_q[0] | (load_done & ~load_bank_q)) & ~(tile_done & ~comp_bank_q);\n"
     << "  assign full_d[1] = (full_q[1] | (load_done & load_bank_q)) & ~(tile_done & comp_bank_q);\n"
     << "  always @(posedge clk_i) begin\n"
     << "    if (!rst_ni) begin\n"
     << "      w_row_q <= " << lit(rb, 0) << ";\n      load_bank_q <= 1'b0;\n      comp_bank_q <= 1'b0;\n"
     << "      full_q <= 2'b00;\n      drain_lo_q <= " << lit(db, 0) << ";\n      drain_hi_q <= " << lit(db, 0)
     << ";\n"
     << "    end else begin\n"
     << "      full_q <= full_d;\n"
     << "      if (load_done) begin\n        w_row_q <= " << lit(rb, 0)
     << ";\n        load_bank_q <= ~load_bank_q;\n"
     << "      end else if (w_fire) begin\n        w_row_q <= w_row_q + " << lit(rb, 1) << ";\n      end\n"
     << "      if (tile_done) comp_bank_q <= ~comp_bank_q;\n"
     << "      if (tile_done && !comp_bank_q) drain_lo_q <= " << lit(db, C - 1) << ";\n"
     << "      else if (en && drain_lo_q != " << lit(db, 0) << ") drain_lo_q <= drain_lo_q - " << lit(db, 1) << ";\n"
     << "      if (tile_done && comp_bank_q) drain_hi_q <= " << lit(db, C - 1) << ";\n"
     << "      else if (en && drain_hi_q != " << lit(db, 0) << ") drain_hi_q <= drain_hi_q - " << lit(db, 1) << ";\n"
     << "    end\n  end\n\n";

  os << "  // Input skew: row r of the activation beat is delayed r cycles, with its valid and bank bits.\n";
  for (int r = 0; r < R; ++r) {
    const std::string data = "x_data_i" + range(w, r * w);
    if (r == 0) {
      os << "  wire " << range(w) << " lane_x_r0;\n  assign lane_x_r0 = " << data << ";\n"
         << "  wire lane_v_r0;\n  assign lane_v_r0 = x_fire;\n"
         << "  wire lane_s_r0;\n  assign lane_s_r0 = comp_bank_q;\n";
      continue;
    }
    const std::string n = std::to_string(r);
    os << "  reg " << range(r * w) << " skew_x_r" << n << "_q;\n"
       << "  reg " << range(2 * r) << " skew_c_r" << n << "_q;\n"
       << "  always @(posedge clk_i) begin\n"
       << "    if (en) skew_x_r" << n << "_q <= "
       << (r == 1 ? data : "{skew_x_r" + n + "_q" + range((r - 1) * w) + ", " + data + "}") << ";\n"
       << "  end\n"
       << "  always @(posedge clk_i) begin\n"
       << "    if (!rst_ni) skew_c_r" << n << "_q <= " << lit(2 * r, 0) << ";\n"
       << "    else if (en) skew_c_r" << n << "_q <= "
       << (r == 1 ? "{x_fire, comp_bank_q}" : "{skew_c_r" + n + "_q" + range(2 * (r - 1)) + ", x_fire, comp_bank_q}")
       << ";\n  end\n"
       << "  wire " << range(w) << " lane_x_r" << n << ";\n  assign lane_x_r" << n << " = skew_x_r" << n << "_q"
       << range(w, (r - 1) * w) << ";\n"
       << "  wire lane_v_r" << n << ";\n  assign lane_v_r" << n << " = skew_c_r" << n << "_q[" << 2 * r - 1 << "];\n"
       << "  wire lane_s_r" << n << ";\n  assign lane_s_r" << n << " = skew_c_r" << n << "_q[" << 2 * r - 2 << "];\n";
  }
  os << "\n  // Weight write enables per row: {bank 1, bank 0}.\n";
  for (int r = 0; r < R; ++r) {
    os << "  wire [1:0] w_we_r" << r << ";\n  assign w_we_r" << r << " = {2{w_fire & (w_row_q == " << lit(rb, r)
       << ")}} & {load_bank_q, ~load_bank_q};\n";
  }
  os << "\n  // The PE grid: activations move east, partial sums move south.\n";
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      const std::string s = rc(r, c);
      os << "  wire " << range(w) << " x" << s << ";\n  wire xv" << s << ";\n  wire xs" << s << ";\n"
         << "  wire " << range(acc) << " ps" << s << ";\n";
    }
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      const std::string s = rc(r, c), west = rc(r, c - 1), n = std::to_string(r);
      const bool mutant = r == cfg.mutant_row && c == cfg.mutant_col;
      const std::string module = mutant ? pe_module_name(cfg, cfg.at(r, c), true)
                                        : pe_module_of.at(cfg.at(r, c).canonical());
      os << "  " << module << " u_pe" << s << " (\n"
         << "    .clk_i(clk_i),\n    .rst_ni(rst_ni),\n    .en_i(en),\n"
         << "    .w_data_i(w_data_i" << range(w, c * w) << "),\n"
         << "    .w_we_i(w_we_r" << n << "),\n"
         << "    .x_i(" << (c == 0 ? "lane_x_r" + n : "x" + west) << "),\n"
         << "    .x_valid_i(" << (c == 0 ? "lane_v_r" + n : "xv" + west) << "),\n"
         << "    .x_sel_i(" << (c == 0 ? "lane_s_r" + n : "xs" + west) << "),\n"
         << "    .psum_i(" << (r == 0 ? lit(acc, 0) : "ps" + rc(r - 1, c)) << "),\n"
         << "    .x_o(x" << s << "),\n    .x_valid_o(xv" << s << "),\n    .x_sel_o(xs" << s << "),\n"
         << "    .psum_o(ps" << s << ")\n  );\n";
    }
  os << "\n  // The east edge's outputs are not needed (the last column's valid bit is the result's).\n"
     << "  wire unused_east;\n  assign unused_east = ^{";
  bool first = true;
  for (int r = 0; r < R; ++r) {
    const std::string s = rc(r, C - 1);
    os << (first ? "" : ", ") << "x" << s << ", xs" << s;
    if (r != R - 1) os << ", xv" << s;
    first = false;
  }
  os << "};\n\n";

  os << "  // Output de-skew: column c's sums are delayed " << "C-1-c cycles so a whole row of Y leaves at once.\n";
  for (int c = 0; c < C; ++c) {
    const int n = C - 1 - c;
    const std::string sum = "ps" + rc(R - 1, c), cn = std::to_string(c);
    if (n == 0) {
      os << "  assign y_data_o" << range(acc, c * acc) << " = " << sum << ";\n";
      continue;
    }
    os << "  reg " << range(n * acc) << " deskew_c" << cn << "_q;\n"
       << "  always @(posedge clk_i) begin\n    if (en) deskew_c" << cn << "_q <= "
       << (n == 1 ? sum : "{deskew_c" + cn + "_q" + range((n - 1) * acc) + ", " + sum + "}") << ";\n  end\n"
       << "  assign y_data_o" << range(acc, c * acc) << " = deskew_c" << cn << "_q" << range(acc, (n - 1) * acc)
       << ";\n";
  }
  const int last_len = R + C;
  os << "\n  // Result valid: the last column's valid bit, one cycle after its sum; `last` follows the\n"
     << "  // tile's last activation through the same " << last_len << " stages.\n"
     << "  reg " << range(last_len) << " last_q;\n"
     << "  always @(posedge clk_i) begin\n"
     << "    if (!rst_ni) begin\n      y_valid_q <= 1'b0;\n      last_q <= " << lit(last_len, 0) << ";\n"
     << "    end else if (en) begin\n      y_valid_q <= xv" << rc(R - 1, C - 1) << ";\n"
     << "      last_q <= " << (last_len == 1 ? "tile_done" : "{last_q" + range(last_len - 1) + ", tile_done}")
     << ";\n    end\n  end\n"
     << "  assign y_valid_o = y_valid_q;\n"
     << "  assign y_last_o = last_q[" << last_len - 1 << "];\n\n"
     << "endmodule\n\n`default_nettype wire\n";
  return os.str();
}

// A lookup-table stand-in for a multiplier: same module name and ports, product read from a table.
std::string lut_verilog(const Spec& spec) {
  const int w = spec.w, pw = 2 * w;
  std::ostringstream os;
  header(os, {std::string("generated by greenmac ") + kVersion + " from " + spec.canonical() + "; do not edit",
              "SIMULATION ONLY: the multiplier as a lookup table of its truth table (" + spec.name() + ".hex);",
              "equal to the gate-level design because `greenmac verify` proves that design equal to the table"});
  os << "module " << spec.name() << " (\n"
     << "  input  wire " << range(w) << " a_i,\n"
     << "  input  wire " << range(w) << " b_i,\n"
     << "  output wire " << range(pw) << " y_o\n);\n\n"
     << "  reg " << range(pw) << " lut [0:" << (uint64_t{1} << pw) - 1 << "];\n"
     << "  initial $readmemh(\"" << spec.name() << ".hex\", lut);\n"
     << "  assign y_o = lut[{a_i, b_i}];\n\n"
     << "endmodule\n\n`default_nettype wire\n";
  return os.str();
}

std::string lut_hex(const Spec& spec) {
  const ProductTable& t = shared_product_table(spec);
  const uint64_t mask = (uint64_t{1} << (2 * spec.w)) - 1;
  std::string out;
  out.reserve(t.size() * 7);
  char buf[24];
  for (const int32_t v : t.entries()) {
    const int n = std::snprintf(buf, sizeof buf, "%llx\n",
                                static_cast<unsigned long long>(static_cast<uint64_t>(int64_t{v}) & mask));
    out.append(buf, n);
  }
  return out;
}

}  // namespace

ArrayRtl generate_array(const ArrayConfig& cfg, MulModel mul_model) {
  ArrayRtl out;
  out.top = cfg.name();
  out.max_abs_product = array_max_abs_product(cfg);
  out.k_max = k_max(cfg.acc_width, out.max_abs_product);
  const std::string origin = std::string("generated by greenmac ") + kVersion + " from gen-array rows=" +
                             std::to_string(cfg.rows) + " cols=" + std::to_string(cfg.cols) +
                             " acc=" + std::to_string(cfg.acc_width) + (cfg.zero_gate ? " zero-gate" : "") +
                             "; do not edit";
  const std::string sign = cfg.is_signed() ? "signed" : "unsigned";
  const std::vector<std::string> head = {
      origin,
      cfg.name() + ": " + std::to_string(cfg.rows) + "x" + std::to_string(cfg.cols) +
          " weight-stationary systolic array, " + std::to_string(cfg.w()) + "-bit " + sign + " operands, " +
          std::to_string(cfg.acc_width) + "-bit wrap-around accumulators",
      "largest K without accumulator overflow: " + std::to_string(out.k_max) + " (max |product| " +
          std::to_string(out.max_abs_product) + ")",
      "multipliers per PE: see manifest.json; protocol and latencies: docs/array.md"};

  std::map<std::string, std::string> pe_module_of;
  std::vector<ArrayFile> pe_files;
  for (const auto& s : cfg.distinct_specs()) {
    const std::string module = pe_module_name(cfg, s, false);
    pe_module_of[s.canonical()] = module;
    std::vector<std::string> h = head;
    h[1] = module + ": processing element of " + cfg.name() + " with multiplier " + s.canonical();
    pe_files.push_back({module + ".v", pe_verilog(cfg, s, module, false, h)});
  }
  out.files.push_back({cfg.name() + ".v", top_verilog(cfg, head, pe_module_of)});
  for (auto& f : pe_files) out.files.push_back(std::move(f));
  if (cfg.mutant_row >= 0) {
    const Spec& s = cfg.at(cfg.mutant_row, cfg.mutant_col);
    const std::string module = pe_module_name(cfg, s, true);
    std::vector<std::string> h = head;
    h[1] = module + ": MUTANT processing element (adds 1 to its partial sum), for testing the harness";
    out.files.push_back({module + ".v", pe_verilog(cfg, s, module, true, h)});
  }
  nlohmann::json muls = nlohmann::json::array();
  for (const auto& s : cfg.distinct_specs()) {
    if (mul_model == MulModel::kGate) {
      out.files.push_back({s.name() + ".v", rtl::generate_verilog(s)});
    } else {
      out.files.push_back({s.name() + ".v", lut_verilog(s)});
      out.files.push_back({s.name() + ".hex", lut_hex(s)});
    }
    muls.push_back({{"spec", s.canonical()}, {"name", s.name()}, {"file", s.name() + ".v"}});
  }
  nlohmann::json grid = nlohmann::json::array();
  for (int r = 0; r < cfg.rows; ++r) {
    nlohmann::json row = nlohmann::json::array();
    for (int c = 0; c < cfg.cols; ++c) row.push_back(cfg.at(r, c).canonical());
    grid.push_back(row);
  }
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : out.files) files.push_back(f.name);
  const int R = cfg.rows, C = cfg.cols, w = cfg.w(), acc = cfg.acc_width;
  out.manifest = {
      {"generator", "greenmac"},
      {"version", kVersion},
      {"top", cfg.name()},
      {"file", cfg.name() + ".v"},
      {"rows", R},
      {"cols", C},
      {"w", w},
      {"signed", cfg.is_signed()},
      {"acc_width", acc},
      {"zero_gate", cfg.zero_gate},
      {"mul_model", mul_model == MulModel::kGate ? "gate" : "lut"},
      {"multipliers", muls},
      {"pe_multipliers", grid},
      {"files", files},
      {"max_abs_product", out.max_abs_product},
      {"k_max", out.k_max},
      {"latency",
       {{"weight_load_beats", R},
        {"first_activation_after_last_weight_beat", 1},
        {"result_after_activation", R + C},
        {"bank_refill_after_last_activation", C}}},
      {"ports", nlohmann::json::array({
                    {{"name", "clk_i"}, {"dir", "input"}, {"width", 1}},
                    {{"name", "rst_ni"}, {"dir", "input"}, {"width", 1}},
                    {{"name", "w_valid_i"}, {"dir", "input"}, {"width", 1}},
                    {{"name", "w_ready_o"}, {"dir", "output"}, {"width", 1}},
                    {{"name", "w_data_i"}, {"dir", "input"}, {"width", C * w}},
                    {{"name", "x_valid_i"}, {"dir", "input"}, {"width", 1}},
                    {{"name", "x_ready_o"}, {"dir", "output"}, {"width", 1}},
                    {{"name", "x_data_i"}, {"dir", "input"}, {"width", R * w}},
                    {{"name", "x_last_i"}, {"dir", "input"}, {"width", 1}},
                    {{"name", "y_valid_o"}, {"dir", "output"}, {"width", 1}},
                    {{"name", "y_ready_i"}, {"dir", "input"}, {"width", 1}},
                    {{"name", "y_data_o"}, {"dir", "output"}, {"width", C * acc}},
                    {{"name", "y_last_o"}, {"dir", "output"}, {"width", 1}},
                })},
  };
  return out;
}

std::vector<fs::path> write_array(const ArrayRtl& rtl, const fs::path& dir) {
  ensure_output_dir(dir);
  std::vector<fs::path> verilog;
  for (const auto& f : rtl.files) {
    write_file_atomic(dir / f.name, f.text);
    if (f.name.size() > 2 && f.name.substr(f.name.size() - 2) == ".v") verilog.push_back(dir / f.name);
  }
  write_file_atomic(dir / "manifest.json", rtl.manifest.dump(2) + "\n");
  return verilog;
}

}  // namespace gm
