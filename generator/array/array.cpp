// The weight-stationary systolic array's configuration and mul-map. The Verilog is in
// generator/array/array_rtl.cpp. See generator/array/array.hpp and docs/array.md.
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
#include "models/map_lines.hpp"

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
  os << "array rows=" << rows << " cols=" << cols << " acc=" << acc_width << " zero_gate=" << zero_gate
     << " acc_depth=" << acc_depth << " out_stage=" << out_stage << "\n";
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
  const std::string usage = "; lines are `row R SPEC`, `col C SPEC`, `pe R C SPEC` or `all SPEC` (# comments)";
  for (const MapLine& line : map_lines(text, origin)) {
    const auto& tok = line.tokens;
    const std::string& where = line.where;
    const std::string& kind = tok[0];
    const size_t want = kind == "pe" ? 4 : 3;
    if (kind == "all" ? tok.size() != 2 : (kind != "row" && kind != "col" && kind != "pe") || tok.size() != want)
      throw UserError(where + ": cannot read '" + line.text() + "'" + usage);
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

int acc_depth_option(int given) {
  if (given == -1) return 0;
  if (given < 1 || given > kMaxAccDepth)
    throw UserError("--acc-depth must be 1.." + std::to_string(kMaxAccDepth) +
                    " (accumulators per column, the most rows of a tile), got " + std::to_string(given));
  return given;
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
                              int acc_width, bool zero_gate, int acc_depth, bool out_stage) {
  const std::string range = "1.." + std::to_string(kMaxArraySide);
  if (rows < 1 || rows > kMaxArraySide || cols < 1 || cols > kMaxArraySide)
    throw UserError("array sides must be " + range + ", got " + std::to_string(rows) + "x" + std::to_string(cols));
  ArrayConfig cfg;
  cfg.rows = rows;
  cfg.cols = cols;
  cfg.acc_width = acc_width;
  cfg.zero_gate = zero_gate;
  cfg.pe.assign(rows * cols, mul);
  cfg.mul = mul.canonical();
  cfg.mul_map = mul_map_path;
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
  if (acc_depth == 0) acc_depth = rows + cols;
  if (acc_depth < 1 || acc_depth > kMaxAccDepth)
    throw UserError("--acc-depth must be 1.." + std::to_string(kMaxAccDepth) +
                    " (accumulators per column, the most rows of a tile), got " + std::to_string(acc_depth));
  if (out_stage && acc_width != 32)
    throw UserError("--requant needs --acc-width 32 (the requantization is defined on int32 sums), got --acc-width " +
                    std::to_string(acc_width));
  cfg.acc_depth = acc_depth;
  cfg.out_stage = out_stage;
  if (zero_gate)
    for (const auto& s : cfg.distinct_specs()) check_zero_gate(s);
  return cfg;
}

}  // namespace gm
