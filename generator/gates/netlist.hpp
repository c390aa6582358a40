// A gate-level netlist builder that emits one lint-clean Verilog-2005 module.
//
// Families build their structure from the small helpers below (each documented with its Boolean
// equation). The builder folds constants as it goes (x & 0 = 0, a full adder with a constant input
// becomes a half adder or wires), removes logic that reaches no output, and emits every gate as
// one `assign` to a scalar wire named after its section's bank, so that the RTL reads like the
// structure:
//
//     // partial products: pp = a_i[i] & b_i[j]
//     assign pp3 = a_i[1] & b_i[2];
//
// Ports: a_i[wa-1:0], b_i[wb-1:0] and y_o[wy-1:0]. Input bits that no output depends on are
// collected into `unused_inputs` (lowRISC's convention; Verilator's default unused-regexp).
#pragma once

#include <cstdint>
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

class Netlist {
 public:
  Netlist(int wa, int wb, int wy);

  Net a(int i) const;
  Net b(int i) const;
  static Net zero() { return Net{-1}; }
  static Net one() { return Net{-2}; }
  static Net constant(bool v) { return v ? one() : zero(); }

  // Nets made after this call are named bank<k> and grouped under `comment` in the output.
  void section(const std::string& bank, const std::string& comment);

  Net not1(Net x);                // ~x
  Net and2(Net x, Net y);         // x & y
  Net nand2(Net x, Net y);        // ~(x & y)
  Net or2(Net x, Net y);          // x | y
  Net nor2(Net x, Net y);         // ~(x | y)
  Net xor2(Net x, Net y);         // x ^ y
  Net xnor2(Net x, Net y);        // ~(x ^ y)
  Net mux2(Net sel, Net d0, Net d1);  // sel ? d1 : d0

  struct SumCarry {
    Net s, c;
  };
  SumCarry half_adder(Net x, Net y);         // s = x ^ y, c = x & y
  SumCarry full_adder(Net x, Net y, Net z);  // s = x ^ y ^ z, c = maj(x, y, z)

  // Ripple-carry sum of two little-endian bit vectors plus a carry in, `width` result bits
  // (the carry out of the top bit is dropped).
  std::vector<Net> add(const std::vector<Net>& x, const std::vector<Net>& y, Net cin, int width);

  void set_output(int bit, Net n);
  void set_outputs(const std::vector<Net>& bits);  // bits beyond the vector are 0

  // The whole file text: header lines (each written as a `// ` comment), `default_nettype none`,
  // the module, `default_nettype wire`.
  std::string emit(const std::string& module, const std::vector<std::string>& header) const;

  int gate_count() const { return static_cast<int>(nodes_.size()); }

 private:
  enum class Op { kInA, kInB, kNot, kAnd, kNand, kOr, kNor, kXor, kXnor, kMux, kXor3, kMaj };
  struct Node {
    Op op;
    Net in[3];
    int bit = 0;   // input bit index for kInA/kInB
    int section = 0;
  };
  struct Section {
    std::string bank, comment;
  };

  Net make(Op op, Net x, Net y = {}, Net z = {});
  std::string ref(Net n, const std::vector<std::string>& names) const;
  std::string expr(const Node& node, const std::vector<std::string>& names) const;

  int wa_, wb_, wy_;
  std::vector<Node> nodes_;
  std::vector<Section> sections_;
  std::vector<Net> outputs_;
};

}  // namespace gm::rtl
