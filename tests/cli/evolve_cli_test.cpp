// greenmac evolve from the command line, on 4-bit signed multipliers (256 pairs: a search of a few
// thousand candidates takes well under a second): one verified circuit per bound, within its bound
// by `greenmac metrics`, a rerun read back from its checkpoints, bad input refused with one line,
// an unreachable bound failing the run, and the real flow's measurement beside the estimate.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "models/evo/library.hpp"
#include "models/files.hpp"
#include "tests/support/array_netlist.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/dist_counts.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;
using gm::test::expect_one_line_error;
using gm::test::run_cli;

namespace {

struct Workspace {
  fs::path dir = gm::test::temp_dir("gm-test-evolve");
  fs::path dist = dir / "ops.dist";
  std::string exact, approx;  // evo specs of the seeds
  Workspace() {
    const gm::evo::Provenance how{.seed_design = "test", .bound = "exact", .run_seconds = 0, .random_seed = 1,
                                  .made_by = "tests/cli/evolve_cli_test.cpp"};
    exact = "evo:lib=" + (dir / "seeds").string() + ",id=" +
            gm::evo::store_in_library(dir / "seeds", gm::test::array_multiplier(4, true), how);
    gm::evo::GateNetlist off = gm::test::array_multiplier(4, true);
    off.outputs[2] = gm::evo::GateNetlist::kConst1;  // +4 on every product that lacks bit 2
    approx = "evo:lib=" + (dir / "seeds").string() + ",id=" + gm::evo::store_in_library(dir / "seeds", off, how);
    // Small operands weigh most, as in a network; a few pairs of weight 0.
    std::string text = "# a b weight\n";
    for (int a = -8; a < 8; ++a)
      for (int b = -8; b < 8; ++b) text += std::to_string(a) + " " + std::to_string(b) + " " + std::to_string((a * a + b * b) % 7 == 3 ? 0 : 100 / (1 + a * a + b * b)) + "\n";
    gm::write_file_atomic(dist, text);
  }
  ~Workspace() { fs::remove_all(dir); }
  std::string evolve(const fs::path& out, const std::string& rest) const {
    return "evolve --w 4 --s 1 --dist " + dist.string() + " --seed-from " + exact + " -o " + out.string() + " " + rest;
  }
};

double weighted_med(const Workspace& ws, const std::string& spec) {
  const auto r = run_cli("metrics --json --dist " + ws.dist.string() + " " + spec);
  EXPECT_EQ(r.rc, 0) << r.err;
  return nlohmann::json::parse(r.out).at(0).at("med").get<double>();
}

// The products a histogram file counts: the sum of its weights.
uint64_t products_in(const fs::path& dist) { return gm::test::dist_total(gm::test::read_dist_counts(dist.string())); }

}  // namespace

TEST(EvolveCli, OneVerifiedCircuitPerBoundWithinItAndARerunReadsTheCheckpoints) {
  Workspace ws;
  const fs::path lib = ws.dir / "lib";
  const std::string cmd = ws.evolve(lib, "--bound wmed=0.5 --bound wmed=3,bias=1 --evaluations 3000 --no-synth --json");
  const auto r = run_cli(cmd);
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.at("circuits").size(), 2u);
  const double limits[] = {0.5, 3};
  std::vector<std::string> ids;
  for (size_t k = 0; k < 2; ++k) {
    const auto& c = j["circuits"][k];
    EXPECT_TRUE(c.at("met").get<bool>());
    EXPECT_EQ(c.at("evaluations").get<uint64_t>(), 3000u);
    EXPECT_FALSE(c.at("resumed").get<bool>());
    const std::string spec = c.at("spec").get<std::string>();
    ids.push_back(c.at("id").get<std::string>());
    EXPECT_TRUE(fs::exists(lib / (ids.back() + ".gmnet")));
    EXPECT_TRUE(fs::exists(lib / (ids.back() + ".json")));
    // The stored circuit is within its bound by metrics.cpp, and (the second) its RTL matches its model exhaustively.
    const double med = weighted_med(ws, spec);
    EXPECT_LE(med, limits[k]);
    EXPECT_GT(med, 0);
    if (k == 1) {  // one Verilator build is enough to show the stored file is a design like any other
      const auto v = run_cli("verify " + spec);
      EXPECT_EQ(v.rc, 0) << v.out << v.err;
    }
    EXPECT_LT(c.at("switching_estimate_ratio").get<double>(), 1.0);
    const auto rec = nlohmann::json::parse(gm::read_file(lib / (ids.back() + ".json")));
    EXPECT_EQ(rec.at("provenance").at("bound").get<std::string>(), k == 0 ? "wmed=0.5" : "wmed=3,bias=1");
    EXPECT_EQ(rec.at("provenance").at("random_seed").get<uint64_t>(), 1u);
  }
  EXPECT_LE(std::abs(j["circuits"][1].at("bias").get<double>()), 1.0);
  EXPECT_TRUE(fs::exists(lib / "evolve.md"));

  // The same command again: both searches are read back from their checkpoints, nothing is searched.
  const auto again = run_cli(cmd);
  ASSERT_EQ(again.rc, 0) << again.err;
  const auto j2 = nlohmann::json::parse(again.out);
  for (size_t k = 0; k < 2; ++k) {
    EXPECT_TRUE(j2["circuits"][k].at("resumed").get<bool>());
    EXPECT_EQ(j2["circuits"][k].at("id").get<std::string>(), ids[k]);
  }
}

