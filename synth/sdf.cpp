#include "synth/sdf.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace gm {

namespace {

// S-expression tokens: "(", ")", strings and atoms. Escaped characters (\[) stay in the atom,
// unescaped later.
class Lexer {
 public:
  Lexer(const std::string& text, const std::string& origin) : s_(text), origin_(origin) {}

  // Next token; "" at the end.
  std::string next() {
    skip();
    if (i_ >= s_.size()) return "";
    const char c = s_[i_];
    if (c == '(' || c == ')') return std::string(1, s_[i_++]);
    if (c == '"') {
      const size_t end = s_.find('"', i_ + 1);
      if (end == std::string::npos) fail("unterminated string");
      std::string t = s_.substr(i_, end + 1 - i_);
      i_ = end + 1;
      return t;
    }
    const size_t start = i_;
    while (i_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[i_])) && s_[i_] != '(' && s_[i_] != ')') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
      ++i_;
    }
    return s_.substr(start, i_ - start);
  }
  std::string peek() {
    const size_t save = i_;
    std::string t = next();
    i_ = save;
    return t;
  }
  void expect(const std::string& t) {
    if (next() != t) fail("expected '" + t + "'");
  }
  // Skips the rest of a group whose "(" has been read.
  void skip_group() {
    for (int depth = 1; depth > 0;) {
      const std::string t = next();
      if (t.empty()) fail("unbalanced parentheses");
      depth += t == "(" ? 1 : t == ")" ? -1 : 0;
    }
  }
  [[noreturn]] void fail(const std::string& what) const {
    const long line = 1 + std::count(s_.begin(), s_.begin() + std::min(i_, s_.size()), '\n');
    throw std::runtime_error(origin_ + ":" + std::to_string(line) + ": " + what);
  }

 private:
  void skip() {
    for (;;) {
      while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
      if (s_.compare(i_, 2, "//") == 0) {
        i_ = s_.find('\n', i_);
        if (i_ == std::string::npos) i_ = s_.size();
      } else {
        return;
      }
    }
  }
  const std::string& s_;
  std::string origin_;
  size_t i_ = 0;
};

std::string unescape(const std::string& t) {
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\\' && i + 1 < t.size()) ++i;
    out += t[i];
  }
  if (out.size() >= 2 && out.front() == '"' && out.back() == '"') out = out.substr(1, out.size() - 2);
  return out;
}

// An INSTANCE path as Yosys's `flatten` names the cell: the components unescaped and joined with
// '.'. The hierarchy divider (DIVIDER, '/' by default) separates components only when unescaped: in
// "g_col\[0\]\.u_lane/_12_" the dot belongs to the generate block's instance name, and Yosys's
// flattened name is "g_col[0].u_lane._12_" either way.
std::string instance_path(const std::string& t, char divider) {
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\\' && i + 1 < t.size()) {
      out += t[++i];
    } else if (t[i] == divider) {
      out += '.';
    } else if (t[i] != '"') {
      out += t[i];
    }
  }
  return out;
}

// "1ns", "100ps", "1 ns" (two tokens) -> picoseconds per unit.
double timescale_ps(Lexer& lx) {
  std::string t = lx.next();
  if (lx.peek() != ")") t += lx.next();
  size_t k = 0;
  while (k < t.size() && (std::isdigit(static_cast<unsigned char>(t[k])) || t[k] == '.')) ++k;
  const double n = k ? std::stod(t.substr(0, k)) : 1.0;
  const std::string unit = t.substr(k);
  const double ps = unit == "s" ? 1e12 : unit == "ms" ? 1e9 : unit == "us" ? 1e6 : unit == "ns" ? 1e3
                  : unit == "ps" ? 1.0 : unit == "fs" ? 1e-3 : -1;
  if (ps < 0) lx.fail("unknown TIMESCALE unit '" + unit + "'");
  lx.expect(")");
  return n * ps;
}

// One delay value "(min:typ:max)", "(v)" or "()" (no delay: 0).
double delay_value(Lexer& lx) {
  lx.expect("(");
  std::string t = lx.next();
  if (t == ")") return 0;
  lx.expect(")");
  std::vector<std::string> parts{""};
  for (char c : t) c == ':' ? parts.push_back("") : void(parts.back() += c);
  std::string pick = parts.size() == 3 ? (!parts[1].empty() ? parts[1] : !parts[2].empty() ? parts[2] : parts[0]) : parts[0];
  try {
    return std::stod(pick);
  } catch (const std::exception&) {
    lx.fail("bad delay value '" + t + "'");
  }
}

