// RTL against the models: every family, both signednesses, several widths, exhaustively in Verilator;
// a randomized sweep of specs; lint in all three tools; and mutants that verification must catch.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "tests/support/temp_dir.hpp"
#include "generator/design_files.hpp"
#include "models/files.hpp"
#include "tb/lint.hpp"
#include "tb/verify.hpp"
#include "models/spec.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/mutant.hpp"

namespace fs = std::filesystem;

namespace {

// Every family, s = 0 and 1, at the given widths, with seeded random parameters (two draws each).
std::vector<gm::Spec> family_matrix(const std::vector<int>& widths, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<gm::Spec> out;
  for (const auto* f : gm::all_families())
    if (f->in_sweeps)
    for (int w : widths)
      for (int s = 0; s <= 1; ++s)
        for (int draw = 0; draw < (f->params.empty() ? 1 : 2); ++draw) out.push_back(gm::random_spec(rng, *f, w, s));
  // Distinct designs only.
  std::vector<gm::Spec> uniq;
  std::set<std::string> seen;
  for (auto& s : out)
    if (seen.insert(s.name()).second) uniq.push_back(s);
  return uniq;
}

void expect_all_pass(const std::vector<gm::VerifyResult>& results) {
  for (const auto& r : results) {
    EXPECT_TRUE(r.pass()) << r.spec.canonical() << ": " << r.mismatches << " mismatches, first a=" << r.a
                          << " b=" << r.b << " expected " << r.expected << " got " << r.got;
    EXPECT_TRUE(r.exhaustive || r.spec.w > 12) << r.spec.canonical();
  }
}

void expect_lint_clean(const std::vector<gm::Spec>& specs) {
  const fs::path dir = gm::test::temp_dir("gm-test-lint");
  const auto files = gm::write_designs(specs, dir);
  for (const auto& r : gm::lint_files(files)) EXPECT_TRUE(r.clean) << r.tool << ":\n" << r.log.substr(0, 3000);
  fs::remove_all(dir);
}

}  // namespace

TEST(Verify, EveryFamilyBothSignednessesExhaustiveAtWidths468) {
  const auto specs = family_matrix({4, 6, 8}, 11);
  ASSERT_GE(specs.size(), 60u);
  expect_all_pass(gm::verify_designs(specs, {}));
}

TEST(Verify, DefaultSetExhaustive) {
  const auto specs = gm::default_set();
  const auto results = gm::verify_designs(specs, {});
  expect_all_pass(results);
  for (const auto& r : results) EXPECT_EQ(r.pairs, 65536u);
}

TEST(Verify, EveryFamilyAtWidth16WithRandomPairsAndCorners) {
  gm::VerifyOptions opt;
  opt.random_pairs = 200000;  // a smoke level for the test suite; `verify` defaults to 10^7
  const auto specs = family_matrix({16}, 5);
  const auto results = gm::verify_designs(specs, opt);
  for (const auto& r : results) {
    EXPECT_TRUE(r.pass()) << r.spec.canonical() << " first a=" << r.a << " b=" << r.b << " expected "
                          << r.expected << " got " << r.got;
    EXPECT_FALSE(r.exhaustive);
    EXPECT_EQ(r.pairs, 200000u);
  }
}

TEST(Verify, IcarusAgreesOnEveryFamilyAtWidth4) {
  gm::VerifyOptions opt;
  opt.sim = "icarus";
  expect_all_pass(gm::verify_designs(family_matrix({4}, 3), opt));
}

TEST(Lint, EveryFamilyCleanInVerilatorIcarusAndYosys) {
  expect_lint_clean(family_matrix({2, 3, 5, 8, 16}, 17));
  expect_lint_clean(gm::default_set());
}

// At least 200 random valid specs: random family, width, signedness and parameters. All must
// generate, lint clean together (so no module name repeats) and verify exhaustively.
TEST(Sweep, TwoHundredRandomSpecsGenerateLintAndVerify) {
  std::mt19937_64 rng(2026);
  std::vector<const gm::FamilyDef*> families;
  for (const auto* f : gm::all_families())
    if (f->in_sweeps) families.push_back(f);
  std::vector<gm::Spec> specs;
  std::set<std::string> seen;
  while (specs.size() < 200) {
    const auto* f = families[rng() % families.size()];
    const int w = 2 + static_cast<int>(rng() % 8);  // 2..9: exhaustive and quick
    auto s = gm::random_spec(rng, *f, w, rng() % 2);
    if (seen.insert(s.name()).second) specs.push_back(s);
  }
  expect_lint_clean(specs);
  expect_all_pass(gm::verify_designs(specs, {}));
}

// The four designs share one directory and one verify run per simulator: verify groups designs by
// width, so that is one Verilator harness and one Icarus run for all four instead of one each. Each
// design must still fail, on its own line.
TEST(Mutant, OneFlippedGateIsCaughtByBothSimulators) {
  const std::vector<std::string> specs = {"exact:arch=array", "exact:arch=booth4,s=1", "drum:k=4,s=1", "trunc:t=4"};
  const fs::path dir = gm::test::temp_dir("gm-test-mutant");
  std::vector<gm::Spec> parsed;
  std::string args;
  for (const auto& spec : specs) parsed.push_back(gm::parse_spec(spec)), args += " '" + spec + "'";
  gm::write_designs(parsed, dir);
  // The unmodified designs pass, so a failure below is the mutants'.
  const auto ok = gm::test::run_cli("verify" + args + " --rtl-dir " + dir.string());
  EXPECT_EQ(ok.rc, 0) << ok.out;
  for (const auto& s : parsed) ASSERT_TRUE(gm::test::flip_one_gate(dir / (s.name() + ".v"))) << s.canonical();
  for (const std::string sim : {"verilator", "icarus"}) {
    const auto r = gm::test::run_cli("verify" + args + " --sim " + sim + " --rtl-dir " + dir.string());
    EXPECT_EQ(r.rc, 1) << sim << ": " << r.out;
    for (const auto& s : parsed) {  // its own FAIL line, with its first mismatching pair
      const size_t at = r.out.find("FAIL " + s.name() + " ");
      ASSERT_NE(at, std::string::npos) << s.canonical() << " " << sim << ": " << r.out;
      const std::string line = r.out.substr(at, r.out.find('\n', at) - at);
      EXPECT_NE(line.find("first: a="), std::string::npos) << line;
    }
  }
  fs::remove_all(dir);
}
