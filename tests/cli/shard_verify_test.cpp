// `--shard I/N` for verify and mutate (issue 15): the shards of a sweep, merged by `greenmac merge`,
// give the report, JSON and exit status of the unsharded run; a failed design in any shard fails
// the merge; a missing shard is named; a shard that is done is skipped when the job is run again.
// Icarus runs these (no harness build), so that each case takes seconds.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "models/files.hpp"
#include "tb/process.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using gm::test::run_cli;
using nlohmann::json;

namespace {

// Five designs of one width, so that 3 shards hold 2, 2 and 1 of them, not in a contiguous block.
const char* const kSpecs = "exact:w=4 'exact:w=4,s=1' 'trunc:w=4,t=2' 'drum:w=4,k=2' 'mitchell:w=4'";

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// Runs every shard of `command` (e.g. "verify SPECS --sim icarus") into dir and merges them.
gm::test::CliResult sharded(const std::string& command, const fs::path& dir, int shards) {
  for (int i = 0; i < shards; ++i) {
    const auto r = run_cli(command + " -o " + quoted(dir) + " --shard " + std::to_string(i) + "/" + std::to_string(shards));
    EXPECT_LE(r.rc, 1) << r.err;  // 1: this shard's share has a failed check; its file is written all the same
  }
  return run_cli("merge " + quoted(dir));
}

// Gate-level RTL of the designs in `dir`, with one gate of `broken` changed (an AND made an OR), so
// that this design fails verification.
void write_rtl_with_one_broken(const fs::path& dir, const std::string& broken) {
  ASSERT_EQ(run_cli(std::string("gen ") + kSpecs + " -o " + quoted(dir)).rc, 0);
  const fs::path file = dir / (broken + ".v");
  std::string text = gm::read_file(file);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"((assign \w+ = [\w\[\]]+) & ([\w\[\]]+;))"))) << text;
  text.replace(m.position(0), m.length(0), m[1].str() + " | " + m[2].str());
  gm::write_file_atomic(file, text);
}

bool have_icarus() { return gm::have_tool("iverilog") && gm::have_tool("vvp"); }

TEST(ShardVerify, ShardedThenMergedIsTheUnshardedRun) {
  if (!have_icarus()) GTEST_SKIP() << "no iverilog";
  const fs::path dir = gm::test::temp_dir("gm-shard-verify");
  const std::string command = std::string("verify ") + kSpecs + " --sim icarus";
  const auto whole = run_cli(command + " -o " + quoted(dir / "whole"));
  ASSERT_EQ(whole.rc, 0) << whole.err;
  const auto merged = sharded(command, dir / "sharded", 3);
  ASSERT_EQ(merged.rc, 0) << merged.err;
  // Nothing in verify's JSON or report varies between runs, so they must be byte-identical.
  EXPECT_EQ(gm::read_file(dir / "sharded" / "verify.json"), gm::read_file(dir / "whole" / "verify.json"));
  EXPECT_EQ(gm::read_file(dir / "sharded" / "report.md"), gm::read_file(dir / "whole" / "report.md"));
  EXPECT_EQ(json::parse(gm::read_file(dir / "whole" / "verify.json")).size(), 5u);
  // The printed lines too, but for the summary's count of harness builds (one per shard and width).
  const auto strip_builds = [](const std::string& s) { return std::regex_replace(s, std::regex(R"(icarus, .*\))"), "icarus)"); };
  EXPECT_EQ(strip_builds(merged.out), strip_builds(whole.out));
  EXPECT_EQ(count_of(whole.out, "PASS "), 5) << whole.out;
  // -o does not change what is printed: --json prints what verify.json holds.
  const auto printed = run_cli(command + " --json");
  EXPECT_EQ(printed.out, gm::read_file(dir / "whole" / "verify.json"));
  fs::remove_all(dir);
}

TEST(ShardVerify, FailedDesignInOneShardFailsTheMerge) {
  if (!have_icarus()) GTEST_SKIP() << "no iverilog";
  const fs::path dir = gm::test::temp_dir("gm-shard-verify");
  write_rtl_with_one_broken(dir / "rtl", "gm_drum_u4_k2");
  // drum is design 3: shard 1 of 2 holds designs 1 and 3.
  const std::string command = std::string("verify ") + kSpecs + " --sim icarus --rtl-dir " + quoted(dir / "rtl");
  const auto shard0 = run_cli(command + " -o " + quoted(dir / "out") + " --shard 0/2");
  const auto shard1 = run_cli(command + " -o " + quoted(dir / "out") + " --shard 1/2");
  EXPECT_EQ(shard0.rc, 0) << shard0.err;
  EXPECT_EQ(shard1.rc, 1) << shard1.err;
  const auto merged = run_cli("merge " + quoted(dir / "out"));
  EXPECT_EQ(merged.rc, 1) << merged.err;
  EXPECT_EQ(count_of(merged.err, "greenmac: check failed: verify: gm_drum_u4_k2: "), 1) << merged.err;
  EXPECT_EQ(count_of(merged.out, "FAIL "), 1) << merged.out;
  EXPECT_EQ(gm::read_file(dir / "out" / "report.md").find("**check failed:** verify: gm_drum_u4_k2"),
            std::string("# greenmac verify\n\n").size());
  // The unsharded run fails the same way and writes the same JSON.
  const auto whole = run_cli(command + " -o " + quoted(dir / "whole"));
  EXPECT_EQ(whole.rc, 1);
  // The same check line; the unsharded run also prints its progress line before it and the command
  // that reproduces it with --trace after it (the merge has no single command to give).
  const auto check_line = [](const std::string& err) {
    const auto at = err.find("greenmac: check failed");
    return at == std::string::npos ? std::string() : err.substr(at, err.find('\n', at) + 1 - at);
  };
  EXPECT_NE(check_line(whole.err), "");
  EXPECT_EQ(check_line(whole.err), check_line(merged.err));
  EXPECT_EQ(gm::read_file(dir / "out" / "verify.json"), gm::read_file(dir / "whole" / "verify.json"));
  fs::remove_all(dir);
}

