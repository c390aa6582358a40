// greenmac evolve --shard I/N and greenmac merge (cli/evolve/evolve_shard.hpp), on 4-bit signed
// multipliers with --evaluations (reproducible) and --no-synth (fast): one shard merged writes the
// unsharded run's files; N shards merged keep, per bound, the cheapest circuit of N independent runs
// from seeds S..S+N-1, worked out here from those runs' own reports; a finished shard is skipped; a
// missing shard is one line and exit 2.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "models/evo/library.hpp"
#include "models/files.hpp"
#include "tests/support/array_netlist.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using gm::test::expect_one_line_error;
using gm::test::run_cli;
using nlohmann::json;

namespace {

// The search's area weight (docs/evolve.md, "Fitness": cost = switching + 0.02 x area).
constexpr double kAreaWeight = 0.02;

struct ShardWorkspace {
  fs::path dir = gm::test::temp_dir("gm-test-evolve-shard");
  fs::path dist = dir / "ops.dist", stream = dir / "ops.stream";
  std::string seed;  // evo spec of the exact 4-bit seed
  ShardWorkspace() {
    const gm::evo::Provenance how{.seed_design = "test", .bound = "exact", .run_seconds = 0, .random_seed = 1,
                                  .made_by = "tests/cli/evolve_shard_test.cpp"};
    seed = "evo:lib=" + (dir / "seeds").string() + ",id=" +
           gm::evo::store_in_library(dir / "seeds", gm::test::array_multiplier(4, true), how);
    std::string text = "# a b weight\n";
    for (int a = -8; a < 8; ++a)
      for (int b = -8; b < 8; ++b)
        text += std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(100 / (1 + a * a + b * b)) + "\n";
    gm::write_file_atomic(dist, text);
    // A fixed stream, so that a run with --seed S + I switches on the same pairs as shard I of a run
    // with --seed S (without --stream the pairs are drawn from --seed).
    std::string pairs;
    uint32_t x = 12345;
    for (int k = 0; k < 500; ++k) {
      x = x * 1103515245u + 12345u;
      const int a = static_cast<int>((x >> 8) % 16) - 8, b = static_cast<int>((x >> 16) % 16) - 8;
      pairs += std::to_string(a) + " " + std::to_string(b) + " 1\n";
    }
    gm::write_file_atomic(stream, pairs);
  }
  ~ShardWorkspace() { fs::remove_all(dir); }
  std::string evolve(const fs::path& out, const std::string& rest) const {
    return "evolve --w 4 --s 1 --dist " + dist.string() + " --stream " + stream.string() + " --seed-from " + seed +
           " --no-synth -o " + out.string() + " " + rest;
  }
};

// The run's report with the fields that are clocks, not results, set to 0: the search time of each
// circuit and the search speed. Everything else must be equal.
json without_timing(json j) {
  j["evaluations_per_second"] = 0;
  for (auto& c : j["circuits"]) c["seconds"] = 0;
  return j;
}

// id -> the text of LIB/ID.gmnet, for every circuit in the folder.
std::map<std::string, std::string> stored_netlists(const fs::path& lib) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(lib))
    if (e.path().extension() == ".gmnet") out[e.path().stem().string()] = gm::read_file(e.path());
  return out;
}

json read_json(const fs::path& file) { return json::parse(gm::read_file(file)); }

}  // namespace

TEST(EvolveShard, OneShardMergedWritesTheUnshardedRunsReportAndLibrary) {
  ShardWorkspace ws;
  const fs::path lib = ws.dir / "lib";
  const std::string args = "--bound wmed=0.5 --bound wmed=3,bias=1 --evaluations 1500 --seed 3";
  const auto plain = run_cli(ws.evolve(lib, args));
  ASSERT_EQ(plain.rc, 0) << plain.err;
  const json want = read_json(lib / "evolve.json");
  const auto want_lib = stored_netlists(lib);
  ASSERT_EQ(want_lib.size(), 2u);

  // The same run as one shard, into the same folder (the specs name it), emptied first.
  fs::remove_all(lib);
  const auto shard = run_cli(ws.evolve(lib, args + " --shard 0/1"));
  ASSERT_EQ(shard.rc, 0) << shard.err;
  EXPECT_TRUE(fs::exists(lib / "shards" / "evolve-0-of-1.json"));
  EXPECT_FALSE(fs::exists(lib / "evolve.json"));  // the report is the merge's
  EXPECT_TRUE(stored_netlists(lib).empty());      // so is the library

  const auto merged = run_cli("merge " + lib.string());
  ASSERT_EQ(merged.rc, 0) << merged.err;
  EXPECT_EQ(without_timing(read_json(lib / "evolve.json")), without_timing(want));
  EXPECT_EQ(stored_netlists(lib), want_lib);
  EXPECT_NE(merged.out.find("# greenmac evolve"), std::string::npos) << merged.out;
  for (const auto& [id, text] : want_lib)
    EXPECT_EQ(read_json(lib / (id + ".json")).at("provenance").at("random_seed").get<uint64_t>(), 3u);
}

