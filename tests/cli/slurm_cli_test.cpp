// greenmac slurm without a cluster: what it refuses (one line, exit 2, nothing written), the files
// it writes, and what it asks of sbatch (a fake sbatch on PATH records the argument vectors).
// The run on a real single-node Slurm is tests/cli/slurm_test.cpp.
#include <gtest/gtest.h>

#include <cstdlib>

#include "cli/shard/shard.hpp"
#include "models/files.hpp"
#include "tests/support/argv_recorder.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"

namespace gm {
namespace {
namespace fs = std::filesystem;
using test::expect_one_line_error;
using test::run_cli;

TEST(SlurmCli, RefusesACommandThatDoesNotShard) {
  const auto dir = test::temp_dir("gm-slurm-cli");
  expect_one_line_error(run_cli("slurm gen exact:w=4 --tasks 2 -o " + (dir / "o").string()), "'gen' does not shard");
  expect_one_line_error(run_cli("slurm no-such-command --tasks 2 -o " + (dir / "o").string()), "does not shard");
  EXPECT_FALSE(fs::exists(dir / "o"));
}

TEST(SlurmCli, RefusesBadArgumentsBeforeWritingAnything) {
  const auto dir = test::temp_dir("gm-slurm-cli");
  const std::string o = " -o " + (dir / "o").string();
  expect_one_line_error(run_cli("slurm characterize exact:w=4 --shard 1/2 --tasks 2" + o), "leave it out");
  expect_one_line_error(run_cli("slurm characterize exact:w=4 --shard=1/2 --tasks 2" + o), "leave it out");
  expect_one_line_error(run_cli("slurm characterize exact:w=4" + o), "--tasks N is required");
  expect_one_line_error(run_cli("slurm characterize exact:w=4 --tasks 0" + o), "--tasks N is required");
  expect_one_line_error(run_cli("slurm characterize exact:w=4 --tasks 2"), "-o DIR is required");
  expect_one_line_error(run_cli("slurm characterize exact:w=4 --tasks 2 --time '1 h'" + o), "--time '1 h'");
  expect_one_line_error(run_cli("slurm characterize exact:w=4 --tasks 2 --mem 4%G" + o), "--mem '4%G'");
  expect_one_line_error(run_cli("slurm characterize exact:w=4 --no-such-option 3 --tasks 2" + o), "do not parse");
  expect_one_line_error(run_cli("slurm characterize exact:w=4 --tasks 2 -o '" + (dir / "a b").string() + "'"),
                        "#SBATCH line cannot carry");
  expect_one_line_error(run_cli("slurm characterize exact:w=4 --tasks 2 --greenmac /no/such/greenmac" + o),
                        "--greenmac");
  expect_one_line_error(run_cli("slurm --resubmit " + (dir / "o").string()), "no slurm.json");
  expect_one_line_error(run_cli("slurm"), "give the COMMAND");
  EXPECT_FALSE(fs::exists(dir / "o"));
  EXPECT_FALSE(fs::exists(dir / "a b"));
}

TEST(SlurmCli, WritesScriptsThatRunThisBinaryWithTheCache) {
  const auto dir = test::temp_dir("gm-slurm-cli");
  const auto r = run_cli("slurm characterize exact:w=4 'trunc:w=4,t=2' --clock-ns 5 --tasks 3 -o out",
                         "GREENMAC_CACHE=rel-cache", dir);
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::string job = read_file(dir / "out" / "job.sbatch");
  const std::string self = fs::canonical(GM_BINARY).string();
  EXPECT_NE(job.find("\nexec '" + self + "' 'characterize' 'exact:w=4' 'trunc:w=4,t=2' '--clock-ns' '5' --shard \"${"
                     "SLURM_ARRAY_TASK_ID}/3\" -o '" + (dir / "out").string() + "'\n"),
            std::string::npos)
      << job;
  EXPECT_NE(job.find("\nexport GREENMAC_CACHE='" + (dir / "rel-cache").string() + "'\n"), std::string::npos) << job;
  EXPECT_NE(job.find("\n#SBATCH --array=0-2\n"), std::string::npos) << job;
  EXPECT_NE(read_file(dir / "out" / "merge.sbatch").find("\nexec '" + self + "' merge '" + (dir / "out").string()),
            std::string::npos);
  EXPECT_TRUE(fs::is_directory(dir / "out" / "logs"));  // sbatch needs it for --output
  EXPECT_TRUE(fs::exists(dir / "out" / "submit.sh"));
  EXPECT_TRUE(fs::exists(dir / "out" / "slurm.json"));
}

// PATH with a fake sbatch first: it records its argv and prints job ids 41, 42, ...
std::string fake_sbatch_env(const fs::path& dir) {
  fs::create_directories(dir / "bin");
  test::write_argv_recorder(dir / "bin", "sbatch",
                            "n=$(cat \"$GM_ARGV_LOG.n\" 2>/dev/null || echo 40); n=$((n + 1)); "
                            "echo $n >\"$GM_ARGV_LOG.n\"; echo \"$n\"\n");
  const char* path = std::getenv("PATH");
  return "PATH=" + (dir / "bin").string() + ":" + (path ? path : "/usr/bin:/bin") +
         " GM_ARGV_LOG=" + (dir / "argv.log").string();
}

TEST(SlurmCli, SubmitsTheArrayThenTheMergeAfterItAndResubmitsOnlyMissingShards) {
  const auto dir = test::temp_dir("gm-slurm-cli");
  const std::string env = fake_sbatch_env(dir);
  const fs::path out = dir / "out";
  const auto r = run_cli("slurm characterize exact:w=4 --tasks 4 -o " + out.string() + " --submit", env, dir);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("array job 41"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("merge job 42"), std::string::npos) << r.out;
  auto calls = test::read_argv_calls(dir / "argv.log");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0], (std::vector<std::string>{"--parsable", (out / "job.sbatch").string()}));
  EXPECT_EQ(calls[1],
            (std::vector<std::string>{"--parsable", "--dependency=afterok:41", (out / "merge.sbatch").string()}));

