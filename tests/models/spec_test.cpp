// Spec strings, canonical names and the family registry.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "generator/registry.hpp"
#include "models/spec.hpp"

using gm::parse_spec;
using gm::SpecError;

TEST(Spec, KeyOrderAndDefaultsGiveTheSameName) {
  EXPECT_EQ(parse_spec("exact:s=1,w=8,arch=dadda").name(), parse_spec("exact:arch=dadda,s=1").name());
  EXPECT_EQ(parse_spec("exact").canonical(), parse_spec("exact:w=8,s=0").canonical());
  EXPECT_EQ(parse_spec("exact:s=1").canonical(), "exact:arch=dadda,s=1,w=8");
  EXPECT_NE(parse_spec("exact:s=1").name(), parse_spec("exact:s=0").name());
  EXPECT_NE(parse_spec("exact:w=4").name(), parse_spec("exact:w=8").name());
  EXPECT_NE(parse_spec("exact:arch=array").name(), parse_spec("exact:arch=wallace").name());
}

TEST(Spec, CanonicalSpecRoundTrips) {
  for (const auto& s : gm::default_set()) {
    const auto again = parse_spec(s.canonical());
    EXPECT_EQ(again.name(), s.name());
    EXPECT_EQ(again.canonical(), s.canonical());
  }
}

TEST(Spec, NamesAreVerilogIdentifiersWithoutBusSuffix) {
  const std::regex ident("^[a-z][a-z0-9_]*$");
  const std::regex bus_suffix("_[0-9]+$");
  for (const auto& s : gm::default_set()) {
    EXPECT_TRUE(std::regex_match(s.name(), ident)) << s.name();
    EXPECT_FALSE(std::regex_search(s.name(), bus_suffix)) << s.name();
  }
}

TEST(Spec, RejectsBadInputWithTheValidRange) {
  auto message = [](const std::string& text) {
    try {
      parse_spec(text);
    } catch (const SpecError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("nosuch:w=8").find("unknown family 'nosuch'"), std::string::npos);
  EXPECT_NE(message("exact:q=1").find("unknown key 'q'"), std::string::npos);
  EXPECT_NE(message("exact:w=17").find("2..16"), std::string::npos);
  EXPECT_NE(message("exact:w=1").find("2..16"), std::string::npos);
  EXPECT_NE(message("exact:s=2").find("0 (unsigned) or 1 (signed)"), std::string::npos);
  EXPECT_NE(message("exact:w=x").find("not a plain decimal number"), std::string::npos);
  EXPECT_NE(message("exact:arch=foo").find("dadda|array|wallace|booth4"), std::string::npos);
  EXPECT_NE(message("exact:w").find("KEY=VALUE"), std::string::npos);
  EXPECT_NE(message("exact:w=8,w=8").find("twice"), std::string::npos);
  for (const std::string bad : {"nosuch", "exact:q=1", "exact:w=17"}) {
    const std::string m = message(bad);
    EXPECT_EQ(m.find('\n'), std::string::npos) << "one line: " << m;
  }
}

TEST(Spec, EveryRequiredKeyIsEnforcedAndEveryRangeBoundChecked) {
  for (const auto* f : gm::all_families())
    for (const auto& p : f->params) {
      if (!p.is_number() || !f->in_sweeps) continue;
      const std::string base = f->name + ":w=8";
      if (p.required) {
        // Give every other required key its lower bound; leaving this one out must fail.
        std::string others;
        for (const auto& q : f->params)
          if (q.key != p.key && q.is_number() && q.required) others += "," + q.key + "=" + std::to_string(q.lo.at(8));
        EXPECT_THROW(parse_spec(base + others), SpecError) << f->name << " without " << p.key;
      }
      EXPECT_THROW(parse_spec(base + "," + p.key + "=" + std::to_string(p.hi.at(8) + 1)), SpecError)
          << f->name << " " << p.key << " above range";
      EXPECT_THROW(parse_spec(base + "," + p.key + "=" + std::to_string(p.lo.at(8) - 1)), SpecError)
          << f->name << " " << p.key << " below range";
    }
}

TEST(Registry, EveryModelFamilyHasAGeneratorAndViceVersa) {
  std::set<std::string> models, generators;
  for (const auto* f : gm::all_families()) models.insert(f->name);
  for (const auto& g : gm::rtl::generator_families()) generators.insert(g);
  EXPECT_EQ(models, generators);
  for (const char* required : {"exact", "yosys", "trunc", "bam", "perf", "drum", "mitchell", "udm", "comp42",
                               "roba", "etm"})
    EXPECT_TRUE(models.count(required)) << required;
}

TEST(Registry, DefaultSetCoversEveryFamilySignedAndUnsigned) {
  const auto set = gm::default_set();
  EXPECT_GE(set.size(), 40u);
  std::set<std::string> names;
  std::set<std::pair<std::string, bool>> covered;
  for (const auto& s : set) {
    names.insert(s.name());
    covered.insert({s.family, s.is_signed});
  }
  EXPECT_EQ(names.size(), set.size()) << "default set has repeated designs";
  for (const auto* f : gm::all_families()) {
    if (!f->in_sweeps) continue;
    EXPECT_TRUE(covered.count({f->name, false})) << f->name;
    EXPECT_TRUE(covered.count({f->name, true})) << f->name;
  }
}

TEST(Registry, RandomSpecsAreValidAndVaried) {
  std::mt19937_64 rng(7);
  for (const auto* f : gm::all_families()) {
    if (!f->in_sweeps) continue;
    std::set<std::string> seen;
    for (int i = 0; i < 20; ++i) seen.insert(gm::random_spec(rng, *f, 8, i % 2).canonical());
    if (!f->params.empty()) {
      EXPECT_GT(seen.size(), 2u) << f->name;
    }
  }
}