TEST(EvolveShard, ShardsMergedKeepPerBoundTheCheapestCircuitOfTheIndependentRuns) {
  ShardWorkspace ws;
  const std::string args = "--bound wmed=0.3 --bound wmed=1.5 --bound wmed=4,bias=2 --evaluations 300";
  const uint64_t first_seed = 5, shards = 3;
  // The reference: one ordinary run per seed S + I.
  std::vector<json> runs;
  for (uint64_t i = 0; i < shards; ++i) {
    const auto r = run_cli(ws.evolve(ws.dir / ("run" + std::to_string(i)),
                                     args + " --json --seed " + std::to_string(first_seed + i)));
    ASSERT_EQ(r.rc, 0) << r.err;
    runs.push_back(json::parse(r.out));
  }
  const fs::path lib = ws.dir / "sharded";
  for (uint64_t i = 0; i < shards; ++i) {
    const auto r = run_cli(ws.evolve(lib, args + " --seed " + std::to_string(first_seed) + " --shard " +
                                              std::to_string(i) + "/" + std::to_string(shards)));
    ASSERT_EQ(r.rc, 0) << r.err;
  }
  const auto merged = run_cli("merge " + lib.string());
  ASSERT_EQ(merged.rc, 0) << merged.err;
  const json got = read_json(lib / "evolve.json");
  EXPECT_EQ(got.at("shards").get<size_t>(), shards);
  ASSERT_EQ(got.at("circuits").size(), 3u);

  std::set<std::string> want_ids;
  bool a_later_shard_won = false;
  for (size_t b = 0; b < 3; ++b) {
    // The cheapest met circuit of the three runs, by the cost the search minimises, from each run's
    // ratios to the (common) seed's estimates.
    size_t best = shards;
    double best_cost = 0;
    for (size_t i = 0; i < shards; ++i) {
      const json& seed = runs[i].at("seed");  // the seed design's estimates
      const json& c = runs[i].at("circuits").at(b);
      if (!c.at("met").get<bool>()) continue;
      const double energy =
          c.at("switching_estimate_ratio").get<double>() * seed.at("switching_estimate").get<double>();
      const double area = c.at("area_estimate_ratio").get<double>() * seed.at("area_um2_estimate").get<double>();
      const double cost = energy + kAreaWeight * area;
      if (best == shards || cost < best_cost * (1 - 1e-12)) best = i, best_cost = cost;
    }
    ASSERT_LT(best, shards) << "no run met bound " << b;
    const json& want = runs[best].at("circuits").at(b);
    const json& c = got.at("circuits").at(b);
    EXPECT_EQ(c.at("id"), want.at("id")) << "bound " << b;
    EXPECT_EQ(c.at("evaluations"), want.at("evaluations"));
    EXPECT_EQ(c.at("random_seed").get<uint64_t>(), first_seed + best);
    EXPECT_EQ(read_json(lib / (want.at("id").get<std::string>() + ".json")).at("provenance").at("random_seed"),
              first_seed + best);
    want_ids.insert(want.at("id").get<std::string>());
    a_later_shard_won |= best > 0;
  }
  // The seeds were chosen so that the runs disagree; were the first shard's circuits always the
  // cheapest, this test could not tell the merge from copying shard 0.
  EXPECT_TRUE(a_later_shard_won);
  // The library holds the chosen circuits only, not every shard's.
  std::set<std::string> stored;
  for (const auto& [id, text] : stored_netlists(lib)) stored.insert(id);
  EXPECT_EQ(stored, want_ids);
}

TEST(EvolveShard, AFinishedShardIsSkippedAndOneOfOtherArgumentsRefused) {
  ShardWorkspace ws;
  const fs::path lib = ws.dir / "lib";
  const std::string cmd = ws.evolve(lib, "--bound wmed=1 --evaluations 400 --shard 0/2");
  ASSERT_EQ(run_cli(cmd).rc, 0);
  const std::string file = gm::read_file(lib / "shards" / "evolve-0-of-2.json");
  // A search writes its checkpoint into .evolve: without them, a rerun that searched would make them again.
  fs::remove_all(lib / ".evolve");
  const auto again = run_cli(cmd);
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_NE(again.err.find("skipped"), std::string::npos) << again.err;
  EXPECT_FALSE(fs::exists(lib / ".evolve"));
  EXPECT_EQ(gm::read_file(lib / "shards" / "evolve-0-of-2.json"), file);

  expect_one_line_error(run_cli(ws.evolve(lib, "--bound wmed=2 --evaluations 400 --shard 0/2")), "other arguments");
}

