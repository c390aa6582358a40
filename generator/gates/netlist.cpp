#include "generator/gates/netlist.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace gm::rtl {

Netlist::Netlist(int wa, int wb, int wy) : wa_(wa), wb_(wb), wy_(wy), outputs_(wy, zero()) {
  if (wa < 1 || wb < 1 || wy < 1) throw std::logic_error("netlist port widths must be positive");
  sections_.push_back({"", ""});  // section 0 holds the input bits
  for (int i = 0; i < wa; ++i) nodes_.push_back({Op::kInA, {}, i, 0});
  for (int i = 0; i < wb; ++i) nodes_.push_back({Op::kInB, {}, i, 0});
  sections_.push_back({"n", "logic"});
}

Net Netlist::a(int i) const {
  if (i < 0 || i >= wa_) throw std::logic_error("a_i bit out of range");
  return Net{i};
}

Net Netlist::b(int i) const {
  if (i < 0 || i >= wb_) throw std::logic_error("b_i bit out of range");
  return Net{wa_ + i};
}

void Netlist::section(const std::string& bank, const std::string& comment) {
  sections_.push_back({bank, comment});
}

Net Netlist::make(Op op, Net x, Net y, Net z) {
  nodes_.push_back({op, {x, y, z}, 0, static_cast<int>(sections_.size()) - 1});
  return Net{static_cast<int>(nodes_.size()) - 1};
}

Net Netlist::not1(Net x) {
  if (x.is_const()) return constant(x.is_zero());
  return make(Op::kNot, x);
}

Net Netlist::and2(Net x, Net y) {
  if (x.is_zero() || y.is_zero()) return zero();
  if (x.is_one()) return y;
  if (y.is_one()) return x;
  if (x == y) return x;
  return make(Op::kAnd, x, y);
}

Net Netlist::nand2(Net x, Net y) {
  if (x.is_const() || y.is_const() || x == y) return not1(and2(x, y));
  return make(Op::kNand, x, y);
}

Net Netlist::or2(Net x, Net y) {
  if (x.is_one() || y.is_one()) return one();
  if (x.is_zero()) return y;
  if (y.is_zero()) return x;
  if (x == y) return x;
  return make(Op::kOr, x, y);
}

Net Netlist::nor2(Net x, Net y) {
  if (x.is_const() || y.is_const() || x == y) return not1(or2(x, y));
  return make(Op::kNor, x, y);
}

Net Netlist::xor2(Net x, Net y) {
  if (x.is_zero()) return y;
  if (y.is_zero()) return x;
  if (x.is_one()) return not1(y);
  if (y.is_one()) return not1(x);
  if (x == y) return zero();
  return make(Op::kXor, x, y);
}

Net Netlist::xnor2(Net x, Net y) {
  if (x.is_const() || y.is_const() || x == y) return not1(xor2(x, y));
  return make(Op::kXnor, x, y);
}

Net Netlist::mux2(Net sel, Net d0, Net d1) {
  if (sel.is_zero()) return d0;
  if (sel.is_one()) return d1;
  if (d0 == d1) return d0;
  if (d0.is_zero()) return and2(sel, d1);
  if (d1.is_zero()) return and2(not1(sel), d0);
  if (d0.is_one()) return or2(not1(sel), d1);
  if (d1.is_one()) return or2(sel, d0);
  return make(Op::kMux, sel, d0, d1);
}

Netlist::SumCarry Netlist::half_adder(Net x, Net y) { return {xor2(x, y), and2(x, y)}; }

Netlist::SumCarry Netlist::full_adder(Net x, Net y, Net z) {
  // Move a constant input to z; with one, the cell folds into a half adder or its complement.
  if (x.is_const()) std::swap(x, z);
  if (y.is_const()) std::swap(y, z);
  if (z.is_zero()) return half_adder(x, y);
  if (z.is_one()) return {xnor2(x, y), or2(x, y)};  // x + y + 1
  return {make(Op::kXor3, x, y, z), make(Op::kMaj, x, y, z)};
}

std::vector<Net> Netlist::add(const std::vector<Net>& x, const std::vector<Net>& y, Net cin, int width) {
  std::vector<Net> out;
  Net carry = cin;
  for (int i = 0; i < width; ++i) {
    const Net xi = i < static_cast<int>(x.size()) ? x[i] : zero();
    const Net yi = i < static_cast<int>(y.size()) ? y[i] : zero();
    const SumCarry sc = full_adder(xi, yi, carry);
    out.push_back(sc.s);
    carry = sc.c;
  }
  return out;
}

void Netlist::set_output(int bit, Net n) {
  if (bit < 0 || bit >= wy_) throw std::logic_error("y_o bit out of range");
  outputs_[bit] = n;
}

void Netlist::set_outputs(const std::vector<Net>& bits) {
  for (int i = 0; i < wy_; ++i) set_output(i, i < static_cast<int>(bits.size()) ? bits[i] : zero());
}

