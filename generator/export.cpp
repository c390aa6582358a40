#include "generator/export.hpp"

#include <cctype>
#include <charconv>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

#include "models/errors.hpp"
#include "generator/registry.hpp"

namespace gm {
namespace {

// ---- product tables ---------------------------------------------------------------------------

void refuse_wide_table(const Spec& spec, const std::string& format) {
  if (spec.w <= kMaxTableWidth) return;
  throw UserError(format + " holds all 2^(2w) products and is limited to w <= " + std::to_string(kMaxTableWidth) +
                  "; " + spec.canonical() + " has w=" + std::to_string(spec.w) +
                  ": use --format c-model, which has no width limit");
}

std::string c_int_type(int w, bool is_signed) {
  return std::string(is_signed ? "int" : "uint") + (table_element_bytes(w) == 2 ? "16_t" : "32_t");
}

void append_int(std::string& out, int64_t v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

std::vector<std::string> c_comment(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(l.empty() ? "//" : "// " + l);
  return out;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// ---- Verilog netlist -> C ---------------------------------------------------------------------

struct Token {
  enum Kind { kIdent, kNumber, kPunct } kind;
  std::string text;
};

[[noreturn]] void cannot_translate(const std::string& what) {
  throw std::runtime_error("c-model: cannot translate the generated Verilog: " + what);
}

// Identifiers (with $ for $signed), numbers including sized literals (1'b0), single-character
// punctuation. Comments and compiler directives (`default_nettype) are skipped.
std::vector<Token> tokenize(const std::string& src) {
  std::vector<Token> out;
  size_t i = 0;
  const size_t n = src.size();
  auto is_ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; };
  while (i < n) {
    const char c = src[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (src.compare(i, 2, "//") == 0 || c == '`') {
      while (i < n && src[i] != '\n') ++i;
    } else if (src.compare(i, 2, "/*") == 0) {
      const size_t end = src.find("*/", i + 2);
      i = end == std::string::npos ? n : end + 2;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$') {
      const size_t b = i;
      while (i < n && is_ident(src[i])) ++i;
      out.push_back({Token::kIdent, src.substr(b, i - b)});
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      const size_t b = i;
      while (i < n && std::isdigit(static_cast<unsigned char>(src[i]))) ++i;
      if (i < n && src[i] == '\'') {
        ++i;
        while (i < n && std::isalnum(static_cast<unsigned char>(src[i]))) ++i;
      }
      out.push_back({Token::kNumber, src.substr(b, i - b)});
    } else {
      out.push_back({Token::kPunct, std::string(1, c)});
      ++i;
    }
  }
  return out;
}

struct Assign {
  std::vector<Token> rhs;
};

// Every `assign LHS = RHS;`, keyed by the LHS text ("n3", "y_o[4]", "y_o").
std::map<std::string, Assign> collect_assigns(const std::vector<Token>& toks) {
  std::map<std::string, Assign> out;
  for (size_t i = 0; i < toks.size(); ++i) {
    if (toks[i].kind != Token::kIdent || toks[i].text != "assign") continue;
    std::string lhs;
    size_t k = i + 1;
    for (; k < toks.size() && toks[k].text != "="; ++k) lhs += toks[k].text;
    Assign a;
    for (++k; k < toks.size() && toks[k].text != ";"; ++k) a.rhs.push_back(toks[k]);
    if (k >= toks.size()) cannot_translate("unterminated assign to " + lhs);
    if (!out.emplace(lhs, std::move(a)).second) cannot_translate(lhs + " is assigned twice");
    i = k;
  }
  return out;
}

// One RHS expression to C over 0/1 values. Verilog precedence, tightest first: unary ~, &, ^, |, ?:
// (the same order as C's bitwise operators); every operation is parenthesised anyway. ~x becomes
// x ^ 1u so that every intermediate stays 0 or 1 and a ?: condition reads one bit.
class ExprToC {
 public:
  using Leaf = std::function<std::string(const std::string& ident, int index)>;  // index -1: scalar
  ExprToC(const std::vector<Token>& toks, std::string where, Leaf leaf)
      : t_(toks), where_(std::move(where)), leaf_(std::move(leaf)) {}

  std::string parse() {
    std::string e = conditional();
    if (pos_ != t_.size()) fail("unexpected '" + t_[pos_].text + "'");
    return e;
  }

 private:
  bool at(const char* p) const { return pos_ < t_.size() && t_[pos_].kind == Token::kPunct && t_[pos_].text == p; }
  void expect(const char* p) {
    if (!at(p)) fail(std::string("expected '") + p + "'");
    ++pos_;
  }
  [[noreturn]] void fail(const std::string& msg) const { cannot_translate(msg + " in the assign to " + where_); }

  std::string conditional() {
    std::string c = bit_or();
    if (!at("?")) return c;
    ++pos_;
    std::string yes = conditional();
    expect(":");
    std::string no = conditional();
    return "(" + c + " ? " + yes + " : " + no + ")";
  }
  std::string bit_or() { return binary("|", [this] { return bit_xor(); }); }
  std::string bit_xor() { return binary("^", [this] { return bit_and(); }); }
  std::string bit_and() { return binary("&", [this] { return unary(); }); }
  std::string binary(const char* op, const std::function<std::string()>& operand) {
    std::string e = operand();
    while (at(op)) {
      ++pos_;
      e = "(" + e + " " + op + " " + operand() + ")";
    }
    return e;
  }
  std::string unary() {
    if (at("~")) {
      ++pos_;
      return "(" + unary() + " ^ 1u)";
    }
    return primary();
  }
  std::string primary() {
    if (pos_ >= t_.size()) fail("expression ends early");
    const Token& tok = t_[pos_];
    if (at("(")) {
      ++pos_;
      std::string e = conditional();  // already parenthesised when it is an operation
      expect(")");
      return e;
    }
    if (tok.kind == Token::kNumber) {
      ++pos_;
      if (tok.text == "1'b0" || tok.text == "1'd0" || tok.text == "1'h0") return "0u";
      if (tok.text == "1'b1" || tok.text == "1'd1" || tok.text == "1'h1") return "1u";
      fail("literal " + tok.text + " is not one bit");
    }
    if (tok.kind != Token::kIdent) fail("operator '" + tok.text + "' is not a netlist operator");
    ++pos_;
    int index = -1;
    if (at("[")) {
      ++pos_;
      if (pos_ >= t_.size() || t_[pos_].kind != Token::kNumber) fail("bit select of " + tok.text + " is not a number");
      index = std::stoi(t_[pos_++].text);
      expect("]");
    }
    return leaf_(tok.text, index);
  }

  const std::vector<Token>& t_;
  size_t pos_ = 0;
  std::string where_;
  Leaf leaf_;
};

std::string wire_key(const std::string& ident, int index) {
  return index < 0 ? ident : ident + "[" + std::to_string(index) + "]";
}

std::string c_name(const std::string& ident, int index) {
  return "g_" + ident + (index < 0 ? "" : "__" + std::to_string(index));
}

// Statements in dependency order: depth-first from the output bits, each wire after its inputs.
class NetlistToC {
 public:
  NetlistToC(const std::map<std::string, Assign>& assigns, int w) : assigns_(assigns), w_(w) {}

  // C expression of the wire `key`; emits its statement (and its inputs') on first use.
  std::string wire(const std::string& ident, int index) {
    if (ident == "a_i" || ident == "b_i") {
      if (index < 0 || index >= w_) cannot_translate(wire_key(ident, index) + " is not an input bit");
      return (ident == "a_i" ? "ai[" : "bi[") + std::to_string(index) + "]";
    }
    const std::string key = wire_key(ident, index);
    const std::string name = c_name(ident, index);
    if (done_.count(key)) return name;
    if (!active_.insert(key).second) cannot_translate("combinational loop through " + key);
    const auto it = assigns_.find(key);
    if (it == assigns_.end()) cannot_translate(key + " is read but never assigned");
    ExprToC expr(it->second.rhs, key, [this](const std::string& id, int idx) { return wire(id, idx); });
    const std::string text = expr.parse();
    statements_.push_back("  const uint32_t " + name + " = " + text + ";");
    active_.erase(key);
    done_.insert(key);
    return name;
  }

  // The expression of output bit k (a wire name or a constant).
  std::string output(int k) {
    const std::string key = wire_key("y_o", k);
    const auto it = assigns_.find(key);
    if (it == assigns_.end()) cannot_translate("output bit " + key + " is not assigned");
    ExprToC expr(it->second.rhs, key, [this](const std::string& id, int idx) { return wire(id, idx); });
    return expr.parse();
  }

  const std::vector<std::string>& statements() const { return statements_; }

 private:
  const std::map<std::string, Assign>& assigns_;
  int w_;
  std::set<std::string> done_, active_;
  std::vector<std::string> statements_;
};

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llxull", static_cast<unsigned long long>(v));
  return buf;
}

// The 2w-bit word y (uint64_t) as the function's result: sign-extended for signed designs.
std::string return_word(int w, bool is_signed) {
  const uint64_t sign = uint64_t{1} << (2 * w - 1);
  if (!is_signed) return "  return (int64_t)y;\n";
  return "  return (int64_t)(y ^ " + hex(sign) + ") - (int64_t)" + hex(sign) + ";  /* two's complement read */\n";
}

std::string function_open(const std::string& function) {
  return "int64_t " + function + "(int64_t a, int64_t b) {\n"
         "  const uint64_t ua = (uint64_t)a, ub = (uint64_t)b;\n";
}

// The behavioural baseline (`yosys`): `assign y_o = {..a_i} * {..b_i};` or with $signed operands.
std::string behavioural_body(const Assign& y, int w, bool is_signed) {
  bool has_signed = false;
  for (const auto& t : y.rhs) has_signed = has_signed || t.text == "$signed";
  if (has_signed != is_signed)
    cannot_translate(std::string("the behavioural product is ") + (has_signed ? "" : "not ") +
                     "$signed but the design is " + (is_signed ? "signed" : "unsigned"));
  const uint64_t wmask = (uint64_t{1} << w) - 1, ymask = (uint64_t{1} << (2 * w)) - 1;
  std::string out = "  /* behavioural: the Verilog is `assign y_o = a_i * b_i`" +
                    std::string(is_signed ? " with $signed operands" : "") + " */\n";
  if (is_signed) {
    const uint64_t sign = uint64_t{1} << (w - 1);
    out += "  const int64_t sa = (int64_t)((ua & " + hex(wmask) + ") ^ " + hex(sign) + ") - (int64_t)" + hex(sign) + ";\n";
    out += "  const int64_t sb = (int64_t)((ub & " + hex(wmask) + ") ^ " + hex(sign) + ") - (int64_t)" + hex(sign) + ";\n";
    out += "  const uint64_t y = (uint64_t)(sa * sb) & " + hex(ymask) + ";\n";
  } else {
    out += "  const uint64_t y = ((ua & " + hex(wmask) + ") * (ub & " + hex(wmask) + ")) & " + hex(ymask) + ";\n";
  }
  return out;
}

std::string gate_body(const std::map<std::string, Assign>& assigns, int w) {
  NetlistToC net(assigns, w);
  std::vector<std::string> bits;
  for (int k = 0; k < 2 * w; ++k) bits.push_back(net.output(k));
  std::string out;
  out += "  uint32_t ai[" + std::to_string(w) + "], bi[" + std::to_string(w) + "];\n";
  out += "  for (int k = 0; k < " + std::to_string(w) + "; ++k) {\n";
  out += "    ai[k] = (uint32_t)(ua >> k) & 1u;\n";
  out += "    bi[k] = (uint32_t)(ub >> k) & 1u;\n";
  out += "  }\n";
  out += "  (void)ai;\n  (void)bi;\n";
  for (const auto& s : net.statements()) out += s + "\n";
  out += "  uint64_t y = 0;\n";
  for (int k = 0; k < 2 * w; ++k) {
    if (bits[k] == "0u") continue;
    out += "  y |= (uint64_t)(" + bits[k] + ") << " + std::to_string(k) + ";\n";
  }
  return out;
}

}  // namespace

ExportFormat parse_export_format(const std::string& text) {
  if (text == "lut-bin") return ExportFormat::kLutBin;
  if (text == "c-header") return ExportFormat::kCHeader;
  if (text == "c-model") return ExportFormat::kCModel;
  throw UserError("unknown export format '" + text + "'; use --format lut-bin, c-header or c-model");
}

int table_element_bytes(int w) { return 2 * w <= 16 ? 2 : 4; }

std::string lut_bin(const ProductTable& t) {
  const int bytes = table_element_bytes(t.w());
  std::string out;
  out.reserve(t.size() * bytes);
  for (const int32_t v : t.entries()) {
    // Two's complement of the value in the element width: the raw product word at w = 8 (what
    // TFApprox stores), sign-extended for narrower signed designs.
    const uint32_t u = static_cast<uint32_t>(v);
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
  }
  return out;
}

std::string c_header(const Spec& spec, const ProductTable& t) {
  const std::string side = std::to_string(t.side());
  std::vector<std::string> lines = rtl::file_header(spec);
  lines.insert(lines.end(), {
      "",
      "Product table in the form AdaPT (github.com/dimdano/adapt) includes: save it as",
      "adapt/cpu-kernels/axx_mults/<name>.h and give <name> as the layers' axx_mult.",
      "lut[a][b] is the product for operands whose " + std::to_string(t.w()) + "-bit patterns are a and b (AdaPT",
      "indexes with the operands cast to uint8_t), " +
          std::string(t.is_signed() ? "as a signed value." : "as an unsigned value."),
  });
  std::string out = join_lines(c_comment(lines));
  out += "#include <stdint.h>\n\n";
  out += "const " + c_int_type(t.w(), t.is_signed()) + " lut[" + side + "][" + side + "] = {\n";
  out.reserve(out.size() + t.size() * 8);
  for (uint64_t a = 0; a < t.side(); ++a) {
    out += "{";
    for (uint64_t b = 0; b < t.side(); ++b) {
      if (b) out += ", ";
      append_int(out, t.at(a, b));
    }
    out += a + 1 < t.side() ? "},\n" : "}\n";
  }
  out += "};\n";
  return out;
}

std::string verilog_to_c(const std::string& verilog, const std::string& function, int w, bool is_signed,
                         const std::vector<std::string>& comment) {
  const auto assigns = collect_assigns(tokenize(verilog));
  const auto whole = assigns.find("y_o");
  std::string body;
  std::vector<std::string> lines = comment;
  if (whole != assigns.end()) {
    lines.insert(lines.end(), {"C model translated from the generated Verilog, a behavioural product: the same",
                               "product as a C multiply of the operands, cut to the output word."});
    bool multiply = false;
    for (const auto& t : whole->second.rhs) multiply = multiply || t.text == "*";
    if (!multiply) cannot_translate("y_o is assigned as a whole without a product");
    body = behavioural_body(whole->second, w, is_signed);
  } else {
    lines.insert(lines.end(), {"C model translated from the generated Verilog: one statement per `assign`, on 0/1",
                               "values (~x written x ^ 1u), so it computes what the netlist computes, bit for bit."});
    body = gate_body(assigns, w);
  }
  std::string out = join_lines(c_comment(lines));
  out += "#include <stdint.h>\n\n";
  out += function_open(function) + body + return_word(w, is_signed) + "}\n";
  return out;
}

std::string c_model(const Spec& spec) {
  // An external design's Verilog is the user's module behind an instance, not a greenmac netlist.
  if (spec.family == "ext")
    throw UserError("c-model is not available for ext designs (their Verilog is a third-party module, not a "
                    "greenmac netlist); export their table with --format lut-bin or c-header");
  std::vector<std::string> lines = rtl::file_header(spec);
  const std::string range = std::to_string(operand_min(spec.w, spec.is_signed)) + ".." +
                            std::to_string(operand_max(spec.w, spec.is_signed));
  lines.insert(lines.end(), {
      "",
      "int64_t " + spec.name() + "(int64_t a, int64_t b)",
      "a, b: operands in " + range + " (only their low " + std::to_string(spec.w) +
          " bits are used, as on the ports).",
      "Returns the " + std::to_string(spec.out_width()) + "-bit product word read as " +
          (spec.is_signed ? "signed two's complement." : "unsigned."),
      "",
  });
  return verilog_to_c(rtl::generate_verilog(spec), spec.name(), spec.w, spec.is_signed, lines);
}

std::string export_design(const Spec& spec, ExportFormat format) {
  switch (format) {
    case ExportFormat::kLutBin:
      refuse_wide_table(spec, "lut-bin");
      return lut_bin(ProductTable(spec));
    case ExportFormat::kCHeader:
      refuse_wide_table(spec, "c-header");
      return c_header(spec, ProductTable(spec));
    case ExportFormat::kCModel:
      return c_model(spec);
  }
  throw std::logic_error("unhandled export format");
}

}  // namespace gm
