#include "generator/gates/netlist.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace gm::rtl {

namespace {

// The naming rules of netlist.hpp. Verilog-2005 has no keyword with a '_'; SystemVerilog's
// always_* are the only ones, and Verilator reads .v files as SystemVerilog.
void check_net_name(const std::string& name) {
  const auto bad = [&](const std::string& why) {
    throw std::logic_error("netlist: net name '" + name + "' " + why);
  };
  if (name.empty() || !std::islower(static_cast<unsigned char>(name[0]))) bad("must start with a lower-case letter");
  for (const char c : name)
    if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)) && c != '_')
      bad("may hold only a-z, 0-9 and '_'");
  if (name.find('_') == std::string::npos) bad("must hold a '_'");
  const size_t last = name.find_last_not_of("0123456789");
  if (name.back() == '_' || (last + 1 < name.size() && name[last] == '_')) bad("must not end in '_' or '_<digits>'");
  for (const char* reserved : {"a_i", "b_i", "y_o", "unused_inputs", "always_comb", "always_ff", "always_latch"})
    if (name == reserved) bad("is reserved");
}

// `  // text`, wrapped at word boundaries so that no line passes 100 columns (lowRISC's limit).
std::string comment_lines(const std::string& text) {
  std::string out, line;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    if (!line.empty() && line.size() + 1 + word.size() > 100) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "  //" : "") + std::string(" ") + word;
  }
  return out + line + "\n";
}

// `  assign lhs = rhs;`, or, when that passes 100 columns, the right-hand side on continuation
// lines indented by six, broken after an operator outside parentheses.
std::string assign_lines(const std::string& lhs, const std::string& rhs) {
  const std::string flat = "  assign " + lhs + " = " + rhs + ";";
  if (flat.size() <= 100) return flat + "\n";
  std::vector<std::string> pieces;  // operands, each with the operator after it
  std::string piece;
  int depth = 0;
  for (const char c : rhs + ";") {
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (c != ' ' || depth > 0) {
      piece += c;
    } else if (piece.size() == 1 && std::string("|^&?:").find(piece[0]) != std::string::npos) {
      pieces.back() += " " + piece;
      piece.clear();
    } else {
      pieces.push_back(piece);
      piece.clear();
    }
  }
  pieces.push_back(piece);
  std::string out = "  assign " + lhs + " =\n", line;
  for (const auto& p : pieces) {
    if (!line.empty() && line.size() + 1 + p.size() > 100) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "      " : " ") + p;
  }
  return out + line + "\n";
}

}  // namespace

std::string join_name(const std::string& prefix, const std::string& rest) {
  return prefix.empty() ? rest : prefix + "_" + rest;
}

Netlist::Netlist(int wa, int wb, int wy) : wa_(wa), wb_(wb), wy_(wy), outputs_(wy, zero()) {
  if (wa < 1 || wb < 1 || wy < 1) throw std::logic_error("netlist port widths must be positive");
  sections_.push_back("");  // section 0 holds the input bits
  for (int i = 0; i < wa; ++i) nodes_.push_back({Op::kInA, {}, i, 0, "a_i[" + std::to_string(i) + "]"});
  for (int i = 0; i < wb; ++i) nodes_.push_back({Op::kInB, {}, i, 0, "b_i[" + std::to_string(i) + "]"});
  sections_.push_back("logic");
}

Net Netlist::a(int i) const {
  if (i < 0 || i >= wa_) throw std::logic_error("a_i bit out of range");
  return Net{i};
}

Net Netlist::b(int i) const {
  if (i < 0 || i >= wb_) throw std::logic_error("b_i bit out of range");
  return Net{wa_ + i};
}

void Netlist::section(const std::string& comment) { sections_.push_back(comment); }

Net Netlist::make(const std::string& name, Op op, Net x, Net y, Net z) {
  check_net_name(name);
  if (!names_.insert(name).second) throw std::logic_error("netlist: two nets named '" + name + "'");
  nodes_.push_back({op, {x, y, z}, 0, static_cast<int>(sections_.size()) - 1, name});
  return Net{static_cast<int>(nodes_.size()) - 1};
}

Net Netlist::not1(Net x, const std::string& name) {
  if (x.is_const()) return constant(x.is_zero());
  return make(name, Op::kNot, x);
}

Net Netlist::and2(Net x, Net y, const std::string& name) {
  if (x.is_zero() || y.is_zero()) return zero();
  if (x.is_one()) return y;
  if (y.is_one()) return x;
  if (x == y) return x;
  return make(name, Op::kAnd, x, y);
}

Net Netlist::nand2(Net x, Net y, const std::string& name) {
  if (x.is_const() || y.is_const() || x == y) return not1(and2(x, y, name + "_and"), name);
  return make(name, Op::kNand, x, y);
}

Net Netlist::or2(Net x, Net y, const std::string& name) {
  if (x.is_one() || y.is_one()) return one();
  if (x.is_zero()) return y;
  if (y.is_zero()) return x;
  if (x == y) return x;
  return make(name, Op::kOr, x, y);
}

Net Netlist::nor2(Net x, Net y, const std::string& name) {
  if (x.is_const() || y.is_const() || x == y) return not1(or2(x, y, name + "_or"), name);
  return make(name, Op::kNor, x, y);
}

Net Netlist::xor2(Net x, Net y, const std::string& name) {
  if (x.is_zero()) return y;
  if (y.is_zero()) return x;
  if (x.is_one()) return not1(y, name);
  if (y.is_one()) return not1(x, name);
  if (x == y) return zero();
  return make(name, Op::kXor, x, y);
}