TEST(EvolveCli, UnitDelayCountsGlitchesAndIsASearchOfItsOwn) {
  Workspace ws;
  const fs::path lib = ws.dir / "lib";
  const std::string cmd = ws.evolve(lib, "--bound wmed=3 --evaluations 500 --no-synth --json");
  const auto zero = run_cli(cmd);
  ASSERT_EQ(zero.rc, 0) << zero.err;
  const auto unit = run_cli(cmd + " --activity-model unit");
  ASSERT_EQ(unit.rc, 0) << unit.err;
  const auto jz = nlohmann::json::parse(zero.out), ju = nlohmann::json::parse(unit.out);
  EXPECT_EQ(jz.at("switching_delay").get<std::string>(), "zero");
  EXPECT_EQ(ju.at("switching_delay").get<std::string>(), "unit");
  // The seed is an array multiplier: its carries ripple, so the unit delay sees glitches.
  EXPECT_GT(ju.at("seed").at("switching_estimate").get<double>(), jz.at("seed").at("switching_estimate").get<double>());
  // Another cost is another search: not read back from the zero-delay checkpoint.
  EXPECT_FALSE(ju.at("circuits").at(0).at("resumed").get<bool>());
  EXPECT_NE(gm::read_file(lib / "evolve.md").find("unit delay, glitches counted"), std::string::npos);
}

TEST(EvolveCli, BadInputIsOneLineAndLeavesNoLibrary) {
  Workspace ws;
  const fs::path lib = ws.dir / "never";
  for (const std::string rest : {"--bound wmed", "--bound foo=1", "--bound wmed=-2", "--bound wmed=1 --seconds 0",
                                  "--bound wmed=1 --lib /nonexistent.lib", "--bound wmed=1 --activity-model timed"}) {
    const auto r = run_cli(ws.evolve(lib, rest + " --no-synth"));
    expect_one_line_error(r, "");
    EXPECT_EQ(r.rc, 2) << rest;
  }
  auto r = run_cli("evolve --w 4 --s 1 --dist " + (ws.dir / "missing.dist").string() + " --seed-from " + ws.exact +
                   " --bound wmed=1 --no-synth -o " + lib.string());
  expect_one_line_error(r, "missing.dist");
  r = run_cli("evolve --w 5 --s 1 --dist " + ws.dist.string() + " --seed-from " + ws.exact +
              " --bound wmed=1 --no-synth -o " + lib.string());
  expect_one_line_error(r, "same width");
  EXPECT_FALSE(fs::exists(lib));
}

TEST(EvolveCli, ABoundTheSearchCannotReachFailsTheRun) {
  Workspace ws;
  const fs::path lib = ws.dir / "lib";
  // From a seed that is wrong by 4 on a quarter of the pairs, exactness in 400 candidates is out of reach.
  const auto r = run_cli("evolve --w 4 --s 1 --dist " + ws.dist.string() + " --seed-from " + ws.approx +
                         " --bound wmed=0 --evaluations 400 --no-synth -o " + lib.string());
  EXPECT_EQ(r.rc, 1) << r.err;
  EXPECT_NE(r.err.find("check failed: evolve: no circuit within wmed=0"), std::string::npos) << r.err;
  size_t stored = 0;
  for (const auto& e : fs::directory_iterator(lib)) stored += e.path().extension() == ".gmnet";
  EXPECT_EQ(stored, 0u);
}

