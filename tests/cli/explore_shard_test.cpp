// greenmac explore --shard I/N and greenmac merge (cli/explore/search.hpp, run_explore_share): a small
// search with the structure levers (the MLP, a 1x1 array, a few hundred images), run whole and as two
// shards merged into the same folder, chooses the same point and writes the same front and best
// point; a finished shard is skipped; a missing one is one line and exit 2.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "models/files.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;
using gm::test::expect_one_line_error;
using gm::test::run_cli;
using nlohmann::json;

namespace {

bool trainer_built() { return fs::is_regular_file(fs::path(GM_BINARY).parent_path() / "greenmac-train"); }

// One structure lever (prune: the baseline and the quick grid's rates, split over two shards) keeps
// the three searches to a few trainings each. --seconds far beyond the run: a search stopped by its clock on a loaded machine would choose from
// fewer points than the merge, which reads the shards' points at no cost.
const char* kSearch =
    "explore --model mlp --array 1x1 --val-images 600 --test-images 600 --sim-images 1 --rtl-images 20 "
    "--train-images 3000 --quick --levers prune --budget-pp 3 --seconds 100000 ";

json read_json(const fs::path& f) { return json::parse(gm::read_file(f)); }

// The outputs with the clock fields set to 0: the search's time, each point's training and
// measurement time. Every other field must be equal.
json without_timing(json j) {
  if (j.contains("seconds")) j["seconds"] = 0;
  if (j.contains("points") && j["points"].is_array())
    for (auto& p : j["points"]) {
      p["train_seconds"] = 0;
      if (p.contains("energy")) p["energy"]["seconds"] = 0;
    }
  return j;
}

}  // namespace

TEST(ExploreShard, TwoShardsMergedChooseAndReportAsTheWholeSearch) {
  if (!gm::test::synth_tools_present() || !gm::test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  if (!trainer_built()) GTEST_SKIP() << "greenmac-train not built (libtorch missing)";
  const fs::path dir = gm::test::temp_dir("gm-explore-shard");
  const fs::path out = dir / "x";  // both runs write here: the points name their model files by path
  const auto whole = run_cli(std::string(kSearch) + "--json -o " + out.string());
  ASSERT_EQ(whole.rc, 0) << whole.err;
  const json want_best = read_json(out / "best.json"), want_front = read_json(out / "front.json");
  fs::remove_all(out);

  for (const char* s : {"0/2", "1/2"}) {
    const auto r = run_cli(std::string(kSearch) + "--shard " + s + " -o " + out.string());
    ASSERT_EQ(r.rc, 0) << r.err;
  }
  EXPECT_FALSE(fs::exists(out / "best.json")) << "the report is the merge's";
  const auto merged = run_cli("merge " + out.string());
  ASSERT_EQ(merged.rc, 0) << merged.err;
  EXPECT_EQ(without_timing(read_json(out / "best.json")), without_timing(want_best));
  EXPECT_EQ(without_timing(read_json(out / "front.json")), without_timing(want_front));
  // The merge evaluated no structure point itself: it read the shards' back.
  EXPECT_EQ(merged.err.find("fine-tuned 1 epochs): validation"), std::string::npos) << merged.err;
  EXPECT_NE(merged.err.find("resumed"), std::string::npos) << merged.err;

  // A finished shard is skipped; merge without one of them is one line and exit 2.
  const auto again = run_cli(std::string(kSearch) + "--shard 1/2 -o " + out.string());
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_NE(again.err.find("skipped"), std::string::npos) << again.err;
  const fs::path half = dir / "half";
  fs::create_directories(half / "shards");
  fs::copy_file(out / "shards" / "explore-1-of-2.json", half / "shards" / "explore-1-of-2.json");
  expect_one_line_error(run_cli("merge " + half.string()), "missing");
  EXPECT_FALSE(fs::exists(half / "best.json"));
  fs::remove_all(dir);
}
