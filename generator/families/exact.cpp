// exact:arch=dadda|array|wallace|booth4 and yosys: the exact multipliers.
//
//   dadda    AND (Baugh-Wooley when signed) matrix, Dadda tree, ripple-carry adder. The default: the
//            fewest adder cells of the three trees.
//   array    the same matrix accumulated row by row in a carry-save array.
//   wallace  the same matrix, Wallace tree.
//   booth4   radix-4 Booth recoding of b: ceil((n+1)/2) rows of digit * a, digit in {-2..2}, reduced
//            by a Dadda tree. Unsigned operands get a zero sign bit (n = w + 1).
//   yosys    behavioural `a * b`; the synthesis tool chooses the structure.
#include "generator/gates/pp_tree.hpp"
#include "generator/registry.hpp"

namespace gm::rtl {
namespace {

// Radix-4 Booth rows. For digit k, looking at b bits (2k+1, 2k, 2k-1):
//   neg = b[2k+1], one = b[2k] ^ b[2k-1],
//   two = (b[2k+1] & ~b[2k] & ~b[2k-1]) | (~b[2k+1] & b[2k] & b[2k-1])
// row bit i = ((one & a[i]) | (two & a[i-1])) ^ neg, for i = 0..m (m = operand width, a sign-extended).
// A row is an (m+1)-bit two's-complement value plus `neg` at its LSB. Its sign bit s is emitted as ~s
// and -2^(m+2k) is added as a constant (since -s 2^m = ~s 2^m - 2^m), which avoids sign extension.
Columns booth4_matrix(Netlist& nl, int w, bool is_signed) {
  const int m = is_signed ? w : w + 1;  // operand width with the sign bit
  const int width = 2 * w;
  auto a_bit = [&](int i) {
    if (i < 0) return Netlist::zero();
    if (i >= w) return is_signed ? nl.a(w - 1) : Netlist::zero();
    return nl.a(i);
  };
  auto b_bit = [&](int i) {
    if (i < 0) return Netlist::zero();
    if (i >= w) return is_signed ? nl.b(w - 1) : Netlist::zero();
    return nl.b(i);
  };
  Columns cols(width);
  uint64_t correction = 0;
  const int digits = (m + 1) / 2;
  for (int k = 0; k < digits; ++k) {
    const std::string d = "d" + std::to_string(k);
    nl.section("Booth encoder of digit k = " + std::to_string(k) + " (enc_" + d + "_*): neg = b[2k+1], one = " +
               "b[2k] ^ b[2k-1], two = b[2k+1..2k-1] in {100 (is100), 011 (is011)}");
    const Net hi = b_bit(2 * k + 1), mid = b_bit(2 * k), lo = b_bit(2 * k - 1);
    const Net neg = hi;
    const std::string enc = "enc_" + d;
    const Net one = nl.xor2(mid, lo, enc + "_one");
    const Net two = nl.or2(nl.and2(hi, nl.nor2(mid, lo, enc + "_nor_ml"), enc + "_is100"),
                           nl.and2(nl.not1(hi, enc + "_nhi"), nl.and2(mid, lo, enc + "_and_ml"), enc + "_is011"),
                           enc + "_two");
    nl.section("Booth partial products of digit k = " + std::to_string(k) + ": pp_" + d +
               "_a<i> = ((one & a[i]) | (two & a[i-1])) ^ neg in column 2k+i, the top one inverted");
    for (int i = 0; i <= m; ++i) {
      const int col = 2 * k + i;
      if (col >= width) break;
      const std::string pp = "pp_" + d + "_a" + std::to_string(i);
      Net bit = nl.xor2(nl.or2(nl.and2(one, a_bit(i), pp + "_one"), nl.and2(two, a_bit(i - 1), pp + "_two"), pp + "_sel"),
                        neg, i == m ? pp + "_pos" : pp);
      if (i == m) bit = nl.not1(bit, pp);
      cols[col].push_back(bit);
    }
    if (2 * k < width) cols[2 * k].push_back(neg);
    if (m + 2 * k < 64) correction -= uint64_t{1} << (m + 2 * k);
  }
  const uint64_t mask = width >= 64 ? ~0ull : ((uint64_t{1} << width) - 1);
  add_constant(cols, correction & mask);
  return cols;
}

std::string generate_exact(const Spec& spec, const std::vector<std::string>& header) {
  const int w = spec.w, width = spec.out_width();
  Netlist nl(w, w, width);
  const std::string& arch = spec.get_str("arch");
  if (arch == "booth4") {
    sum_to_output(nl, booth4_matrix(nl, w, spec.is_signed), Reduction::kDadda);
  } else if (arch == "array") {
    nl.set_outputs(final_adder(nl, reduce_rows(nl, pp_matrix(nl, w, spec.is_signed), width)));
  } else {
    const Reduction how = arch == "wallace" ? Reduction::kWallace : Reduction::kDadda;
    sum_to_output(nl, to_columns(pp_matrix(nl, w, spec.is_signed), width), how);
  }
  return nl.emit(spec.name(), header);
}

// The behavioural baseline: the only generated design that uses `*`, on purpose.
std::string generate_yosys(const Spec& spec, const std::vector<std::string>& header) {
  const int w = spec.w;
  std::string out;
  for (const auto& line : header) out += "// " + line + "\n";
  out += "\n`default_nettype none\n\nmodule " + spec.name() + " (\n";
  out += "  input  wire [" + std::to_string(w - 1) + ":0] a_i,\n";
  out += "  input  wire [" + std::to_string(w - 1) + ":0] b_i,\n";
  out += "  output wire [" + std::to_string(2 * w - 1) + ":0] y_o\n);\n\n";
  if (spec.is_signed)
    out += "  assign y_o = $signed(a_i) * $signed(b_i);\n";
  else
    out += "  assign y_o = {{" + std::to_string(w) + "{1'b0}}, a_i} * {{" + std::to_string(w) +
           "{1'b0}}, b_i};\n";
  out += "\nendmodule\n\n`default_nettype wire\n";
  return out;
}

const GeneratorRegistrar exact_gen("exact", generate_exact);
const GeneratorRegistrar yosys_gen("yosys", generate_yosys);

}  // namespace
}  // namespace gm::rtl
