// A gate-level netlist builder that emits one lint-clean Verilog-2005 module.
//
// Families build their structure from the small helpers below (each documented with its Boolean
// equation). The builder folds constants as it goes (x & 0 = 0, a full adder with a constant input
// becomes a half adder or wires), removes logic that reaches no output, and emits every gate as
// one `assign` to a scalar wire. The caller names every gate after its place in the structure, so
// that the RTL reads like the structure:
//
//     // partial products: pp = a_i[i] & b_i[j]
//     assign pp_a1_b2 = a_i[1] & b_i[2];
//     // Dadda stage r1: ...
//     assign fa_c5_r1_k0_s = pp_a5_b0 ^ pp_a4_b1 ^ pp_a3_b2;
//
// Naming rules, checked when a gate is made (a broken rule is a generator bug: std::logic_error):
//   * lower_snake_case: a letter, then letters, digits and '_', with at least one '_' (so no
//     Verilog keyword), never ending in `_<digits>` (synthesis reads that as a bus bit), and not
//     a port name or `unused_inputs`;
//   * unique within the module: a second gate with the same name is refused.
// A gate that folds away makes no net and its name is not used. A helper that folds into two
// gates names the outer one `name` and the inner one `name` plus a suffix saying what it is.
// Cells are named `<cell>_s` (sum) and `<cell>_c` (carry).
//
// Ports: a_i[wa-1:0], b_i[wb-1:0] and y_o[wy-1:0]. Input bits that no output depends on are
// collected into `unused_inputs` (lowRISC's convention; Verilator's default unused-regexp).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace gm::rtl {

// A net: a gate output, an input bit, or a constant.
struct Net {
  int id = -1;  // -1 const 0, -2 const 1, >= 0 node index
  bool is_const() const { return id < 0; }
  bool is_zero() const { return id == -1; }
  bool is_one() const { return id == -2; }
  bool operator==(const Net& o) const { return id == o.id; }
};

// "prefix_rest", or "rest" when the prefix is empty: how nested builders name their nets.
std::string join_name(const std::string& prefix, const std::string& rest);

class Netlist {
 public:
  Netlist(int wa, int wb, int wy);

  Net a(int i) const;
  Net b(int i) const;
  static Net zero() { return Net{-1}; }
  static Net one() { return Net{-2}; }
  static Net constant(bool v) { return v ? one() : zero(); }

  // Gates made after this call are grouped under `comment` in the output.
  void section(const std::string& comment);

  Net not1(Net x, const std::string& name);                // ~x
  Net and2(Net x, Net y, const std::string& name);         // x & y
  Net nand2(Net x, Net y, const std::string& name);        // ~(x & y)
  Net or2(Net x, Net y, const std::string& name);          // x | y
  Net nor2(Net x, Net y, const std::string& name);         // ~(x | y)
  Net xor2(Net x, Net y, const std::string& name);         // x ^ y
  Net xnor2(Net x, Net y, const std::string& name);        // ~(x ^ y)
  Net andnot2(Net x, Net y, const std::string& name);      // x & ~y
  Net ornot2(Net x, Net y, const std::string& name);       // x | ~y
  Net mux2(Net sel, Net d0, Net d1, const std::string& name);  // sel ? d1 : d0

  struct SumCarry {
    Net s, c;
  };
  // Adder cells; the outputs are named `cell`_s and `cell`_c.
  SumCarry half_adder(Net x, Net y, const std::string& cell);         // s = x ^ y, c = x & y
  SumCarry full_adder(Net x, Net y, Net z, const std::string& cell);  // s = x ^ y ^ z, c = maj(x, y, z)

  // Ripple-carry sum of two little-endian bit vectors plus a carry in, `width` result bits
  // (the carry out of the top bit is dropped). Bit i is the full adder `prefix`_c<i>.
  std::vector<Net> add(const std::vector<Net>& x, const std::vector<Net>& y, Net cin, int width,
                       const std::string& prefix);

  void set_output(int bit, Net n);
  void set_outputs(const std::vector<Net>& bits);  // bits beyond the vector are 0

  // The whole file text: header lines (each written as a `// ` comment), `default_nettype none`,
  // the module, `default_nettype wire`.
  std::string emit(const std::string& module, const std::vector<std::string>& header) const;

  int gate_count() const { return static_cast<int>(nodes_.size()); }

 private:
  enum class Op { kInA, kInB, kNot, kAnd, kNand, kOr, kNor, kXor, kXnor, kAndNot, kOrNot, kMux, kXor3, kMaj };
  struct Node {
    Op op;
    Net in[3];
    int bit = 0;   // input bit index for kInA/kInB
    int section = 0;
    std::string name;
  };

  Net make(const std::string& name, Op op, Net x, Net y = {}, Net z = {});
  std::string ref(Net n) const;
  std::string expr(const Node& node) const;

  int wa_, wb_, wy_;
  std::vector<Node> nodes_;
  std::vector<std::string> sections_;  // comments
  std::vector<Net> outputs_;
  std::set<std::string> names_;
};

}  // namespace gm::rtl
