// --shard I/N for characterize and synth, and `greenmac merge` of their shards (docs/cluster.md):
// a merged sweep writes the files an unsharded run writes, a finished shard is skipped when run
// again, and a missing shard, a shard of other arguments or a shard out of range is an error.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "models/files.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;
using gm::test::run_cli;

namespace {

// Three cheap 4-bit designs: with their baselines (exact and yosys, unsigned and signed) seven rows,
// so three shards hold 3, 2 and 2 rows, baselines among them.
const std::string kDesigns = "'trunc:w=4,t=3' 'drum:w=4,k=2' 'trunc:w=4,t=2,s=1' ";

void expect_same_file(const fs::path& a, const fs::path& b) {
  ASSERT_TRUE(fs::exists(a)) << a;
  ASSERT_TRUE(fs::exists(b)) << b;
  EXPECT_EQ(gm::read_file(a), gm::read_file(b)) << a << " and " << b << " differ";
}

// Every file under `a` (the shards' directory aside) is in `b` with the same bytes; returns how many.
size_t expect_same_tree(const fs::path& a, const fs::path& b) {
  size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(a)) {
    if (!e.is_regular_file()) continue;
    const fs::path rel = fs::relative(e.path(), a);
    if (*rel.begin() == "shards") continue;
    // index.html names its folder and lists the shards' files: its content is checked in
    // tests/cli/index_html_test.cpp; here it must only be there.
    if (rel == "index.html") {
      EXPECT_TRUE(fs::exists(b / rel)) << b / rel;
      continue;
    }
    expect_same_file(e.path(), b / rel);
    ++files;
  }
  return files;
}

}  // namespace

TEST(ShardCharacterize, MergedShardsWriteTheUnshardedReportAndAFinishedShardIsSkipped) {
  const fs::path dir = gm::test::temp_dir("gm-test-shard-char");
  const std::string a = (dir / "a").string(), b = (dir / "b").string();
  // The reports name whether each synthesis came from the cache (`cached`), which is the one thing
  // that legitimately differs between two runs. The first run fills the cache, so that the compared
  // unsharded run and the shards all read it and no field needs normalizing.
  ASSERT_EQ(run_cli("characterize " + kDesigns + "-o " + (dir / "warm").string()).rc, 0);
  const auto whole = run_cli("characterize " + kDesigns + "-o " + a);
  ASSERT_EQ(whole.rc, 0) << whole.err;
  for (int i = 0; i < 3; ++i) {
    const auto r = run_cli("characterize " + kDesigns + "--shard " + std::to_string(i) + "/3 -o " + b);
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_NE(r.out.find("greenmac merge " + b), std::string::npos) << r.out;  // what to run next
    EXPECT_EQ(gm::test::count_lines(r.out), 1) << r.out;
  }
  EXPECT_FALSE(fs::exists(fs::path(b) / "report.md"));  // a shard writes its shard file only
  const auto m = run_cli("merge " + b);
  ASSERT_EQ(m.rc, 0) << m.err;
  for (const char* f : {"report.json", "results.csv", "report.md"}) expect_same_file(fs::path(a) / f, fs::path(b) / f);
  const auto j = nlohmann::json::parse(gm::read_file(fs::path(b) / "report.json"));
  EXPECT_EQ(j["designs"].size(), 7u);  // the asked three first, then the four baselines
  // The plots too (gnuplot's data, scripts, PNG and SVG): every file of the unsharded run.
  EXPECT_GE(expect_same_tree(a, b), 15u);
  for (const char* f : {"power_mred.png", "area_mred.svg", "energy_nmed.png"})
    EXPECT_GT(fs::file_size(fs::path(b) / f), 100u) << f;

  // A finished shard run again is skipped: its file is left as it is.
  const fs::path file = fs::path(b) / "shards" / "characterize-1-of-3.json";
  const std::string before = gm::read_file(file);
  const auto mtime = fs::last_write_time(file);
  const auto again = run_cli("characterize " + kDesigns + "--shard 1/3 -o " + b);
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_NE(again.out.find("skipped"), std::string::npos) << again.out;
  EXPECT_EQ(gm::read_file(file), before);
  EXPECT_EQ(fs::last_write_time(file), mtime);
  fs::remove_all(dir);
}

