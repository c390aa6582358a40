// evo: evolved gate netlists in a library folder. The model (an interpreter of the stored netlist)
// against a*b for exact array multipliers built in the test; the spec's checks (w and s from the
// file, a changed file refused); and, from the CLI, gen, lint, verify, metrics and dnn eval on a
// library the test writes, with a corrupted library and a mutated RTL file caught.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "generator/design_files.hpp"
#include "models/arith.hpp"
#include "models/evo/library.hpp"
#include "models/files.hpp"
#include "models/scratch.hpp"
#include "models/spec.hpp"
#include "tests/support/array_netlist.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/mutant.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using gm::test::expect_one_line_error;
using gm::test::run_cli;

namespace {

// A library folder with the exact 4-bit array multipliers, unsigned and signed, and an approximate
// one (the unsigned multiplier with product bit 0 tied to 0).
struct Library {
  fs::path dir = gm::test::temp_dir("gm-test-evo");
  std::string unsigned_id, signed_id, approx_id;
  Library() {
    const gm::evo::Provenance how{.seed_design = "exact:arch=array,w=4", .bound = "exact", .run_seconds = 0,
                                  .random_seed = 1, .made_by = "tests/models/families/evo_test.cpp"};
    unsigned_id = gm::evo::store_in_library(dir, gm::test::array_multiplier(4, false), how);
    signed_id = gm::evo::store_in_library(dir, gm::test::array_multiplier(4, true), how);
    gm::evo::GateNetlist approx = gm::test::array_multiplier(4, false);
    approx.outputs[0] = gm::evo::GateNetlist::kConst0;
    approx_id = gm::evo::store_in_library(dir, approx, how);
  }
  ~Library() { fs::remove_all(dir); }
  std::string spec(const std::string& id, const std::string& rest = "") const {
    return "evo:lib=" + dir.string() + ",id=" + id + rest;
  }
};

// Replaces the first `and` gate of the stored file by `or`, keeping the file name: content changed.
void flip_stored_gate(const fs::path& file) {
  std::string text = gm::read_file(file);
  const size_t at = text.find(" = and ");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 7, " = or ");
  gm::write_file_atomic(file, text);
}

}  // namespace

TEST(Evo, ModelOfTheStoredArrayMultipliersIsTheProduct) {
  Library lib;
  for (const auto& [id, s] : {std::pair{lib.unsigned_id, false}, std::pair{lib.signed_id, true}}) {
    const gm::Spec spec = gm::parse_spec(lib.spec(id));
    EXPECT_EQ(spec.w, 4);  // from the file's header, not the default 8
    EXPECT_EQ(spec.is_signed, s);
    EXPECT_EQ(spec.name(), std::string("gm_evo_") + (s ? "s" : "u") + "4_h" + id);
    const gm::ModelFn model = spec.def().make_model(spec);
    for (int64_t a = gm::operand_min(4, s); a <= gm::operand_max(4, s); ++a)
      for (int64_t b = gm::operand_min(4, s); b <= gm::operand_max(4, s); ++b) ASSERT_EQ(model(a, b), a * b);
    // The canonical spec states w and s and parses to the same design.
    EXPECT_EQ(gm::parse_spec(spec.canonical()).name(), spec.name());
  }
}

TEST(Evo, LibraryHoldsTheNetlistAndItsMetricsAndProvenance) {
  Library lib;
  EXPECT_TRUE(gm::evo::is_content_id(lib.approx_id));
  const auto j = nlohmann::json::parse(gm::read_file(lib.dir / (lib.approx_id + ".json")));
  EXPECT_EQ(j["id"], lib.approx_id);
  EXPECT_EQ(j["w"], 4);
  EXPECT_DOUBLE_EQ(j["metrics"]["er"].get<double>(), 0.25);  // bit 0 of a*b is a0 & b0: wrong in 1/4 of pairs
  EXPECT_EQ(j["metrics"]["wce"], 1);
  EXPECT_EQ(j["provenance"]["seed_design"], "exact:arch=array,w=4");
  const gm::evo::GateNetlist back = gm::evo::read_library_netlist(lib.dir, lib.approx_id);
  EXPECT_EQ(gm::evo::content_id(back), lib.approx_id);
}

TEST(Evo, ALibraryListsACircuitSeededFromAnotherOfItsCircuitsByItsRatioToTheFirstSeed) {
  const gm::ScratchDir tmp("gm-test-evo-chain");
  const auto store = [&](gm::evo::GateNetlist n, const std::string& seed, double ratio) {
    const gm::evo::Provenance how{.seed_design = seed, .bound = "test", .run_seconds = 0, .random_seed = 1,
                                  .made_by = "tests/models/families/evo_test.cpp"};
    const std::string id = gm::evo::store_in_library(tmp.path(), n, how);
    gm::evo::record_measurement(tmp.path(), id, {{"energy_ratio_to_seed", ratio}});
    return id;
  };
  gm::evo::GateNetlist first = gm::test::array_multiplier(4, false), second = first, other = first;
  second.outputs[0] = gm::evo::GateNetlist::kConst0;
  other.outputs[1] = gm::evo::GateNetlist::kConst0;
  const std::string a = store(first, "exact:arch=array,w=4", 0.5);
  // Seeded from `a`, named by another folder: the id is what links them.
  const std::string b = store(second, "evo:id=" + a + ",lib=/elsewhere,s=0,w=4", 0.8);
  const std::string c = store(other, "exact:arch=array,w=4", 0.45);
  const auto lib = gm::evo::list_library(tmp.path());
  ASSERT_EQ(lib.size(), 3u);
  EXPECT_EQ(lib[0].id, b) << "0.8 of a circuit at 0.5 is 0.4 of the exact seed, the cheapest";
  EXPECT_DOUBLE_EQ(lib[0].energy_ratio, 0.4);
  EXPECT_EQ(lib[0].root_seed, "exact:arch=array,w=4");
  EXPECT_EQ(lib[1].id, c);
  EXPECT_EQ(lib[2].id, a);
  EXPECT_TRUE(lib[0].measured);
}