  // Tasks 0 and 2 finished: only 1 and 3 go again, with a longer time limit.
  for (size_t i : {0u, 2u}) write_shard(out, "characterize", Shard{i, 4, true}, {}, nlohmann::json::object());
  const auto again = run_cli("slurm --resubmit " + out.string() + " --time 4:00:00", env, dir);
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_NE(again.out.find("array job 43 (2 of 4 tasks: 1,3)"), std::string::npos) << again.out;
  calls = test::read_argv_calls(dir / "argv.log");
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[2], (std::vector<std::string>{"--parsable", "--time=4:00:00", "--array=1,3",
                                                (out / "job.sbatch").string()}));
  EXPECT_EQ(calls[3], (std::vector<std::string>{"--parsable", "--dependency=afterok:43", "--time=4:00:00",
                                                (out / "merge.sbatch").string()}));
  // slurm.json keeps every submission's ids.
  const auto rec = nlohmann::json::parse(read_file(out / "slurm.json"));
  ASSERT_EQ(rec["submissions"].size(), 2u);
  EXPECT_EQ(rec["submissions"][1]["tasks"], "1,3");
  EXPECT_EQ(rec["submissions"][1]["merge_job"], "44");
}

TEST(SlurmCli, SbatchThatFailsIsOneLine) {
  const auto dir = test::temp_dir("gm-slurm-cli");
  fs::create_directories(dir / "bin");
  test::write_argv_recorder(dir / "bin", "sbatch",
                            "echo 'sbatch: error: invalid partition specified: nope' >&2\nexit 1\n");
  const char* path = std::getenv("PATH");
  const std::string env = "PATH=" + (dir / "bin").string() + ":" + (path ? path : "/usr/bin:/bin") +
                          " GM_ARGV_LOG=" + (dir / "argv.log").string();
  const auto r = run_cli("slurm characterize exact:w=4 --tasks 2 --partition nope -o out --submit", env, dir);
  expect_one_line_error(r, "invalid partition specified: nope");
}

}  // namespace
}  // namespace gm
