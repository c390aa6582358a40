// Net names say where a net sits (generator/gates/netlist.hpp, pp_tree.hpp). The expectations are
// written from the naming rule, not from generated output:
//   * pp_a<i>_b<j> is a_i[i] & b_i[j] (a NAND when exactly one index is the sign bit, if signed);
//   * an adder or compressor cell named for column c (fa_/ha_/c42_/cpa_c<c>...) reads only nets of
//     column c, its carry output (..._c) sits in column c + 1, and y_o[k] is driven from column k.
//     With constant ones in the matrix (Baugh-Wooley, trunc's correction) a half adder x + 1 folds
//     into s = ~x and a carry that is x itself, so there a net may also be read one column up;
//   * in a tree, a cell of stage r reads only partial products and cells of earlier stages;
//   * every wire of every family is lower_snake_case with a '_', never a numbered bank (n12, pp7,
//     csa3, absa7) and never ending in _<digits>, declared once and assigned once;
//   * the Netlist refuses a duplicate or malformed name.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <regex>
#include <set>
#include <stdexcept>

#include "generator/gates/netlist.hpp"
#include "generator/registry.hpp"
#include "models/spec.hpp"

namespace {

struct Assign {
  std::string lhs, rhs;
};

// The whitespace-separated words of a text (no regex: the files of w = 16 are long).
std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Every `assign lhs = rhs;` of a generated file (a right-hand side may span lines; it is returned
// with single spaces).
std::vector<Assign> assigns(const std::string& text) {
  std::vector<Assign> out;
  const auto ws = words(text);
  for (size_t i = 0; i + 2 < ws.size(); ++i) {
    if (ws[i] != "assign" || ws[i + 2] != "=") continue;
    Assign a{ws[i + 1], ""};
    for (i += 3; i < ws.size(); ++i) {
      a.rhs += (a.rhs.empty() ? "" : " ") + ws[i];
      if (a.rhs.back() == ';') break;
    }
    a.rhs.pop_back();
    out.push_back(a);
  }
  return out;
}

// Every name in the `wire a, b, c;` declarations.
std::vector<std::string> declared_wires(const std::string& text) {
  std::vector<std::string> out;
  const auto ws = words(text);
  for (size_t i = 0; i < ws.size(); ++i) {
    if (ws[i] != "wire" || (i > 0 && (ws[i - 1] == "input" || ws[i - 1] == "output"))) continue;  // not a port
    for (++i; i < ws.size(); ++i) {
      std::string name = ws[i];
      const char end = name.back();
      if (end == ',' || end == ';') name.pop_back();
      out.push_back(name);
      if (end == ';') break;
    }
  }
  return out;
}

// Identifiers read by a right-hand side, without the ports.
std::vector<std::string> nets_read(const std::string& rhs_text) {
  static const std::regex literal(R"(\d+'b[01])");
  static const std::regex ident(R"(\b[a-z][a-z0-9_]*\b)");
  const std::string rhs = std::regex_replace(rhs_text, literal, "");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(rhs.begin(), rhs.end(), ident); it != std::sregex_iterator(); ++it)
    if (it->str() != "a_i" && it->str() != "b_i") out.push_back(it->str());
  return out;
}

struct Place {
  int column;
  std::optional<int> stage;  // tree cells: r<stage>; partial products: 0
};

// A cell's net: kind, column, row or stage, _k<n>, output s or c, then an inner term's suffix.
const std::regex kCellNet(R"((fa|ha|c42|cpa)_c(\d+)(_r([a-z0-9]+))?(_k\d+)?_([sc])(_[a-z0-9_]+)?)");

// The column of the cell a net belongs to.
std::optional<int> cell_column(const std::string& net) {
  std::smatch m;
  if (!std::regex_match(net, m, kCellNet)) return std::nullopt;
  return std::stoi(m[2]);
}

// Where a net's value sits (the weight 2^column); nullopt for a name that names no column.
std::optional<Place> place_of(const std::string& net) {
  static const std::regex pp(R"(pp_a(\d+)_b(\d+))");
  const std::regex& cell = kCellNet;
  std::smatch m;
  if (std::regex_match(net, m, pp)) return Place{std::stoi(m[1]) + std::stoi(m[2]), 0};
  if (!std::regex_match(net, m, cell)) return std::nullopt;
  const bool carry_out = m[6] == "c" && !m[7].matched;
  Place p{std::stoi(m[2]) + (carry_out ? 1 : 0), std::nullopt};
  const bool tree = m[5].matched;  // Dadda and Wallace cells carry _k<n>
  if (tree) p.stage = std::stoi(m[4]);
  return p;
}

// The column rules above, for a design built from the partial-product matrix and adder cells.
// `constant_ones`: the matrix holds constant ones, so a net may also be read one column up.
void expect_cells_read_their_own_column(const std::string& spec_text, bool constant_ones) {
  const auto expect_column = [&](int got, int want, const std::string& what) {
    if (constant_ones && got == want - 1) return;
    EXPECT_EQ(got, want) << spec_text << ": " << what;
  };
  const gm::Spec spec = gm::parse_spec(spec_text);
  const std::string text = gm::rtl::generate_verilog(spec);
  int cells = 0, pps = 0;
  for (const auto& a : assigns(text)) {
    static const std::regex out_bit(R"(y_o\[(\d+)\])");
    static const std::regex pp(R"(pp_a(\d+)_b(\d+))");
    std::smatch m;
    if (a.lhs == "unused_inputs") continue;
    if (std::regex_match(a.lhs, m, out_bit)) {
      const int k = std::stoi(m[1]);
      for (const auto& n : nets_read(a.rhs)) {
        const auto p = place_of(n);
        ASSERT_TRUE(p) << spec_text << ": y_o[" << k << "] = " << a.rhs;
        expect_column(p->column, k, "y_o[" + std::to_string(k) + "] = " + a.rhs);
      }
      continue;
    }
    if (std::regex_match(a.lhs, m, pp)) {
      ++pps;
      const int i = std::stoi(m[1]), j = std::stoi(m[2]), sign = spec.w - 1;
      const std::string cell = "a_i[" + std::to_string(i) + "] & b_i[" + std::to_string(j) + "]";
      const bool nand = spec.is_signed && ((i == sign) != (j == sign));
      EXPECT_EQ(a.rhs, nand ? "~(" + cell + ")" : cell) << spec_text << ": " << a.lhs;
      continue;
    }
    const auto column = cell_column(a.lhs);
    ASSERT_TRUE(column) << spec_text << ": " << a.lhs << " names no column";
    const auto out = place_of(a.lhs);
    ++cells;
    for (const auto& n : nets_read(a.rhs)) {
      const auto in = place_of(n);
      ASSERT_TRUE(in) << spec_text << ": " << a.lhs << " reads " << n;
      expect_column(in->column, *column, a.lhs + " = " + a.rhs);
      if (out->stage && in->stage) {
        EXPECT_LT(*in->stage, *out->stage) << spec_text << ": " << a.lhs << " reads " << n;
      }
    }
  }
  EXPECT_GT(pps, 0) << spec_text;
  EXPECT_GT(cells, 0) << spec_text;
}

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The naming rule for every wire of one generated file.
void expect_structural_names(const gm::Spec& spec) {
  const std::string text = gm::rtl::generate_verilog(spec);
  std::map<std::string, int> assigned;
  for (const auto& a : assigns(text)) ++assigned[a.lhs];
  std::set<std::string> seen;
  for (const auto& w : declared_wires(text)) {
    const std::string where = spec.canonical() + ": wire " + w;
    ASSERT_FALSE(w.empty()) << where;
    bool legal = is_lower(w[0]) && w.find('_') != std::string::npos;
    for (const char c : w) legal = legal && (is_lower(c) || is_digit(c) || c == '_');
    EXPECT_TRUE(legal) << where;
    // A letters-then-digits name is a numbered bank (n123, pp7, csa3, absa7); one ending in
    // _<digits> reads as a bus bit.
    size_t letters = 0;
    while (letters < w.size() && is_lower(w[letters])) ++letters;
    const size_t last = w.find_last_not_of("0123456789");
    EXPECT_FALSE(letters < w.size() && w.find_first_not_of("0123456789", letters) == std::string::npos) << where;
    EXPECT_FALSE(last + 1 < w.size() && w[last] == '_') << where;
    EXPECT_TRUE(seen.insert(w).second) << where << " declared twice";
    if (w != "unused_inputs") {
      EXPECT_EQ(assigned[w], 1) << where;
    }
  }
  if (spec.family != "yosys") {  // yosys: behavioural `*`
    EXPECT_FALSE(seen.empty()) << spec.canonical();
  }
}

}  // namespace

