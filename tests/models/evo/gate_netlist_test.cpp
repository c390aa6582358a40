// The evo gate netlist: its strict parser (every malformed, cyclic, forward-referencing or hostile
// file is one line naming the file and line), the canonical text and the content id.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "models/errors.hpp"
#include "models/evo/gate_netlist.hpp"
#include "tests/support/array_netlist.hpp"

namespace {

using gm::evo::GateNetlist;
using gm::evo::GateOp;

// A random netlist: every op, inputs drawn from every earlier net, random outputs; unary gates keep in1 = 0.
GateNetlist random_netlist(std::mt19937_64& rng, int w, bool s, int gates) {
  GateNetlist n{.w = w, .is_signed = s, .gates = {}, .outputs = {}};
  for (int k = 0; k < gates; ++k) {
    const auto op = static_cast<GateOp>(rng() % gm::evo::kGateOpCount);
    const uint32_t nets = static_cast<uint32_t>(n.net_count());
    n.add(op, static_cast<uint32_t>(rng() % nets), static_cast<uint32_t>(rng() % nets));
  }
  for (int i = 0; i < 2 * w; ++i) n.outputs.push_back(static_cast<uint32_t>(rng() % n.net_count()));
  return n;
}

// The parser's one-line message for `text`, or "" when it parses.
std::string refusal(const std::string& text) {
  try {
    gm::evo::parse_gate_netlist(text, "lib/x.gmnet");
  } catch (const gm::UserError& e) {
    return e.what();
  }
  return "";
}

const std::string kHeader = "gmnet 1 w=2 s=0\n";
const std::string kOutputs = "y0 = g0\ny1 = 0\ny2 = 1\ny3 = a1\n";

}  // namespace

TEST(EvoNetlist, CanonicalTextRoundTripsForRandomNetlists) {
  std::mt19937_64 rng(14);
  for (int trial = 0; trial < 200; ++trial) {
    const int w = 2 + static_cast<int>(rng() % 7);
    const GateNetlist n = random_netlist(rng, w, rng() % 2, static_cast<int>(rng() % 60));
    const std::string text = gm::evo::canonical_text(n);
    const GateNetlist back = gm::evo::parse_gate_netlist(text, "round-trip");
    EXPECT_EQ(back, n) << text;
    EXPECT_EQ(gm::evo::canonical_text(back), text);
    EXPECT_EQ(gm::evo::content_id(back), gm::evo::content_id(n));
  }
}

TEST(EvoNetlist, TextFormatAndIdArePinned) {
  GateNetlist n{.w = 2, .is_signed = false, .gates = {}, .outputs = {}};
  const uint32_t g0 = n.add(GateOp::kAnd, n.net_a(0), n.net_b(0));
  const uint32_t g1 = n.add(GateOp::kAndNot, g0, n.net_b(1));
  n.add(GateOp::kNot, g1);
  n.outputs = {g0, g1, n.net_of_gate(2), GateNetlist::kConst1};
  const std::string text = "gmnet 1 w=2 s=0\ng0 = and a0 b0\ng1 = andnot g0 b1\ng2 = not g1\n"
                           "y0 = g0\ny1 = g1\ny2 = g2\ny3 = 1\n";
  EXPECT_EQ(gm::evo::canonical_text(n), text);
  // The id is the first 12 hex digits of the SHA-256 of that text (sha256sum of the string above).
  EXPECT_EQ(gm::evo::content_id(n), "c60c6495635a");
  // Comments and empty lines are not content: the same id.
  const GateNetlist commented = gm::evo::parse_gate_netlist("# evolved from exact\n\n" + text + "# end\n", "c");
  EXPECT_EQ(gm::evo::content_id(commented), gm::evo::content_id(n));
  // One op changed is another id.
  GateNetlist flipped = n;
  flipped.gates[0].op = GateOp::kOr;
  EXPECT_NE(gm::evo::content_id(flipped), gm::evo::content_id(n));
}

