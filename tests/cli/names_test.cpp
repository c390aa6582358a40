// Spec syntax is strict (one spelling per design) and names are unique by content: no two
// different designs share a name, in any family.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>
#include <regex>

#include "models/files.hpp"
#include "tb/process.hpp"
#include "tb/tool_log.hpp"
#include "models/spec.hpp"

namespace fs = std::filesystem;
using gm::parse_spec;
using gm::SpecError;

namespace {

std::string refusal(const std::string& text) {
  try {
    parse_spec(text);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST(SpecSyntax, MalformedSpellingsAreRefused) {
  // Each of these was accepted once as a second spelling of a valid design.
  const std::map<std::string, std::string> cases = {
      {"drum:k=4,,s=1", "empty field"},
      {"drum:k=4,s=1,", "empty field"},
      {"drum:,k=4", "empty field"},
      {"drum: k = 4 , s = 1", "space"},
      {"drum:k=4 ", "space"},
      {" drum:k=4", "unknown family ' drum'"},
      {"drum:k=4\t", "control character"},
      {"exact:w=008", "not a plain decimal number"},
      {"exact:w=08", "not a plain decimal number"},
      {"drum:k=+4", "not a plain decimal number"},
      {"exact:s=-0", "not a plain decimal number"},
      {"drum:k=0x4", "not a plain decimal number"},
      {"drum:k=4.0", "not a plain decimal number"},
      {"drum:k=99999999999999999999", "out of range"},
      {"drum:k=2147483648", "out of range"},
      {"drum:", "ends with ':'"},
      {":k=4", "no family"},
      {":", "no family"},
      {"", "no family"},
      {"drum:=4", "no key"},
      {"drum:k=", "has no value"},
      {"exact:arch=", "has no value"},
      {"drum:k=4,k=4", "twice"},
      {"drum:k=4,K=4", "unknown key 'K'"},
      {"DRUM:k=4", "unknown family 'DRUM'"},
      {"drum:k=\xef\xbc\x94", "non-ASCII"},   // a full-width digit four
      {"dr\xc3\xbcm:k=4", "unknown family"},
  };
  for (const auto& [text, fragment] : cases) {
    const std::string m = refusal(text);
    EXPECT_NE(m.find(fragment), std::string::npos) << "'" << text << "' gave: " << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
  // The plain spellings still work.
  EXPECT_EQ(parse_spec("drum:k=4,s=1").canonical(), "drum:k=4,s=1,w=8");
  EXPECT_EQ(parse_spec("exact:w=10").w, 10);
  EXPECT_EQ(parse_spec("trunc:t=0").get("t"), 0);
}

TEST(SpecSyntax, ExtPathMayHoldSpacesButNotCommas) {
  const gm::ScratchDir scratch("gm-test-path with space");
  const fs::path& dir = scratch.path();
  gm::write_file_atomic(dir / "m.v", "module m (input [3:0] a_i, input [3:0] b_i, output [7:0] y_o);\n"
                                      "  assign y_o = a_i * b_i;\nendmodule\n");
  const auto s = parse_spec("ext:path=" + (dir / "m.v").string() + ",top=m,w=4");
  EXPECT_EQ(s.get_str("path"), (dir / "m.v").string());
  EXPECT_NE(refusal("ext:path=" + (dir / "m.v").string() + ",top= m,w=4").find("space"), std::string::npos);
}

// Property: over every family's parameter grid (w = 2..6 and 8, both signs, every value of every
// parameter), distinct canonical specs never share a name, and a name identifies one canonical spec.
TEST(Names, DistinctCanonicalSpecsNeverShareANameOnTheWholeGrid) {
  std::map<std::string, std::string> canonical_of;  // name -> canonical spec
  size_t specs = 0;
  for (const auto* f : gm::all_families()) {
    if (!f->in_sweeps) continue;  // ext is covered below with files
    for (int w : {2, 3, 4, 5, 6, 8})
      for (int s = 0; s <= 1; ++s) {
        // Enumerate the cartesian product of the parameters' values as spec texts.
        std::vector<std::string> texts = {f->name + ":w=" + std::to_string(w) + ",s=" + std::to_string(s)};
        for (const auto& p : f->params) {
          std::vector<std::string> values = p.choices;
          if (p.is_number())
            for (int v = p.lo.at(w); v <= p.hi.at(w); ++v) values.push_back(std::to_string(v));
          std::vector<std::string> next;
          for (const auto& t : texts)
            for (const auto& v : values) next.push_back(t + "," + p.key + "=" + v);
          texts = std::move(next);
        }
        for (const auto& t : texts) {
          gm::Spec spec;
          try {
            spec = parse_spec(t);
          } catch (const SpecError&) {
            continue;  // a cross-parameter check refuses this point
          }
          ++specs;
          const auto [it, fresh] = canonical_of.emplace(spec.name(), spec.canonical());
          EXPECT_TRUE(fresh || it->second == spec.canonical())
              << spec.name() << " names both " << it->second << " and " << spec.canonical();
        }
      }
  }
  EXPECT_GT(specs, 1000u);
  EXPECT_EQ(canonical_of.size(), specs) << "some spec text was enumerated twice";
}

// Property: random specs over random widths (up to 16) agree with the grid's rule.
TEST(Names, RandomSpecsWithDistinctCanonicalFormsHaveDistinctNames) {
  std::mt19937_64 rng(8);
  std::map<std::string, std::string> canonical_of;
  for (int i = 0; i < 20000; ++i) {
    const auto families = gm::all_families();
    const auto* f = families[rng() % families.size()];
    if (!f->in_sweeps) continue;
    const auto spec = gm::random_spec(rng, *f, 2 + static_cast<int>(rng() % 15), rng() % 2);
    const auto [it, fresh] = canonical_of.emplace(spec.name(), spec.canonical());
    EXPECT_TRUE(fresh || it->second == spec.canonical()) << spec.name() << ": " << it->second << " vs " << spec.canonical();
  }
}

TEST(Names, ExtNamesCarryAHashOfTheFileContents) {
  const gm::ScratchDir scratch("gm-test-ext-names");
  const fs::path& dir = scratch.path();
  const std::string body_a = "module mul (input [3:0] a_i, input [3:0] b_i, output [7:0] y_o);\n  assign y_o = a_i * b_i;\nendmodule\n";
  const std::string body_b = "module mul (input [3:0] a_i, input [3:0] b_i, output [7:0] y_o);\n  assign y_o = a_i * b_i | 8'd1;\nendmodule\n";
  gm::write_file_atomic(dir / "a.v", body_a);
  gm::write_file_atomic(dir / "b.v", body_b);
  fs::create_directories(dir / "copy");
  gm::write_file_atomic(dir / "copy" / "a.v", body_a);
  auto spec = [&](const fs::path& p, const std::string& extra = "") {
    return parse_spec("ext:path=" + p.string() + ",top=mul,w=4" + extra);
  };
  const std::regex form("gm_ext_u4_mul_h[0-9a-f]{8}");
  const auto a = spec(dir / "a.v"), b = spec(dir / "b.v"), a_copy = spec(dir / "copy" / "a.v");
  EXPECT_TRUE(std::regex_match(a.name(), form)) << a.name();
  EXPECT_NE(a.name(), b.name()) << "same top, different contents";
  EXPECT_EQ(a.name(), a_copy.name()) << "same contents at another path";
  EXPECT_NE(a.canonical(), a_copy.canonical());
  // The port mapping decides the design too: swapped operands are another design.
  EXPECT_NE(spec(dir / "a.v", ",a=b_i,b=a_i").name(), a.name());
  // Editing the file changes the name.
  gm::write_file_atomic(dir / "a.v", body_b);
  EXPECT_EQ(spec(dir / "a.v").name(), b.name());
}

TEST(ToolLog, FindsTheFirstErrorInTheUsersFiles) {
  const std::vector<gm::UserSource> files = {{"gm_x.v", "/home/me/rtl/gm_x.v"}};
  // Verilator
  EXPECT_EQ(gm::first_user_source_error("%Warning-WIDTH: gm_x.v:3:1: width\n%Error: gm_x.v:12:5: syntax error, unexpected ';'\n"
                                        "%Error: Exiting due to 1 error(s)\n",
                                        files, "verilator"),
            "/home/me/rtl/gm_x.v:12: syntax error, unexpected ';' (verilator)");
  // Icarus, file named with a directory
  EXPECT_EQ(gm::first_user_source_error("./gm_x.v:7: syntax error\n./gm_x.v:7: error: invalid module item.\n", files, "iverilog"),
            "/home/me/rtl/gm_x.v:7: syntax error (iverilog)");
  // Yosys, both forms
  EXPECT_EQ(gm::first_user_source_error("dut.v:4: ERROR: syntax error, unexpected TOK_ID\n", {{"dut.v", "/r/a.v"}}, "yosys"),
            "/r/a.v:4: syntax error, unexpected TOK_ID (yosys)");
  EXPECT_EQ(gm::first_user_source_error("ERROR: Parser error in line /tmp/q/dut.v:9: bad\n", {{"dut.v", "/r/a.v"}}, "yosys"),
            "/r/a.v:9: bad (yosys)");
  // An error in a generated file, a longer name that ends like the user's, or no error at all: not the user's.
  EXPECT_FALSE(gm::first_user_source_error("%Error: gm_vtop.v:3:1: bad\n", files, "verilator"));
  EXPECT_FALSE(gm::first_user_source_error("%Error: xgm_x.v:3:1: bad\n", files, "verilator"));
  EXPECT_FALSE(gm::first_user_source_error("%Warning: gm_x.v:3:1: unused\n", files, "verilator"));
  EXPECT_FALSE(gm::first_user_source_error("", files, "verilator"));
}
