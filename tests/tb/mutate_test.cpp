// Mutation coverage (tb/mutate.hpp): Yosys mutants of small designs through verification and
// the SAT miter. The counts must add up, verification must catch some, and the miter that decides
// "equivalent" must be able to say "different" (otherwise every escape would pass as equivalent).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "tb/mutate.hpp"
#include "tb/process.hpp"
#include "generator/registry.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/tools.hpp"

namespace {


}  // namespace

TEST(Mutation, JsonCountsAddUpAndVerificationCatchesMutants) {
  if (!gm::test::tools_present({"yosys", "verilator"})) GTEST_SKIP() << "yosys or verilator missing";
  const auto r = gm::test::run_cli("mutate 'exact:w=4,arch=array' 'trunc:w=4,t=2' 'drum:w=4,k=3,s=1' --count 5 --seed 3 --json");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 3u);
  const std::set<std::string> keys{"spec", "name", "mutants", "caught", "equivalent", "escaped", "seconds"};
  int caught = 0;
  for (const auto& d : j) {
    std::set<std::string> got;
    for (const auto& [k, v] : d.items()) got.insert(k);
    EXPECT_EQ(got, keys) << d.dump();
    EXPECT_EQ(d["mutants"].get<int>(), 5) << d.dump();  // Yosys lists exactly N
    EXPECT_EQ(d["mutants"].get<int>(), d["caught"].get<int>() + d["equivalent"].get<int>() + d["escaped"].get<int>())
        << d.dump();
    EXPECT_EQ(d["escaped"].get<int>(), 0) << d.dump();
    EXPECT_GT(d["seconds"].get<double>(), 0) << d.dump();
    caught += d["caught"].get<int>();
  }
  EXPECT_EQ(j[0]["name"], gm::parse_spec("exact:w=4,arch=array").name());
  // Most mutations of a multiplier change its products; a harness that cannot fail would catch none.
  EXPECT_GE(caught, 8) << r.out;
}

TEST(Mutation, TableHasARowPerDesignAndATotal) {
  if (!gm::test::tools_present({"yosys", "verilator"})) GTEST_SKIP() << "yosys or verilator missing";
  const auto r = gm::test::run_cli("mutate 'exact:w=4' --count 3 --sim icarus");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(gm::parse_spec("exact:w=4").name() + " +3 +\\d+ +\\d+ +0 ")))
      << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("total +3 +\\d+ +\\d+ +0"))) << r.out;
}

// The miter proves a design equal to itself and finds an AND turned into an OR.
TEST(Mutation, SatMiterSeparatesEqualFromDifferent) {
  if (!gm::have_tool("yosys")) GTEST_SKIP() << "yosys missing";
  const auto module = [](const std::string& name, const std::string& op) {
    return "module " + name + " (input wire [1:0] a_i, input wire [1:0] b_i, output wire [3:0] y_o);\n" +
           "  assign y_o = {a_i[1] " + op + " b_i[1], a_i[0] & b_i[0], a_i ^ b_i};\nendmodule\n";
  };
  EXPECT_TRUE(gm::sat_equivalent(module("gold", "&"), "gold", module("gate", "&"), "gate", 60));
  EXPECT_FALSE(gm::sat_equivalent(module("gold", "&"), "gold", module("gate", "|"), "gate", 60));
}

TEST(Mutation, BadInputIsOneLineExitTwo) {
  gm::test::expect_one_line_error(gm::test::run_cli("mutate exact --count 0"), "--count");
  gm::test::expect_one_line_error(gm::test::run_cli("mutate nosuch --count 2"), "unknown family 'nosuch'");
  gm::test::expect_one_line_error(gm::test::run_cli("mutate exact --sim modelsim"), "--sim");
}