Net Netlist::xnor2(Net x, Net y, const std::string& name) {
  if (x.is_const() || y.is_const() || x == y) return not1(xor2(x, y, name + "_xor"), name);
  return make(name, Op::kXnor, x, y);
}

Net Netlist::andnot2(Net x, Net y, const std::string& name) {
  if (x.is_const() || y.is_const() || x == y) return and2(x, not1(y, name + "_ny"), name);
  return make(name, Op::kAndNot, x, y);
}

Net Netlist::ornot2(Net x, Net y, const std::string& name) {
  if (x.is_const() || y.is_const() || x == y) return or2(x, not1(y, name + "_ny"), name);
  return make(name, Op::kOrNot, x, y);
}

Net Netlist::mux2(Net sel, Net d0, Net d1, const std::string& name) {
  if (sel.is_zero()) return d0;
  if (sel.is_one()) return d1;
  if (d0 == d1) return d0;
  if (d0.is_zero()) return and2(sel, d1, name);
  if (d1.is_zero()) return and2(not1(sel, name + "_nsel"), d0, name);
  if (d0.is_one()) return or2(not1(sel, name + "_nsel"), d1, name);
  if (d1.is_one()) return or2(sel, d0, name);
  return make(name, Op::kMux, sel, d0, d1);
}

Netlist::SumCarry Netlist::half_adder(Net x, Net y, const std::string& cell) {
  return {xor2(x, y, cell + "_s"), and2(x, y, cell + "_c")};
}

Netlist::SumCarry Netlist::full_adder(Net x, Net y, Net z, const std::string& cell) {
  // Move a constant input to z; with one, the cell folds into a half adder or its complement.
  if (x.is_const()) std::swap(x, z);
  if (y.is_const()) std::swap(y, z);
  if (z.is_zero()) return half_adder(x, y, cell);
  if (z.is_one()) return {xnor2(x, y, cell + "_s"), or2(x, y, cell + "_c")};  // x + y + 1
  return {make(cell + "_s", Op::kXor3, x, y, z), make(cell + "_c", Op::kMaj, x, y, z)};
}

std::vector<Net> Netlist::add(const std::vector<Net>& x, const std::vector<Net>& y, Net cin, int width,
                              const std::string& prefix) {
  std::vector<Net> out;
  Net carry = cin;
  for (int i = 0; i < width; ++i) {
    const Net xi = i < static_cast<int>(x.size()) ? x[i] : zero();
    const Net yi = i < static_cast<int>(y.size()) ? y[i] : zero();
    const SumCarry sc = full_adder(xi, yi, carry, join_name(prefix, "c" + std::to_string(i)));
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

std::string Netlist::ref(Net n) const {
  if (n.is_zero()) return "1'b0";
  if (n.is_one()) return "1'b1";
  return nodes_[n.id].name;
}

std::string Netlist::expr(const Node& nd) const {
  const std::string x = ref(nd.in[0]), y = ref(nd.in[1]), z = ref(nd.in[2]);
  switch (nd.op) {
    case Op::kNot: return "~" + x;
    case Op::kAnd: return x + " & " + y;
    case Op::kNand: return "~(" + x + " & " + y + ")";
    case Op::kOr: return x + " | " + y;
    case Op::kNor: return "~(" + x + " | " + y + ")";
    case Op::kXor: return x + " ^ " + y;
    case Op::kXnor: return "~(" + x + " ^ " + y + ")";
    case Op::kAndNot: return x + " & ~" + y;
    case Op::kOrNot: return x + " | ~" + y;
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

  // The live gates of each section, in creation order; the input bits no output reads.
  std::vector<std::vector<int>> gates(sections_.size());
  std::vector<std::string> unused;
  for (size_t id = 0; id < nodes_.size(); ++id) {
    const Node& nd = nodes_[id];
    if (nd.op == Op::kInA || nd.op == Op::kInB) {
      if (!live[id]) unused.push_back(nd.name);
    } else if (live[id]) {
      gates[nd.section].push_back(static_cast<int>(id));
    }
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
  // logic to Verilator (UNOPTFLAT) and slows its simulation. Declared section by section, as many
  // to a line as fit in 100 columns.
  for (const auto& ids : gates) {
    std::string line;
    for (const int id : ids) {
      const std::string& name = nodes_[id].name;
      if (!line.empty() && line.size() + 2 + name.size() + 1 > 100) {
        os << line << ";\n";
        line.clear();
      }
      line += (line.empty() ? "  wire " : ", ") + name;
    }
    if (!line.empty()) os << line << ";\n";
  }
  if (!unused.empty()) {
    os << "\n  // Input bits this design ignores; folded so that lint sees them read.\n";
    os << "  wire unused_inputs;\n  assign unused_inputs = ^{";
    for (size_t i = 0; i < unused.size(); ++i) os << (i ? ", " : "") << unused[i];
    os << "};\n";
  }
  for (size_t s = 1; s < sections_.size(); ++s) {
    if (gates[s].empty()) continue;
    os << "\n" << comment_lines(sections_[s]);
    for (const int id : gates[s]) os << assign_lines(nodes_[id].name, expr(nodes_[id]));
  }
  os << "\n  // product\n";
  for (int i = 0; i < wy_; ++i) os << "  assign y_o[" << i << "] = " << ref(outputs_[i]) << ";\n";
  os << "\nendmodule\n\n`default_nettype wire\n";
  return os.str();
}

}  // namespace gm::rtl