TEST(EvolveCli, TheRealFlowMeasuresTheStoredCircuitsBesideTheEstimate) {
  if (!gm::test::synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library is missing";
  Workspace ws;
  const fs::path lib = ws.dir / "lib";
  const auto r = run_cli(ws.evolve(lib, "--bound wmed=4 --evaluations 4000 --json"));
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j.at("seed").at("measured_pj").get<double>(), 0);
  const auto& c = j.at("circuits").at(0);
  EXPECT_TRUE(c.at("netlist_matches_model").get<bool>());
  EXPECT_GT(c.at("measured_pj").get<double>(), 0);
  EXPECT_LT(c.at("measured_energy_ratio").get<double>(), 0.9);
  EXPECT_LT(c.at("measured_area_ratio").get<double>(), 0.9);
}

TEST(EvolveCli, ModelOperandsCountEveryProductAndTheDefaultSeedIsTheImportedExactMultiplier) {
  if (!gm::test::synth_tools_present() || !gm::test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const fs::path lib = gm::test::temp_dir("gm-test-evolve-model");
  const auto r = run_cli("evolve --model mlp --images 10 --bound wmed=0.1%,bias=4 --evaluations 40 --no-synth --json -o " +
                         lib.string());
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("seed_design").get<std::string>(), "exact:arch=dadda,s=1,w=8");
  EXPECT_GT(j.at("seed").at("gates").get<int>(), 100);
  EXPECT_NE(j.at("dist").get<std::string>().find("10 training images"), std::string::npos) << j["dist"];
  // Every product of 10 images: the MLP is 784x128 + 128x64 + 64x10 = 109,184 MACs per image.
  EXPECT_EQ(products_in(lib / "operands.dist"), 109184u * 10);
  EXPECT_TRUE(fs::exists(lib / "operands.stream"));
  // One layer's operands only: fc2 is 128 x 64 = 8,192 MACs per image.
  const auto fc2 = run_cli("evolve --model mlp --layer fc2 --images 10 --bound wmed=0.1%,bias=4 --evaluations 8 "
                           "--no-synth -o " + (lib / "fc2").string());
  ASSERT_EQ(fc2.rc, 0) << fc2.err;
  EXPECT_EQ(products_in(lib / "fc2" / "operands.dist"), 8192u * 10);
  expect_one_line_error(run_cli("evolve --model mlp --layer conv9 --bound wmed=1 --no-synth -o " + (lib / "y").string()),
                        "fc1, fc2, fc3");
  expect_one_line_error(run_cli("evolve --model mlp --w 6 --bound wmed=1 --no-synth -o " + (lib / "x").string()), "--w 8");
  fs::remove_all(lib);
}

// --model with --dist-layer LAYER=model: the layer's products from the same inference, kept in
// LIBDIR/operands_LAYER.dist, and the circuit's figures under it recorded.
TEST(EvolveCli, ModelDistLayerTakesTheLayersProductsFromTheSameInference) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST missing";
  const fs::path lib = gm::test::temp_dir("gm-test-evolve-model-layer");
  const auto r = run_cli("evolve --model mlp --images 10 --dist-layer fc3=model --bound wmed=0.1%,bias=4 "
                         "--evaluations 40 --no-synth --json -o " + lib.string());
  ASSERT_EQ(r.rc, 0) << r.err;
  // fc3 of the MLP is 64 x 10 = 640 MACs per image (784x128, 128x64, 64x10).
  EXPECT_EQ(products_in(lib / "operands_fc3.dist"), 640u * 10);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NE(j.at("dist_layers").at("fc3").get<std::string>().find("operands_fc3.dist"), std::string::npos);
  const auto& c = j.at("circuits").at(0);
  ASSERT_TRUE(c.at("met").get<bool>());
  const auto m = run_cli("metrics --json --dist " + (lib / "operands_fc3.dist").string() + " " + c.at("spec").get<std::string>());
  ASSERT_EQ(m.rc, 0) << m.err;
  EXPECT_LE(nlohmann::json::parse(m.out).at(0).at("med").get<double>(), 0.001 * 65536);
  // `model` needs --model.
  Workspace ws;
  expect_one_line_error(run_cli(ws.evolve(lib / "x", "--bound wmed=1 --no-synth --dist-layer fc3=model")), "--model");
  fs::remove_all(lib);
}

namespace {

// A layer whose operands are the large negative activations the whole mix (peaked at small
// operands) rarely gives: the kind of layer a bound on the total alone does not protect.
fs::path write_layer_dist(const Workspace& ws, const std::string& name) {
  std::string text = "# a layer of large negative activations\n";
  for (int a = -8; a < -4; ++a)
    for (int b = -8; b < 8; ++b) text += std::to_string(a) + " " + std::to_string(b) + " 1\n";
  const fs::path file = ws.dir / name;
  gm::write_file_atomic(file, text);
  return file;
}

}  // namespace

