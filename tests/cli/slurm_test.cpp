// greenmac slurm on a real Slurm: a private single-node cluster on localhost (slurmctld and slurmd,
// munge; tests/slurm/with_cluster.sh brings it up and stops it) runs a characterize sweep of 8
// designs as 4 array tasks and the merge job after them; the merged report.json must equal a local
// unsharded run's. Then two shards are removed and `slurm --resubmit` runs only their tasks.
// Skipped only when Slurm or munge is not installed.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "models/files.hpp"
#include "tb/process.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"

namespace gm {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

// Eight cheap 4-bit designs, from as many families (characterize adds the yosys baseline).
const char* const kDesigns =
    "exact:w=4 exact:w=4,arch=array trunc:w=4,t=2 bam:w=4,h=1,v=2 drum:w=4,k=2 etm:w=4,l=2 comp42:w=4,c=3 "
    "mitchell:w=4,f=1";

const fs::path kScripts = fs::path(GM_SOURCE_DIR) / "tests" / "slurm";

// What legitimately differs between two runs: whether a synthesis came from the cache.
json normalised(json j) {
  if (j.is_object()) {
    j.erase("cached");
    for (auto& [k, v] : j.items()) v = normalised(v);
  } else if (j.is_array()) {
    for (auto& v : j) v = normalised(v);
  }
  return j;
}

// with_cluster.sh submit_and_wait.sh 600 greenmac slurm ARGS...
RunResult run_on_cluster(const std::string& slurm_args, const fs::path& cache) {
  std::vector<std::string> argv = {(kScripts / "with_cluster.sh").string(), (kScripts / "submit_and_wait.sh").string(),
                                   "600", GM_BINARY, "slurm"};
  for (auto& w : test::split_words(slurm_args)) argv.push_back(w);
  return run_program(argv, {.timeout_s = 900, .env = {"GREENMAC_CACHE=" + cache.string()}});
}

TEST(SlurmCluster, CharacterizeOfEightDesignsAsFourTasksEqualsTheLocalRunAndResubmitsMissingShards) {
  for (const char* exe : {"/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged", "/usr/bin/sbatch"})
    if (!fs::exists(exe)) GTEST_SKIP() << exe << " is not installed (Debian packages slurm-wlm, munge)";
  const auto dir = test::temp_dir("gm-slurm-e2e");
  // Each run computes its own results (its own cache), so that the comparison means something.
  const auto local = test::run_cli(std::string("characterize ") + kDesigns + " -o " + (dir / "local").string(),
                                   "GREENMAC_CACHE=" + (dir / "cache-local").string());
  ASSERT_EQ(local.rc, 0) << local.err;

  const fs::path out = dir / "cluster";
  const auto t0 = std::chrono::steady_clock::now();
  const RunResult r =
      run_on_cluster(std::string("characterize ") + kDesigns + " --tasks 4 -o " + out.string() + " --submit",
                     dir / "cache-slurm");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (r.exit_code == 77) GTEST_SKIP() << r.output;
  ASSERT_TRUE(r.ok()) << r.output;
  std::cout << "[   slurm  ] 8 designs as 4 array tasks and the merge, cluster start and stop included: " << seconds
            << " s\n";
  EXPECT_NE(r.output.find("(4 of 4 tasks: 0-3)"), std::string::npos) << r.output;
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(fs::exists(out / "shards" / ("characterize-" + std::to_string(i) + "-of-4.json"))) << i;
  size_t logs = 0;
  for (const auto& e : fs::directory_iterator(out / "logs")) logs += e.path().extension() == ".out";
  EXPECT_GE(logs, 5u) << "4 task logs and the merge's";
  const json want = normalised(json::parse(read_file(dir / "local" / "report.json")));
  EXPECT_EQ(normalised(json::parse(read_file(out / "report.json"))), want);

  // Tasks 1 and 3 "failed": their shards and the report are gone; only they run again.
  fs::remove(out / "shards" / "characterize-1-of-4.json");
  fs::remove(out / "shards" / "characterize-3-of-4.json");
  fs::remove(out / "report.json");
  const RunResult again = run_on_cluster("--resubmit " + out.string(), dir / "cache-slurm");
  ASSERT_TRUE(again.ok()) << again.output;
  EXPECT_NE(again.output.find("(2 of 4 tasks: 1,3)"), std::string::npos) << again.output;
  EXPECT_EQ(normalised(json::parse(read_file(out / "report.json"))), want);
}

}  // namespace
}  // namespace gm