TEST(ShardVerify, MissingShardIsOneLineAndNoReport) {
  if (!have_icarus()) GTEST_SKIP() << "no iverilog";
  const fs::path dir = gm::test::temp_dir("gm-shard-verify");
  ASSERT_EQ(run_cli(std::string("verify ") + kSpecs + " --sim icarus -o " + quoted(dir) + " --shard 2/3").rc, 0);
  gm::test::expect_one_line_error(run_cli("merge " + quoted(dir)), "(0,1)");
  EXPECT_FALSE(fs::exists(dir / "verify.json"));
  EXPECT_FALSE(fs::exists(dir / "report.md"));
  // --shard has nowhere to write without -o.
  gm::test::expect_one_line_error(run_cli("verify exact:w=4 --sim icarus --shard 0/2"), "--shard needs -o DIR");
  gm::test::expect_one_line_error(run_cli("mutate exact:w=4 --sim icarus --shard 0/2"), "--shard needs -o DIR");
  gm::test::expect_one_line_error(run_cli("verify exact:w=4 --sim icarus -o " + quoted(dir) + " --shard 2/2"),
                                  "--shard '2/2'");
  fs::remove_all(dir);
}

TEST(ShardVerify, DoneShardIsSkippedAndOtherArgumentsAreRefused) {
  if (!have_icarus()) GTEST_SKIP() << "no iverilog";
  const fs::path dir = gm::test::temp_dir("gm-shard-verify");
  const std::string command = std::string("verify ") + kSpecs + " --sim icarus -o " + quoted(dir) + " --shard 1/2";
  ASSERT_EQ(run_cli(command).rc, 0);
  // Mark the shard's result, so that a rerun that recomputed it would be seen.
  const fs::path file = dir / "shards" / "verify-1-of-2.json";
  json j = json::parse(gm::read_file(file));
  ASSERT_EQ(j["result"]["rows"].size(), 2u);
  j["result"]["builds"] = 12345;
  gm::write_file_atomic(file, j.dump(1) + "\n");
  const std::string marked = gm::read_file(file);
  const auto again = run_cli(command);
  EXPECT_EQ(again.rc, 0) << again.err;
  EXPECT_EQ(again.out, "");
  EXPECT_NE(again.err.find("shard skipped"), std::string::npos) << again.err;
  EXPECT_EQ(gm::read_file(file), marked);
  // The same shard of another sweep (another seed) into the same folder is not a resume.
  gm::test::expect_one_line_error(run_cli(command + " --seed 7"), "other arguments");
  EXPECT_EQ(gm::read_file(file), marked);
  fs::remove_all(dir);
}

// mutate: Yosys mutants of two designs, simulated in Icarus. The seconds each design took vary
// from run to run, so they are the one field set to 0 before the JSON is compared.
TEST(ShardMutate, ShardedThenMergedIsTheUnshardedRun) {
  if (!have_icarus() || !gm::have_tool("yosys")) GTEST_SKIP() << "no iverilog or yosys";
  const fs::path dir = gm::test::temp_dir("gm-shard-mutate");
  const std::string command = "mutate exact:w=4 'trunc:w=4,t=2' --count 4 --sim icarus --quiet";
  const auto whole = run_cli(command + " -o " + quoted(dir / "whole"));
  const auto merged = sharded(command, dir / "sharded", 2);
  EXPECT_EQ(merged.rc, whole.rc) << whole.err << merged.err;
  EXPECT_EQ(merged.err.substr(merged.err.find('\n') + 1), whole.err);  // after merge's own "merge: 2 shards" line
  const auto normalised = [](const fs::path& file) {
    json rows = json::parse(gm::read_file(file));
    for (auto& r : rows) r["seconds"] = 0;
    return rows.dump(2);
  };
  EXPECT_EQ(normalised(dir / "sharded" / "mutate.json"), normalised(dir / "whole" / "mutate.json"));
  const json rows = json::parse(gm::read_file(dir / "whole" / "mutate.json"));
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& r : rows) EXPECT_EQ(r["mutants"], 4) << r;
  EXPECT_EQ(gm::read_file(dir / "sharded" / "report.md"), gm::read_file(dir / "whole" / "report.md"));
  fs::remove_all(dir);
}

}  // namespace
