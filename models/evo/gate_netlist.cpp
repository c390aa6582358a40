#include "models/evo/gate_netlist.hpp"

#include <array>
#include <stdexcept>

#include "models/cache/cache_key.hpp"
#include "models/errors.hpp"

namespace gm::evo {
namespace {

constexpr std::array<const char*, kGateOpCount> kOpNames = {"and",  "or",     "xor",   "nand", "nor",
                                                           "xnor", "andnot", "ornot", "not",  "buf"};
constexpr size_t kMaxTextBytes = size_t{8} << 20;  // ~100x the largest netlist kMaxGates allows in practice

// Strict decimal, as in spec strings: digits only, no leading zero, at most 6 digits.
bool parse_index(const std::string& text, size_t from, uint32_t& out) {
  if (from >= text.size() || text.size() - from > 6) return false;
  if (text.size() - from > 1 && text[from] == '0') return false;
  uint32_t v = 0;
  for (size_t i = from; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + static_cast<uint32_t>(text[i] - '0');
  }
  out = v;
  return true;
}

class Parser {
 public:
  Parser(const std::string& text, const std::string& origin) : text_(text), origin_(origin) {}

  GateNetlist run() {
    if (text_.size() > kMaxTextBytes)
      fail(0, "is " + std::to_string(text_.size()) + " bytes, more than a netlist of " + std::to_string(kMaxGates) +
                  " gates needs; give a .gmnet file");
    bool header = false;
    size_t start = 0;
    for (int line = 1; start < text_.size(); ++line) {
      size_t end = text_.find('\n', start);
      if (end == std::string::npos) end = text_.size();
      const std::string body = text_.substr(start, end - start);
      start = end + 1;
      line_ = line;
      check_characters(body);
      if (body.empty() || body[0] == '#') continue;
      const std::vector<std::string> tok = split(body);
      if (!header) {
        read_header(tok);
        header = true;
      } else if (tok[0][0] == 'g') {
        read_gate(tok);
      } else if (tok[0][0] == 'y') {
        read_output(tok);
      } else {
        fail(line_, "'" + tok[0] + "' starts no gate (gK = ...) or output (yI = ...) line");
      }
    }
    if (!header) fail(1, "has no header; the first line must be 'gmnet 1 w=W s=S'");
    const size_t want = 2 * static_cast<size_t>(n_.w);
    if (n_.outputs.size() != want)
      fail(line_, "ends after " + std::to_string(n_.outputs.size()) + " output lines; a w=" + std::to_string(n_.w) +
                      " product needs y0..y" + std::to_string(want - 1) + ", one line each");
    return std::move(n_);
  }

 private:
  [[noreturn]] void fail(int line, const std::string& what) const {
    throw UserError(origin_ + (line > 0 ? ":" + std::to_string(line) : "") + ": " + what);
  }

  void check_characters(const std::string& body) const {
    for (const unsigned char c : body) {
      if (c == '\r') fail(line_, "has a carriage return; save the file with '\\n' line ends");
      if (c < 0x20 || c >= 0x7f)
        fail(line_, "holds a control or non-ASCII character; a .gmnet file is plain ASCII text");
    }
  }

  std::vector<std::string> split(const std::string& body) const {
    std::vector<std::string> tok;
    size_t start = 0;
    while (true) {
      const size_t sp = body.find(' ', start);
      tok.push_back(body.substr(start, sp == std::string::npos ? std::string::npos : sp - start));
      if (tok.back().empty()) fail(line_, "has an empty field; separate the fields with one space, none at either end");
      if (sp == std::string::npos) return tok;
      start = sp + 1;
    }
  }