TEST(ShardCharacterize, MissingShardOtherArgumentsAndBadShardsAreErrors) {
  const fs::path dir = gm::test::temp_dir("gm-test-shard-char-bad");
  const std::string out = (dir / "out").string();
  // Shard 0 of 2 only: merge names the missing shard 1.
  ASSERT_EQ(run_cli("characterize 'trunc:w=4,t=3' --shard 0/2 -o " + out).rc, 0);
  auto r = run_cli("merge " + out);
  gm::test::expect_one_line_error(r, "(1)");
  EXPECT_FALSE(fs::exists(dir / "out" / "report.md"));
  // The same shard with another design list in the same DIR: not a resume.
  r = run_cli("characterize 'trunc:w=4,t=2' --shard 0/2 -o " + out);
  gm::test::expect_one_line_error(r, "other arguments");
  r = run_cli("characterize 'trunc:w=4,t=3' --shard 4/4 -o " + out);
  gm::test::expect_one_line_error(r, "--shard '4/4'");
  r = run_cli("characterize --array 2x2 --mul 'exact:s=1' --shard 0/2 -o " + out);
  gm::test::expect_one_line_error(r, "--shard does not apply");
  r = run_cli("synth 'trunc:w=4,t=3' --shard 0/2");
  gm::test::expect_one_line_error(r, "--shard needs -o");
  fs::remove_all(dir);
}

// A shard records its input files by content: the same command after the --activity file was
// edited is refused, not taken as a resume of the old shard.
TEST(ShardSynth, AnEditedActivityFileIsOtherArguments) {
  const fs::path dir = gm::test::temp_dir("gm-test-shard-synth-edit");
  const std::string out = (dir / "out").string(), pairs = (dir / "pairs.txt").string();
  gm::write_file_atomic(pairs, "1 2 1\n3 5 1\n7 7 2\n");
  const std::string command = "synth 'trunc:w=4,t=3' 'trunc:w=4,t=2' --cycles 200 --activity " + pairs + " --shard 0/2 -o " + out;
  auto r = run_cli(command);
  ASSERT_EQ(r.rc, 0) << r.err;
  r = run_cli(command);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("skipped"), std::string::npos) << "unchanged: a resume";
  gm::write_file_atomic(pairs, "1 2 1\n3 5 1\n7 7 2\n15 15 1\n");
  gm::test::expect_one_line_error(run_cli(command), "other arguments");
  fs::remove_all(dir);
}

TEST(ShardSynth, MergedShardsWriteTheUnshardedFiles) {
  const fs::path dir = gm::test::temp_dir("gm-test-shard-synth");
  const std::string a = (dir / "a").string(), b = (dir / "b").string();
  // As above: the first run fills the cache, so that `cached` is the same in both compared runs.
  ASSERT_EQ(run_cli("synth " + kDesigns + "-o " + (dir / "warm").string()).rc, 0);
  ASSERT_EQ(run_cli("synth " + kDesigns + "-o " + a).rc, 0);
  for (int i = 0; i < 2; ++i) {
    const auto r = run_cli("synth " + kDesigns + "--shard " + std::to_string(i) + "/2 -o " + b);
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_NE(r.out.find("greenmac merge " + b), std::string::npos) << r.out;
  }
  EXPECT_FALSE(fs::exists(fs::path(b) / "synth.json"));
  const auto m = run_cli("merge " + b);
  ASSERT_EQ(m.rc, 0) << m.err;
  expect_same_file(fs::path(a) / "synth.json", fs::path(b) / "synth.json");
  expect_same_file(fs::path(a) / "synth.csv", fs::path(b) / "synth.csv");
  EXPECT_TRUE(fs::exists(fs::path(b) / "gm_drum_u4_k2" / "net.v"));  // each shard keeps its designs' files
  fs::remove_all(dir);
}

// The demo's use: a --dnn sweep, here with a per-layer configuration (computed by shard 0) beside
// the designs. The operand traces each shard writes into DIR/traces are the unsharded run's too.
TEST(ShardCharacterize, DnnSweepWithAPerLayerConfigurationMergesToTheUnshardedReport) {
  if (!gm::test::synth_tools_present() || !gm::test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const fs::path dir = gm::test::temp_dir("gm-test-shard-char-dnn");
  const std::string a = (dir / "a").string(), b = (dir / "b").string();
  const std::string sweep = "characterize 'trunc:t=6,s=1' 'drum:k=4,s=1' --dnn --images 50 "
                            "--mul-layer default=trunc:t=6,s=1 --mul-layer conv1=exact:s=1 ";
  ASSERT_EQ(run_cli(sweep + "-o " + (dir / "warm").string()).rc, 0);  // `cached` alike, as above
  ASSERT_EQ(run_cli(sweep + "-o " + a).rc, 0);
  for (int i = 0; i < 3; ++i) {
    const auto r = run_cli(sweep + "--shard " + std::to_string(i) + "/3 -o " + b);
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_EQ(r.out.find("per-layer configuration") != std::string::npos, i == 0) << r.out;
  }
  const auto m = run_cli("merge " + b);
  ASSERT_EQ(m.rc, 0) << m.err;
  EXPECT_GE(expect_same_tree(a, b), 20u);  // report.md/json, results.csv, four plots, the traces
  const auto j = nlohmann::json::parse(gm::read_file(fs::path(b) / "report.json"));
  ASSERT_EQ(j["designs"].size(), 5u);  // two designs, exact and yosys, the configuration last
  EXPECT_TRUE(j["designs"][4]["configuration"].get<bool>());
  fs::remove_all(dir);
}
