// Liberty reader: a tokenizer, a generic group/attribute tree, and the extraction of cells.
//
// Liberty is `group(args) { ... }`, `simple_attr : value ;` and `complex_attr(args) ;` nested to any
// depth, with C comments and backslash line continuations. The tree is generic, so unknown groups
// (timing, power tables, templates) are read and ignored.
#include "synth/liberty.hpp"

#include <cctype>
#include <stdexcept>

#include "models/errors.hpp"
#include "models/files.hpp"

namespace gm {

// ---------------------------------------------------------------------------------------------------
// Boolean expressions

class LibExprParser {
 public:
  explicit LibExprParser(const std::string& text) : s_(text) {}

  LibExpr parse() {
    parse_or();
    skip_space();
    if (pos_ != s_.size()) fail("unexpected '" + std::string(1, s_[pos_]) + "'");
    return std::move(e_);
  }

 private:
  const std::string& s_;
  size_t pos_ = 0;
  LibExpr e_;

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("bad function \"" + s_ + "\": " + what);
  }
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  char peek() {
    skip_space();
    return pos_ < s_.size() ? s_[pos_] : '\0';
  }
  static bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }
  void emit(LibExpr::Op op, uint32_t var = 0) { e_.ops_.push_back({op, var}); }

  // or := and (('+' | '|') and)*
  void parse_or() {
    parse_and();
    while (peek() == '+' || peek() == '|') {
      ++pos_;
      parse_and();
      emit(LibExpr::Op::Or);
    }
  }
  // and := xor (('&' | '*' | <juxtaposition>) xor)*
  void parse_and() {
    parse_xor();
    for (;;) {
      const char c = peek();
      if (c == '&' || c == '*') {
        ++pos_;
      } else if (!(c == '(' || c == '!' || ident_char(c))) {
        return;
      }
      parse_xor();
      emit(LibExpr::Op::And);
    }
  }
  // xor := unary ('^' unary)*
  void parse_xor() {
    parse_unary();
    while (peek() == '^') {
      ++pos_;
      parse_unary();
      emit(LibExpr::Op::Xor);
    }
  }
  // unary := '!' unary | primary '\''*
  void parse_unary() {
    if (peek() == '!') {
      ++pos_;
      parse_unary();
      emit(LibExpr::Op::Not);
      return;
    }
    parse_primary();
    while (peek() == '\'') {
      ++pos_;
      emit(LibExpr::Op::Not);
    }
  }
  void parse_primary() {
    const char c = peek();
    if (c == '(') {
      ++pos_;
      parse_or();
      if (peek() != ')') fail("missing ')'");
      ++pos_;
      return;
    }
    if (!ident_char(c)) fail(c ? "unexpected '" + std::string(1, c) + "'" : "unexpected end");
    const size_t start = pos_;
    while (pos_ < s_.size() && ident_char(s_[pos_])) ++pos_;
    const std::string word = s_.substr(start, pos_ - start);
    if (word == "0") return emit(LibExpr::Op::Zero);
    if (word == "1") return emit(LibExpr::Op::One);
    for (size_t k = 0; k < e_.vars_.size(); ++k)
      if (e_.vars_[k] == word) return emit(LibExpr::Op::Var, static_cast<uint32_t>(k));
    e_.vars_.push_back(word);
    emit(LibExpr::Op::Var, static_cast<uint32_t>(e_.vars_.size() - 1));
  }
};

LibExpr LibExpr::parse(const std::string& text) { return LibExprParser(text).parse(); }

uint64_t LibExpr::eval(const uint64_t* in) const {
  uint64_t stack[64];
  int top = 0;
  for (const Step& st : ops_) {
    switch (st.op) {
      case Op::Var: stack[top++] = in[st.var]; break;
      case Op::Zero: stack[top++] = 0; break;
      case Op::One: stack[top++] = ~uint64_t{0}; break;
      case Op::Not: stack[top - 1] = ~stack[top - 1]; break;
      case Op::And: --top; stack[top - 1] &= stack[top]; break;
      case Op::Or: --top; stack[top - 1] |= stack[top]; break;
      case Op::Xor: --top; stack[top - 1] ^= stack[top]; break;
    }
  }
  return top ? stack[top - 1] : 0;
}