// A port spec: PIN or (posedge PIN) / (negedge PIN).
std::string port_spec(Lexer& lx) {
  std::string t = lx.next();
  if (t != "(") return unescape(t);
  lx.next();  // posedge | negedge
  t = lx.next();
  lx.expect(")");
  return unescape(t);
}

void read_delay(Lexer& lx, double scale, SdfDelays& out, std::vector<SdfArc>* arcs) {
  // after "(DELAY": groups (ABSOLUTE ...) / (INCREMENT ...)
  for (std::string t; (t = lx.next()) != ")";) {
    if (t != "(") lx.fail("expected '(' in DELAY");
    const std::string kind = lx.next();
    if (kind != "ABSOLUTE" && kind != "INCREMENT") {
      lx.skip_group();
      continue;
    }
    for (std::string u; (u = lx.next()) != ")";) {
      if (u != "(") lx.fail("expected '(' in " + kind);
      const std::string what = lx.next();
      if (what == "IOPATH" && arcs) {
        SdfArc a;
        a.from = port_spec(lx);
        a.to = port_spec(lx);
        const double rise = delay_value(lx);
        double fall = rise;
        if (lx.peek() == "(") fall = delay_value(lx);
        while (lx.peek() == "(") delay_value(lx);  // z transitions: not simulated
        lx.expect(")");
        a.rise_ps = std::max<int64_t>(0, std::llround(rise * scale));
        a.fall_ps = std::max<int64_t>(0, std::llround(fall * scale));
        arcs->push_back(a);
      } else if (what == "INTERCONNECT") {
        port_spec(lx);
        port_spec(lx);
        double worst = 0;
        while (lx.peek() == "(") worst = std::max(worst, delay_value(lx));
        lx.expect(")");
        out.max_interconnect_ps = std::max(out.max_interconnect_ps, worst * scale);
      } else {
        lx.skip_group();
      }
    }
  }
}

}  // namespace

int64_t SdfDelays::max_delay_ps() const {
  int64_t m = 0;
  for (const auto& [name, arcs] : instances)
    for (const auto& a : arcs) m = std::max({m, a.rise_ps, a.fall_ps});
  return m;
}

SdfDelays parse_sdf(const std::string& text, const std::string& origin) {
  Lexer lx(text, origin);
  SdfDelays out;
  double scale = 1000;  // SDF's default unit is 1 ns
  char divider = '/';   // SDF's default hierarchy divider
  lx.expect("(");
  if (lx.next() != "DELAYFILE") lx.fail("not an SDF file (no DELAYFILE)");
  for (std::string t; (t = lx.next()) != ")";) {
    if (t.empty()) lx.fail("unexpected end of file");
    if (t != "(") lx.fail("expected '('");
    const std::string key = lx.next();
    if (key == "TIMESCALE") {
      scale = timescale_ps(lx);
    } else if (key == "DIVIDER") {
      const std::string d = lx.next();
      if (d.size() != 1 || (d[0] != '/' && d[0] != '.')) lx.fail("DIVIDER must be '/' or '.'");
      divider = d[0];
      lx.expect(")");
    } else if (key == "CELL") {
      std::string instance;
      std::vector<SdfArc> arcs;
      for (std::string u; (u = lx.next()) != ")";) {
        if (u != "(") lx.fail("expected '(' in CELL");
        const std::string what = lx.next();
        if (what == "INSTANCE") {
          std::string name;
          for (std::string v; (v = lx.next()) != ")";) {
            if (v.empty()) lx.fail("unexpected end of file");
            name += v;
          }
          instance = instance_path(name, divider);
        } else if (what == "DELAY") {
          read_delay(lx, scale, out, &arcs);
        } else {
          lx.skip_group();
        }
      }
      if (!arcs.empty()) {
        auto& dst = out.instances[instance];
        dst.insert(dst.end(), arcs.begin(), arcs.end());
      }
    } else {
      lx.skip_group();
    }
  }
  return out;
}

}  // namespace gm