TEST(NetNames, ExactDaddaW4HasEveryPartialProductByOperandBits) {
  const std::string text = gm::rtl::generate_verilog(gm::parse_spec("exact:arch=dadda,w=4"));
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      const std::string pp = "pp_a" + std::to_string(i) + "_b" + std::to_string(j);
      EXPECT_NE(text.find("assign " + pp + " = a_i[" + std::to_string(i) + "] & b_i[" + std::to_string(j) + "];"),
                std::string::npos)
          << pp;
    }
  // Column 3 holds four partial products, more than a Dadda tree's final height of 2: at least one
  // adder cell of column 3 exists, named by its column.
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(assign [fh]a_c3_r\d+_k\d+_s = )")));
  EXPECT_NE(text.find("assign pp_a3_b2 = a_i[3] & b_i[2];"), std::string::npos);
}

TEST(NetNames, AdderCellsReadOnlyTheirOwnColumn) {
  // Unsigned, no constant: the strict rule.
  for (const char* spec : {"exact:arch=dadda,w=4", "exact:arch=dadda,w=8", "exact:arch=wallace,w=6",
                           "exact:arch=wallace,w=8", "exact:arch=array,w=5", "exact:arch=array,w=8",
                           "trunc:t=6,comp=0,w=8", "bam:h=2,v=6,w=8", "perf:j=1,m=2,w=8", "comp42:c=8,w=8",
                           "comp42:c=14,w=7"})
    expect_cells_read_their_own_column(spec, false);
  // Constant ones: Baugh-Wooley (signed) and trunc's correction.
  for (const char* spec : {"exact:arch=dadda,w=8,s=1", "exact:arch=wallace,w=8,s=1", "exact:arch=array,w=8,s=1",
                           "trunc:t=6,comp=1,w=8", "trunc:t=6,comp=1,w=8,s=1", "bam:h=2,v=6,w=8,s=1",
                           "perf:j=1,m=2,w=8,s=1", "comp42:c=16,w=8,s=1"})
    expect_cells_read_their_own_column(spec, true);
}