  void read_header(const std::vector<std::string>& tok) {
    if (tok.size() != 4 || tok[0] != "gmnet")
      fail(line_, "is not a header; the first line must be 'gmnet 1 w=W s=S'");
    uint32_t version = 0, w = 0, s = 0;
    if (!parse_index(tok[1], 0, version) || version != kFormatVersion)
      fail(line_, "has format version '" + tok[1] + "'; this greenmac reads version " + std::to_string(kFormatVersion));
    if (tok[2].rfind("w=", 0) != 0 || !parse_index(tok[2], 2, w) || w < kMinWidth || w > kMaxWidth)
      fail(line_, "has '" + tok[2] + "'; write w=W with W in " + std::to_string(kMinWidth) + ".." +
                      std::to_string(kMaxWidth));
    if (tok[3].rfind("s=", 0) != 0 || !parse_index(tok[3], 2, s) || s > 1)
      fail(line_, "has '" + tok[3] + "'; write s=0 (unsigned) or s=1 (signed)");
    n_.w = static_cast<int>(w);
    n_.is_signed = s == 1;
  }

  // A net that gate `reader` (or an output, reader = -1) may read.
  uint32_t read_net(const std::string& t, long reader) const {
    uint32_t i = 0;
    if (t == "0") return GateNetlist::kConst0;
    if (t == "1") return GateNetlist::kConst1;
    if ((t[0] == 'a' || t[0] == 'b') && parse_index(t, 1, i)) {
      if (i >= static_cast<uint32_t>(n_.w))
        fail(line_, "reads " + t + ", but operands have bits 0.." + std::to_string(n_.w - 1));
      return t[0] == 'a' ? n_.net_a(static_cast<int>(i)) : n_.net_b(static_cast<int>(i));
    }
    if (t[0] == 'g' && parse_index(t, 1, i)) {
      if (reader >= 0 && i >= static_cast<uint32_t>(reader))
        fail(line_, "g" + std::to_string(reader) + " reads " + t +
                        (i == static_cast<uint32_t>(reader) ? ", itself (a cycle)" : ", which comes after it") +
                        "; a gate may read only earlier gates (topological order)");
      if (i >= n_.gates.size())
        fail(line_, "reads " + t + ", but the file has only " + std::to_string(n_.gates.size()) + " gates");
      return n_.net_of_gate(i);
    }
    fail(line_, "has net '" + t + "'; a net is 0, 1, aI, bI or gK");
  }

  void read_gate(const std::vector<std::string>& tok) {
    if (!n_.outputs.empty()) fail(line_, "has a gate after the outputs; put every gate before y0");
    const std::string expect = "g" + std::to_string(n_.gates.size());
    if (tok[0] != expect) fail(line_, "has '" + tok[0] + "' where " + expect + " comes next; number gates g0, g1, ... in order");
    if (n_.gates.size() >= static_cast<size_t>(kMaxGates))
      fail(line_, "passes " + std::to_string(kMaxGates) + " gates, the most greenmac reads");
    if (tok.size() < 4 || tok[1] != "=") fail(line_, "is not 'gK = OP IN0 IN1'");
    GateOp op;
    if (!op_from_name(tok[2], op))
      fail(line_, "has op '" + tok[2] + "'; the ops are and, or, xor, nand, nor, xnor, andnot, ornot, not, buf");
    const size_t want = op_is_unary(op) ? 4 : 5;
    if (tok.size() != want)
      fail(line_, std::string("gives ") + std::to_string(tok.size() - 3) + " inputs to " + tok[2] + ", which takes " +
                      std::to_string(want - 3));
    const long self = static_cast<long>(n_.gates.size());
    Gate g{op, read_net(tok[3], self), want == 5 ? read_net(tok[4], self) : GateNetlist::kConst0};
    n_.gates.push_back(g);
  }

  void read_output(const std::vector<std::string>& tok) {
    const std::string expect = "y" + std::to_string(n_.outputs.size());
    if (n_.outputs.size() >= 2 * static_cast<size_t>(n_.w))
      fail(line_, "has '" + tok[0] + "', but a w=" + std::to_string(n_.w) + " product has bits y0..y" +
                      std::to_string(2 * n_.w - 1));
    if (tok[0] != expect) fail(line_, "has '" + tok[0] + "' where " + expect + " comes next; list y0, y1, ... in order");
    if (tok.size() != 3 || tok[1] != "=") fail(line_, "is not 'yI = NET'");
    n_.outputs.push_back(read_net(tok[2], -1));
  }