TEST(EvoNetlist, MalformedCyclicAndForwardReferencingFilesAreOneLineErrorsWithFileAndLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "lib/x.gmnet:1: has no header"},
      {"gmnet 2 w=2 s=0\n", "lib/x.gmnet:1: has format version '2'"},
      {"gmnet 1 w=9 s=0\n", "lib/x.gmnet:1: has 'w=9'; write w=W with W in 2..8"},
      {"gmnet 1 w=02 s=0\n", "has 'w=02'"},
      {"gmnet 1 w=2 s=2\n", "has 's=2'; write s=0"},
      {"gmnet 1 w=2\n", "is not a header"},
      {kHeader + "g0 = and a0 g0\n" + kOutputs, "lib/x.gmnet:2: g0 reads g0, itself (a cycle)"},
      {kHeader + "g0 = and a0 b0\ng1 = or g2 a1\ng2 = not a0\n" + kOutputs,
       "lib/x.gmnet:3: g1 reads g2, which comes after it"},
      {kHeader + "g0 = and a0 b0\ng2 = or g0 a1\n" + kOutputs, ":3: has 'g2' where g1 comes next"},
      {kHeader + "g0 = mux a0 b0\n" + kOutputs, ":2: has op 'mux'"},
      {kHeader + "g0 = and a0\n" + kOutputs, ":2: gives 1 inputs to and, which takes 2"},
      {kHeader + "g0 = not a0 b0\n" + kOutputs, ":2: gives 2 inputs to not, which takes 1"},
      {kHeader + "g0 = and a2 b0\n" + kOutputs, ":2: reads a2, but operands have bits 0..1"},
      {kHeader + "g0 = and a0 c0\n" + kOutputs, ":2: has net 'c0'"},
      {kHeader + "g0 = and a0  b0\n" + kOutputs, ":2: has an empty field"},
      {kHeader + "g0 = and a0 b0\r\n" + kOutputs, ":2: has a carriage return"},
      {kHeader + "g0 = and a0 b\xc3\xa9\n" + kOutputs, ":2: holds a control or non-ASCII character"},
      {kHeader + "g0 = and a0 b0\n" + "y0 = g0\ny1 = 0\ny2 = 1\n", ":5: ends after 3 output lines"},
      {kHeader + "g0 = and a0 b0\n" + "y0 = g0\ny2 = 0\n", ":4: has 'y2' where y1 comes next"},
      {kHeader + "g0 = and a0 b0\n" + kOutputs + "y4 = 0\n", ":7: has 'y4', but a w=2 product has bits y0..y3"},
      {kHeader + "g0 = and a0 b0\n" + "y0 = g1\n", ":3: reads g1, but the file has only 1 gates"},
      {kHeader + "g0 = and a0 b0\ny0 = g0\ng1 = not g0\n", ":4: has a gate after the outputs"},
      {kHeader + "x0 = and a0 b0\n", ":2: 'x0' starts no gate"},
      {kHeader + "g0 = and a0 b0\n" + kOutputs + "gmnet 1 w=2 s=0\n", "has a gate after the outputs"},
      {kHeader + "g0 = and a0 b0\ny0 = g0\ny1 = g0\ny2 = g0\ny3 = g00\n", ":6: has net 'g00'"},
  };
  for (const auto& [text, fragment] : cases) {
    const std::string msg = refusal(text);
    EXPECT_NE(msg.find(fragment), std::string::npos) << "wanted '" << fragment << "' for:\n" << text << "got: " << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_EQ(msg.rfind("lib/x.gmnet", 0), 0u) << msg;
  }
}

TEST(EvoNetlist, HostileSizesAreRefusedBeforeTheyCostMemory) {
  std::string many = "gmnet 1 w=2 s=0\n";
  for (int k = 0; k <= gm::evo::kMaxGates; ++k) many += "g" + std::to_string(k) + " = not a0\n";
  EXPECT_NE(refusal(many).find("passes 65536 gates"), std::string::npos) << refusal(many);
  EXPECT_NE(refusal(std::string(9 << 20, '#')).find("bytes, more than"), std::string::npos);
  EXPECT_NE(refusal(kHeader + "g0 = and a0 b9999999\n").find("has net 'b9999999'"), std::string::npos);
}

TEST(EvoNetlist, CompactionDropsTheGatesNoOutputReadsAndKeepsTheRest) {
  const GateNetlist plain = gm::test::array_multiplier(3, false);
  GateNetlist n = plain;
  n.add(GateOp::kXor, n.net_a(0), n.net_b(0));  // read by nothing
  std::vector<uint8_t> active;
  gm::evo::mark_active(n, active);
  EXPECT_EQ(active.back(), 0);
  const GateNetlist c = gm::evo::compacted(n);
  EXPECT_EQ(c, gm::evo::compacted(plain));
  EXPECT_LT(c.gates.size(), plain.gates.size());  // the carries out of the top bit go too
  EXPECT_EQ(gm::evo::compacted(c), c);
  std::vector<uint8_t> all;
  gm::evo::mark_active(c, all);
  EXPECT_EQ(std::count(all.begin(), all.end(), 1), static_cast<long>(c.gates.size()));
}