// ---------------------------------------------------------------------------------------------------
// Tokens and the generic tree

namespace {

struct Token {
  enum Kind { Word, String, Punct, End } kind;
  std::string text;
  int line;
};

class Lexer {
 public:
  Lexer(const std::string& text, const std::string& origin) : s_(text), origin_(origin) {}

  Token next() {
    skip();
    if (pos_ >= s_.size()) return {Token::End, "", line_};
    const char c = s_[pos_];
    if (c == '"') {
      const int line = line_;
      std::string out;
      ++pos_;
      while (pos_ < s_.size() && s_[pos_] != '"') {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size() && (s_[pos_ + 1] == '\n' || s_[pos_ + 1] == '\r')) {
          pos_ += 1;  // a continuation inside a string
          continue;
        }
        if (s_[pos_] == '\n') ++line_;
        out += s_[pos_++];
      }
      if (pos_ >= s_.size()) fail(line, "unterminated string");
      ++pos_;
      return {Token::String, out, line};
    }
    if (c == '(' || c == ')' || c == '{' || c == '}' || c == ':' || c == ';' || c == ',') {
      ++pos_;
      return {Token::Punct, std::string(1, c), line_};
    }
    const size_t start = pos_;
    while (pos_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[pos_])) &&
           std::string("(){}:;,\"").find(s_[pos_]) == std::string::npos)
      ++pos_;
    return {Token::Word, s_.substr(start, pos_ - start), line_};
  }

  [[noreturn]] void fail(int line, const std::string& what) const {
    throw UserError(origin_ + ":" + std::to_string(line) + ": not a Liberty file (" + what + ")");
  }

 private:
  void skip() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '\n') {
        ++line_;
        ++pos_;
      } else if (std::isspace(static_cast<unsigned char>(c)) || c == '\\') {
        ++pos_;  // whitespace and line continuations
      } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '*') {
        const size_t end = s_.find("*/", pos_ + 2);
        if (end == std::string::npos) fail(line_, "unterminated comment");
        for (size_t k = pos_; k < end; ++k) line_ += s_[k] == '\n';
        pos_ = end + 2;
      } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '/') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else {
        return;
      }
    }
  }

  const std::string& s_;
  std::string origin_;
  size_t pos_ = 0;
  int line_ = 1;
};

struct Group {
  std::string type;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> attrs;  // simple attributes, in order
  std::vector<Group> children;
  int line = 0;

  std::string attr(const std::string& key) const {
    for (const auto& [k, v] : attrs)
      if (k == key) return v;
    return "";
  }
};

class TreeParser {
 public:
  explicit TreeParser(Lexer& lex) : lex_(lex) { tok_ = lex_.next(); }

  Group parse_top() {
    if (tok_.kind != Token::Word) lex_.fail(tok_.line, "expected library(...)");
    Group g = parse_statement_group();
    if (g.type != "library") lex_.fail(g.line, "top-level group is '" + g.type + "', expected 'library'");
    return g;
  }

 private:
  Lexer& lex_;
  Token tok_;

  void advance() { tok_ = lex_.next(); }
  bool punct(char c) const { return tok_.kind == Token::Punct && tok_.text[0] == c; }
  void expect(char c) {
    if (!punct(c)) lex_.fail(tok_.line, std::string("expected '") + c + "'" + (tok_.kind == Token::End ? " before end of file" : ", found '" + tok_.text + "'"));
    advance();
  }

  // name ( args ) { body }   — the current token is the name.
  Group parse_statement_group() {
    Group g;
    g.type = tok_.text;
    g.line = tok_.line;
    advance();
    parse_args(g.args);
    expect('{');
    parse_body(g);
    expect('}');
    return g;
  }

  void parse_args(std::vector<std::string>& args) {
    expect('(');
    while (!punct(')')) {
      if (tok_.kind == Token::End) lex_.fail(tok_.line, "unterminated argument list");
      if (tok_.kind == Token::Word || tok_.kind == Token::String) args.push_back(tok_.text);
      advance();
    }
    advance();
  }