TEST(EvolveCli, DistLayerBoundsHoldOnEveryLayerByMetricsAndAChangedLayerFileSearchesAgain) {
  Workspace ws;
  const fs::path lib = ws.dir / "lib", layer = write_layer_dist(ws, "big.dist");
  const std::string cmd = ws.evolve(lib, "--bound wmed=1 --bound wmed=3,bias=2 --evaluations 2000 --no-synth --json "
                                         "--dist-layer big=" + layer.string());
  const auto r = run_cli(cmd);
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("dist_layers").at("big").get<std::string>(), layer.string());
  const double limits[] = {1, 3};
  for (size_t k = 0; k < 2; ++k) {
    const auto& c = j.at("circuits").at(k);
    ASSERT_TRUE(c.at("met").get<bool>()) << c.dump();
    const std::string spec = c.at("spec").get<std::string>();
    // Recomputed by `greenmac metrics` under each histogram: within the bound on both.
    for (const fs::path& dist : {ws.dist, layer}) {
      const auto m = run_cli("metrics --json --dist " + dist.string() + " " + spec);
      ASSERT_EQ(m.rc, 0) << m.err;
      const auto mj = nlohmann::json::parse(m.out).at(0);
      EXPECT_LE(mj.at("med").get<double>(), limits[k]) << spec << " on " << dist;
      if (k == 1) {
        EXPECT_LE(std::abs(mj.at("bias").get<double>()), 2.0) << spec << " on " << dist;
      }
      if (dist == layer) {  // the search's own figures for the layer, as evolve.json and ID.json record them
        EXPECT_NEAR(c.at("layers").at("big").at("wmed").get<double>(), mj.at("med").get<double>(), 1e-9);
      }
    }
    const auto rec = nlohmann::json::parse(gm::read_file(lib / (c.at("id").get<std::string>() + ".json")));
    EXPECT_TRUE(rec.dump().find("\"big\"") != std::string::npos) << rec.dump();
  }
  EXPECT_NE(gm::read_file(lib / "evolve.md").find("| big |"), std::string::npos);

  // Again: read back from the checkpoints. With another layer file: a new search, not the stale one.
  const auto again = run_cli(cmd);
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_TRUE(nlohmann::json::parse(again.out)["circuits"][0].at("resumed").get<bool>());
  gm::write_file_atomic(layer, gm::read_file(layer) + "0 0 1\n");
  const auto changed = run_cli(cmd);
  ASSERT_EQ(changed.rc, 0) << changed.err;
  EXPECT_FALSE(nlohmann::json::parse(changed.out)["circuits"][0].at("resumed").get<bool>());
}

TEST(EvolveCli, BadDistLayerIsOneLineAndLeavesNoLibrary) {
  Workspace ws;
  const fs::path lib = ws.dir / "never", layer = write_layer_dist(ws, "big.dist");
  gm::write_file_atomic(ws.dir / "wide.dist", "# an 8-bit histogram\n100 -100 5\n1 1 1\n");
  const std::pair<std::string, std::string> cases[] = {
      {"--dist-layer big", "LAYER=FILE"},
      {"--dist-layer =" + layer.string(), "LAYER=FILE"},
      {"--dist-layer big=", "LAYER=FILE"},
      {"--dist-layer big=" + (ws.dir / "missing.dist").string(), "missing.dist"},
      {"--dist-layer big=" + layer.string() + " --dist-layer big=" + layer.string(), "given twice"},
      {"--dist-layer wide=" + (ws.dir / "wide.dist").string(), "wide.dist"},
  };
  for (const auto& [rest, fragment] : cases) {
    const auto r = run_cli(ws.evolve(lib, "--bound wmed=1 --evaluations 10 --no-synth " + rest));
    expect_one_line_error(r, fragment);
    EXPECT_EQ(r.rc, 2) << rest;
  }
  // With --model the layer must be one of the model's (checked before any inference).
  const auto r = run_cli("evolve --model mlp --dist-layer conv1=" + layer.string() +
                         " --bound wmed=1 --no-synth -o " + lib.string());
  expect_one_line_error(r, "fc1, fc2, fc3");
  EXPECT_EQ(r.rc, 2);
  EXPECT_FALSE(fs::exists(lib));
}