  const std::string& text_;
  const std::string& origin_;
  int line_ = 0;
  GateNetlist n_;
};

}  // namespace

const char* op_name(GateOp op) { return kOpNames[static_cast<size_t>(op)]; }

bool op_is_unary(GateOp op) { return op == GateOp::kNot || op == GateOp::kBuf; }

bool op_from_name(const std::string& name, GateOp& op) {
  for (size_t i = 0; i < kOpNames.size(); ++i)
    if (name == kOpNames[i]) {
      op = static_cast<GateOp>(i);
      return true;
    }
  return false;
}

uint32_t GateNetlist::add(GateOp op, uint32_t in0, uint32_t in1) {
  const uint32_t self = net_of_gate(gates.size());
  if (in0 >= self || in1 >= self) throw std::logic_error("gate netlist: a gate reads a net that is not before it");
  gates.push_back({op, in0, op_is_unary(op) ? kConst0 : in1});
  return self;
}

std::string net_text(const GateNetlist& n, uint32_t net) {
  if (net == GateNetlist::kConst0) return "0";
  if (net == GateNetlist::kConst1) return "1";
  if (net < n.net_b(0)) return "a" + std::to_string(net - n.net_a(0));
  if (net < n.first_gate_net()) return "b" + std::to_string(net - n.net_b(0));
  return "g" + std::to_string(net - n.first_gate_net());
}

GateNetlist parse_gate_netlist(const std::string& text, const std::string& origin) { return Parser(text, origin).run(); }

std::string canonical_text(const GateNetlist& n) {
  std::string out = "gmnet " + std::to_string(kFormatVersion) + " w=" + std::to_string(n.w) +
                    " s=" + (n.is_signed ? "1" : "0") + "\n";
  for (size_t k = 0; k < n.gates.size(); ++k) {
    const Gate& g = n.gates[k];
    out += "g" + std::to_string(k) + " = " + op_name(g.op) + " " + net_text(n, g.in0);
    if (!op_is_unary(g.op)) out += " " + net_text(n, g.in1);
    out += "\n";
  }
  for (size_t i = 0; i < n.outputs.size(); ++i) out += "y" + std::to_string(i) + " = " + net_text(n, n.outputs[i]) + "\n";
  return out;
}

std::string content_id(const GateNetlist& n) { return sha256_hex(canonical_text(n)).substr(0, kIdDigits); }

bool is_content_id(const std::string& id) {
  if (id.size() != kIdDigits) return false;
  for (const char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

void mark_active(const GateNetlist& n, std::vector<uint8_t>& active) {
  active.assign(n.gates.size(), 0);
  const uint32_t first = n.first_gate_net();
  for (const uint32_t o : n.outputs)
    if (o >= first) active[o - first] = 1;
  // Gates read only earlier gates, so one backward pass reaches every gate an output depends on.
  for (size_t k = n.gates.size(); k-- > 0;) {
    if (!active[k]) continue;
    const Gate& g = n.gates[k];
    if (g.in0 >= first) active[g.in0 - first] = 1;
    if (!op_is_unary(g.op) && g.in1 >= first) active[g.in1 - first] = 1;
  }
}

GateNetlist compacted(const GateNetlist& n) {
  std::vector<uint8_t> active;
  mark_active(n, active);
  GateNetlist out{.w = n.w, .is_signed = n.is_signed, .gates = {}, .outputs = {}};
  std::vector<uint32_t> renamed(n.net_count());
  for (uint32_t net = 0; net < n.first_gate_net(); ++net) renamed[net] = net;
  for (size_t k = 0; k < n.gates.size(); ++k) {
    if (!active[k]) continue;
    const Gate& g = n.gates[k];
    renamed[n.net_of_gate(k)] = out.add(g.op, renamed[g.in0], op_is_unary(g.op) ? GateNetlist::kConst0 : renamed[g.in1]);
  }
  for (const uint32_t o : n.outputs) out.outputs.push_back(renamed[o]);
  return out;
}

}  // namespace gm::evo