TEST(NetNames, EveryFamilyNamesEveryWireByStructure) {
  std::mt19937_64 rng(9);
  int designs = 0;
  for (const auto* f : gm::all_families()) {
    if (!f->in_sweeps) continue;
    for (int w : {2, 3, 5, 8, 16})
      for (int s = 0; s <= 1; ++s)
        for (int draw = 0; draw < 3; ++draw, ++designs) expect_structural_names(gm::random_spec(rng, *f, w, s));
  }
  EXPECT_GE(designs, 10 * 5 * 2 * 3);
}

// Duplicate names throw, so every parameter point must generate: all of them at small widths.
TEST(NetNames, EveryParameterPointAtWidthsTwoToEightGenerates) {
  int designs = 0;
  for (const auto* f : gm::all_families()) {
    if (!f->in_sweeps) continue;
    for (int w = 2; w <= 8; ++w)
      for (int s = 0; s <= 1; ++s) {
        // The cross product of every parameter's range.
        std::vector<std::string> points = {""};
        for (const auto& p : f->params) {
          std::vector<std::string> next;
          std::vector<std::string> values = p.choices;
          if (p.is_number())
            for (int v = p.lo.at(w); v <= p.hi.at(w); ++v) values.push_back(std::to_string(v));
          for (const auto& base : points)
            for (const auto& v : values) next.push_back(base + "," + p.key + "=" + v);
          points = next;
        }
        for (const auto& point : points) {
          const std::string text = f->name + ":w=" + std::to_string(w) + ",s=" + std::to_string(s) + point;
          gm::Spec spec;
          try {
            spec = gm::parse_spec(text);
          } catch (const gm::SpecError&) {
            continue;  // a cross-parameter check refuses the point
          }
          EXPECT_NO_THROW(gm::rtl::generate_verilog(spec)) << text;
          ++designs;
        }
      }
  }
  EXPECT_GT(designs, 500);
}

TEST(NetNames, NetlistRefusesDuplicateAndMalformedNames) {
  gm::rtl::Netlist nl(2, 2, 4);
  nl.and2(nl.a(0), nl.b(0), "pp_a0_b0");
  EXPECT_THROW(nl.and2(nl.a(1), nl.b(1), "pp_a0_b0"), std::logic_error);
  for (const char* bad : {"pp7", "n12", "pp_7", "fa_c3_", "Fa_c3", "3fa_c", "fa-c3", "a_i", "y_o", "unused_inputs"})
    EXPECT_THROW(nl.xor2(nl.a(0), nl.b(1), bad), std::logic_error) << bad;
  // A gate that folds away makes no net, so its name stays free.
  EXPECT_EQ(nl.and2(nl.a(1), gm::rtl::Netlist::one(), "pp_a1_b1"), nl.a(1));
  EXPECT_NO_THROW(nl.and2(nl.a(1), nl.b(1), "pp_a1_b1"));
}