std::string Netlist::ref(Net n, const std::vector<std::string>& names) const {
  if (n.is_zero()) return "1'b0";
  if (n.is_one()) return "1'b1";
  return names[n.id];
}

std::string Netlist::expr(const Node& nd, const std::vector<std::string>& names) const {
  const std::string x = ref(nd.in[0], names), y = ref(nd.in[1], names), z = ref(nd.in[2], names);
  switch (nd.op) {
    case Op::kNot: return "~" + x;
    case Op::kAnd: return x + " & " + y;
    case Op::kNand: return "~(" + x + " & " + y + ")";
    case Op::kOr: return x + " | " + y;
    case Op::kNor: return "~(" + x + " | " + y + ")";
    case Op::kXor: return x + " ^ " + y;
    case Op::kXnor: return "~(" + x + " ^ " + y + ")";
    case Op::kMux: return x + " ? " + z + " : " + y;
    case Op::kXor3: return x + " ^ " + y + " ^ " + z;  // full-adder sum
    case Op::kMaj: return "(" + x + " & " + y + ") | (" + z + " & (" + x + " ^ " + y + "))";  // carry
    default: break;
  }
  throw std::logic_error("input node has no expression");
}

std::string Netlist::emit(const std::string& module, const std::vector<std::string>& header) const {
  // Keep only the logic some output depends on.
  std::vector<char> live(nodes_.size(), 0);
  std::vector<int> stack;
  for (const Net& o : outputs_)
    if (!o.is_const()) stack.push_back(o.id);
  while (!stack.empty()) {
    const int id = stack.back();
    stack.pop_back();
    if (live[id]) continue;
    live[id] = 1;
    const Node& nd = nodes_[id];
    if (nd.op == Op::kInA || nd.op == Op::kInB) continue;
    for (const Net& in : nd.in)
      if (!in.is_const() && in.id >= 0) stack.push_back(in.id);
  }

  // Name every live node: inputs by port bit, gates by bank index in creation order.
  std::vector<std::string> names(nodes_.size());
  std::vector<int> bank_size(sections_.size(), 0);
  std::vector<std::string> unused;
  for (size_t id = 0; id < nodes_.size(); ++id) {
    const Node& nd = nodes_[id];
    if (nd.op == Op::kInA || nd.op == Op::kInB) {
      names[id] = std::string(nd.op == Op::kInA ? "a_i[" : "b_i[") + std::to_string(nd.bit) + "]";
      if (!live[id]) unused.push_back(names[id]);
      continue;
    }
    if (!live[id]) continue;
    // Sections that share a bank name share one vector.
    int owner = nd.section;
    for (int s = 1; s < static_cast<int>(sections_.size()); ++s)
      if (sections_[s].bank == sections_[nd.section].bank) {
        owner = s;
        break;
      }
    names[id] = sections_[owner].bank + std::to_string(bank_size[owner]++);
  }

  std::ostringstream os;
  for (const auto& line : header) os << "// " << line << "\n";
  os << "\n`default_nettype none\n\n";
  os << "module " << module << " (\n";
  os << "  input  wire [" << wa_ - 1 << ":0] a_i,\n";
  os << "  input  wire [" << wb_ - 1 << ":0] b_i,\n";
  os << "  output wire [" << wy_ - 1 << ":0] y_o\n";
  os << ");\n\n";
  // One scalar wire per gate: a vector whose bits feed each other (a carry chain) is circular
  // logic to Verilator (UNOPTFLAT) and slows its simulation.
  for (size_t s = 1; s < sections_.size(); ++s)
    for (int k = 0; k < bank_size[s]; k += 12) {
      os << "  wire ";
      for (int i = k; i < std::min(k + 12, bank_size[s]); ++i)
        os << (i > k ? ", " : "") << sections_[s].bank << i;
      os << ";\n";
    }
  if (!unused.empty()) {
    os << "\n  // Input bits this design ignores; folded so that lint sees them read.\n";
    os << "  wire unused_inputs;\n  assign unused_inputs = ^{";
    for (size_t i = 0; i < unused.size(); ++i) os << (i ? ", " : "") << unused[i];
    os << "};\n";
  }
  int last_section = -1;
  for (size_t id = 0; id < nodes_.size(); ++id) {
    const Node& nd = nodes_[id];
    if (!live[id] || nd.op == Op::kInA || nd.op == Op::kInB) continue;
    if (nd.section != last_section) {
      os << "\n  // " << sections_[nd.section].comment << "\n";
      last_section = nd.section;
    }
    os << "  assign " << names[id] << " = " << expr(nd, names) << ";\n";
  }
  os << "\n  // product\n";
  for (int i = 0; i < wy_; ++i) os << "  assign y_o[" << i << "] = " << ref(outputs_[i], names) << ";\n";
  os << "\nendmodule\n\n`default_nettype wire\n";
  return os.str();
}

}  // namespace gm::rtl