TEST(Evo, SpecsThatDisagreeWithTheFileOrTheLibraryAreRefused) {
  Library lib;
  const auto refusal = [](const std::string& text) -> std::string {
    try {
      gm::parse_spec(text);
    } catch (const gm::SpecError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(refusal(lib.spec(lib.unsigned_id, ",w=8")).find("w=8 but the design has w=4"), std::string::npos);
  EXPECT_NE(refusal(lib.spec(lib.unsigned_id, ",s=1")).find("s=1 but the design has s=0"), std::string::npos);
  EXPECT_EQ(refusal(lib.spec(lib.signed_id, ",w=4,s=1")), "");
  EXPECT_NE(refusal(lib.spec("123")).find("id=123 is not a circuit id"), std::string::npos);
  EXPECT_NE(refusal(lib.spec("0123456789ab")).find("no circuit 0123456789ab in lib="), std::string::npos);
  EXPECT_NE(refusal("evo:id=" + lib.unsigned_id).find("missing required key 'lib'"), std::string::npos);
  flip_stored_gate(gm::evo::netlist_file(lib.dir, lib.unsigned_id));
  const std::string changed = refusal(lib.spec(lib.unsigned_id));
  EXPECT_NE(changed.find("the file was changed after it was stored"), std::string::npos) << changed;
  EXPECT_EQ(changed.find('\n'), std::string::npos);
}

TEST(EvoCli, GenLintVerifyAndMetricsOnALibraryWrittenByTheTest) {
  Library lib;
  const std::string specs = "'" + lib.spec(lib.unsigned_id) + "' '" + lib.spec(lib.signed_id) + "' '" +
                            lib.spec(lib.approx_id) + "'";
  const auto g = run_cli("gen " + specs + " -o " + (lib.dir / "rtl").string());
  ASSERT_EQ(g.rc, 0) << g.err;
  const std::string name = gm::parse_spec(lib.spec(lib.signed_id)).name();
  const std::string text = gm::read_file(lib.dir / "rtl" / (name + ".v"));
  EXPECT_NE(text.find("module " + name + " ("), std::string::npos);
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(assign g\d+_nand = ~\(a_i\[3\] & b_i\[0\]\);)"))) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(assign g\d+_xor = )"))) << text;

  const auto l = run_cli("lint " + specs);
  EXPECT_EQ(l.rc, 0) << l.out << l.err;

  const auto v = run_cli("verify " + specs);
  EXPECT_EQ(v.rc, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("PASS " + name + "  256 pairs (exhaustive)"), std::string::npos) << v.out;

  const auto m = run_cli("metrics " + specs + " --json");
  ASSERT_EQ(m.rc, 0) << m.err;
  const auto j = nlohmann::json::parse(m.out);
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0]["er"].get<double>(), 0.0);
  EXPECT_EQ(j[1]["er"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(j[2]["er"].get<double>(), 0.25);
}

TEST(EvoCli, ACorruptedLibraryNetlistIsAOneLineErrorInEveryCommand) {
  Library lib;
  flip_stored_gate(gm::evo::netlist_file(lib.dir, lib.signed_id));
  const std::string spec = "'" + lib.spec(lib.signed_id) + "'";
  for (const std::string& cmd : {"gen " + spec + " -o " + (lib.dir / "out").string(), "verify " + spec,
                                "metrics " + spec, "lint " + spec})
    expect_one_line_error(run_cli(cmd), "the file was changed after it was stored");
  EXPECT_FALSE(fs::exists(lib.dir / "out"));
}

TEST(EvoCli, AnRtlFileWithOneGateChangedFailsVerification) {
  Library lib;
  const std::string spec = lib.spec(lib.unsigned_id);
  const gm::Spec s = gm::parse_spec(spec);
  const fs::path dir = lib.dir / "rtl";
  gm::write_designs({s}, dir);
  const auto ok = run_cli("verify '" + spec + "' --rtl-dir " + dir.string());
  EXPECT_EQ(ok.rc, 0) << ok.out;  // the unmodified file passes, so the failure below is the mutant's
  ASSERT_TRUE(gm::test::flip_one_gate(dir / (s.name() + ".v")));
  const auto r = run_cli("verify '" + spec + "' --rtl-dir " + dir.string());
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_NE(r.out.find("FAIL " + s.name()), std::string::npos) << r.out;
}

// An 8-bit signed exact netlist runs the network like exact:s=1.
TEST(EvoCli, EightBitExactNetlistGivesTheExactNetworksAccuracy) {
  const gm::ScratchDir tmp("gm-test-evo8");
  const std::string id = gm::evo::store_in_library(tmp.path(), gm::test::array_multiplier(8, true),
                                                   {.seed_design = "exact:arch=array,s=1", .made_by = "evo_test"});
  const auto e = run_cli("dnn eval --images 200 --json --mul exact:s=1 'evo:lib=" + tmp.path().string() + ",id=" + id + "'");
  ASSERT_EQ(e.rc, 0) << e.err;
  const auto j = nlohmann::json::parse(e.out);
  ASSERT_EQ(j.size(), 2u) << e.out;
  EXPECT_DOUBLE_EQ(j[1]["accuracy"].get<double>(), j[0]["accuracy"].get<double>());
  EXPECT_DOUBLE_EQ(j[1]["agreement_with_exact"].get<double>(), 1.0);
}