TEST(EvolveShard, AMissingShardIsOneLineAndTheMergeWritesNothing) {
  ShardWorkspace ws;
  const fs::path lib = ws.dir / "lib";
  ASSERT_EQ(run_cli(ws.evolve(lib, "--bound wmed=1 --evaluations 200 --shard 1/2")).rc, 0);
  expect_one_line_error(run_cli("merge " + lib.string()), "missing");
  EXPECT_FALSE(fs::exists(lib / "evolve.json"));
  EXPECT_TRUE(stored_netlists(lib).empty());

  const fs::path never = ws.dir / "never";
  expect_one_line_error(run_cli(ws.evolve(never, "--bound wmed=1 --evaluations 200 --shard 2/2")), "--shard '2/2'");
  EXPECT_FALSE(fs::exists(never));
}

// --dist-layer through a shard: one shard merged writes the unsharded run's report (its layer
// figures included) and library; the same shard with another layer file's content is refused.
TEST(EvolveShard, ALayerHistogramIsPartOfTheShardAndItsContentOfItsArguments) {
  ShardWorkspace ws;
  const fs::path lib = ws.dir / "lib", layer = ws.dir / "big.dist";
  std::string text;
  for (int a = -8; a < -4; ++a)
    for (int b = -8; b < 8; ++b) text += std::to_string(a) + " " + std::to_string(b) + " 1\n";
  gm::write_file_atomic(layer, text);
  const std::string args = "--bound wmed=1 --evaluations 800 --seed 2 --dist-layer big=" + layer.string();
  const auto plain = run_cli(ws.evolve(lib, args));
  ASSERT_EQ(plain.rc, 0) << plain.err;
  const json want = read_json(lib / "evolve.json");
  ASSERT_TRUE(want.at("circuits").at(0).contains("layers")) << want.dump();
  const auto want_lib = stored_netlists(lib);

  fs::remove_all(lib);
  ASSERT_EQ(run_cli(ws.evolve(lib, args + " --shard 0/1")).rc, 0);
  const auto merged = run_cli("merge " + lib.string());
  ASSERT_EQ(merged.rc, 0) << merged.err;
  EXPECT_EQ(without_timing(read_json(lib / "evolve.json")), without_timing(want));
  EXPECT_EQ(stored_netlists(lib), want_lib);

  gm::write_file_atomic(layer, text + "0 0 1\n");  // same name, other content
  expect_one_line_error(run_cli(ws.evolve(lib, args + " --shard 0/1")), "other arguments");
}

// The post-store check covers every layer's histogram: a shard file that claims a circuit met its
// bound, when it is inside on the whole mix but outside on a layer, makes the merge fail (exit 1)
// on that layer. The circuit adds 4 to every product lacking bit 2: about 2.5 off on the peaked
// mix, 4 off on a layer of only such products, against a bound of 3.5.
TEST(EvolveShard, AStoredCircuitOutsideItsBoundOnALayerFailsTheCheck) {
  ShardWorkspace ws;
  const fs::path lib = ws.dir / "lib", layer = ws.dir / "clear.dist";
  std::string text;
  for (int a = -8; a < 8; ++a)
    for (int b = -8; b < 8; ++b)
      if (((a * b) & 4) == 0) text += std::to_string(a) + " " + std::to_string(b) + " 1\n";
  gm::write_file_atomic(layer, text);
  ASSERT_EQ(run_cli(ws.evolve(lib, "--bound wmed=3.5 --evaluations 40 --dist-layer clear=" + layer.string() +
                                       " --shard 0/1")).rc, 0);
  gm::evo::GateNetlist off = gm::test::array_multiplier(4, true);
  off.outputs[2] = gm::evo::GateNetlist::kConst1;
  const fs::path shard = lib / "shards" / "evolve-0-of-1.json";
  json j = read_json(shard);
  json& c = j.at("result").at("circuits").at(0);
  c["netlist"] = gm::evo::canonical_text(off);
  c["fitness"]["violation"] = 0;  // the claim the check must not trust
  gm::write_file_atomic(shard, j.dump());
  const auto merged = run_cli("merge " + lib.string());
  EXPECT_EQ(merged.rc, 1) << merged.err;
  EXPECT_NE(merged.err.find("exceeds it on layer clear"), std::string::npos) << merged.err;
}