  void parse_body(Group& g) {
    while (!punct('}')) {
      if (tok_.kind == Token::End) lex_.fail(tok_.line, "missing '}' for " + g.type);
      if (tok_.kind != Token::Word) lex_.fail(tok_.line, "unexpected '" + tok_.text + "'");
      const std::string name = tok_.text;
      const int line = tok_.line;
      advance();
      if (punct(':')) {  // simple attribute
        advance();
        std::string value;
        while (!punct(';') && !punct('}') && tok_.kind != Token::End) {
          if (tok_.line != line && !value.empty()) break;  // a missing ';' at the end of a line
          value += (value.empty() ? "" : " ") + tok_.text;
          advance();
        }
        if (punct(';')) advance();
        g.attrs.emplace_back(name, value);
      } else if (punct('(')) {
        Group child;
        child.type = name;
        child.line = line;
        parse_args(child.args);
        if (punct('{')) {
          advance();
          parse_body(child);
          expect('}');
          g.children.push_back(std::move(child));
        } else if (punct(';')) {
          advance();  // complex attribute: ignored (tables, values, ...)
        }
        // else: a complex attribute without ';' — tolerated
      } else {
        lex_.fail(line, "expected ':' or '(' after '" + name + "'");
      }
    }
  }
};

LibExpr parse_function(const std::string& text, const std::string& origin, int line) {
  try {
    return LibExpr::parse(text);
  } catch (const std::runtime_error& e) {
    throw UserError(origin + ":" + std::to_string(line) + ": " + e.what());
  }
}

LibCell extract_cell(const Group& g, const std::string& origin) {
  LibCell cell;
  cell.name = g.args.empty() ? "" : g.args[0];
  const std::string area = g.attr("area");
  cell.area = area.empty() ? 0.0 : std::stod(area);
  for (const Group& c : g.children) {
    if (c.type == "pin" || c.type == "pg_pin") {
      if (c.type == "pg_pin") continue;
      for (const std::string& name : c.args) {
        LibPin pin;
        pin.name = name;
        pin.direction = c.attr("direction");
        pin.function = c.attr("function");
        if (!pin.function.empty()) pin.expr = parse_function(pin.function, origin, c.line);
        cell.pins.push_back(std::move(pin));
      }
    } else if (c.type == "bus" || c.type == "bundle") {
      cell.has_latch = true;  // bus pins: not needed for standard cells; treat the cell as opaque
    } else if (c.type == "ff") {
      cell.has_ff = true;
      cell.ff.iq = c.args.size() > 0 ? c.args[0] : "";
      cell.ff.iqn = c.args.size() > 1 ? c.args[1] : "";
      cell.ff.next_state = parse_function(c.attr("next_state"), origin, c.line);
      cell.ff.clocked_on = parse_function(c.attr("clocked_on"), origin, c.line);
      if (!c.attr("clear").empty()) cell.ff.clear = parse_function(c.attr("clear"), origin, c.line);
      if (!c.attr("preset").empty()) cell.ff.preset = parse_function(c.attr("preset"), origin, c.line);
    } else if (c.type == "latch" || c.type == "statetable" || c.type == "ff_bank" || c.type == "latch_bank") {
      cell.has_latch = true;
    }
  }
  return cell;
}

}  // namespace

const LibPin* LibCell::pin(const std::string& name) const {
  for (const auto& p : pins)
    if (p.name == name) return &p;
  return nullptr;
}

const LibCell* Liberty::cell(const std::string& name) const {
  const auto it = cells.find(name);
  return it == cells.end() ? nullptr : &it->second;
}

Liberty parse_liberty(const std::string& text, const std::string& origin) {
  Lexer lex(text, origin);
  TreeParser parser(lex);
  const Group top = parser.parse_top();
  Liberty lib;
  lib.name = top.args.empty() ? "" : top.args[0];
  for (const Group& g : top.children)
    if (g.type == "cell") {
      LibCell c = extract_cell(g, origin);
      lib.cells[c.name] = std::move(c);
    }
  if (lib.cells.empty()) throw UserError(origin + ": the Liberty library has no cells");
  return lib;
}

Liberty read_liberty(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw UserError("liberty file '" + path.string() + "' does not exist; give --lib osu018 or the path of a .lib");
  if (!std::filesystem::is_regular_file(path, ec))
    throw UserError("liberty file '" + path.string() + "' is not a regular file; give --lib osu018 or the path of a .lib");
  return parse_liberty(read_file(path), path.string());
}

}  // namespace gm
