// SIGINT or SIGTERM while greenmac runs a tool: the children stop, the scratch directories go, and
// greenmac exits 128+signal within seconds.
//
// A cold cache makes verify build its Verilator harness (verilator, make, the C++ compiler) in
// <cache>/verilator/build-XXXXXX, and synth --array run Yosys in <cache>/synth-array/work-XXXXXX; the signal is
// sent once that directory exists, i.e. while the tools are at work in it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "models/files.hpp"
#include "tests/support/temp_dir.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// Starts greenmac with a private cache and temp dir; its output goes to `log`.
pid_t start_greenmac(const std::vector<std::string>& args, const fs::path& cache, const fs::path& tmp,
                     const fs::path& log) {
  std::vector<std::string> argv = {GM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  const std::string cache_env = "GREENMAC_CACHE=" + cache.string(), tmp_env = "TMPDIR=" + tmp.string();
  const pid_t pid = fork();
  if (pid == 0) {
    putenv(const_cast<char*>(cache_env.c_str()));
    putenv(const_cast<char*>(tmp_env.c_str()));
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) dup2(fd, 1), dup2(fd, 2);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  return pid;
}

// The first entry under `root` (recursively) whose name starts with `prefix`, or "".
fs::path find_prefixed(const fs::path& root, const std::string& prefix) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->path().filename().string().rfind(prefix, 0) == 0) return it->path();
  return {};
}

// Processes (other than this one) whose working directory or command line mentions `where`.
std::vector<std::string> processes_using(const std::string& where) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string pid = e.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos || pid == std::to_string(getpid())) continue;
    std::error_code lec;
    const std::string cwd = fs::read_symlink(e.path() / "cwd", lec).string();
    std::ifstream in(e.path() / "cmdline", std::ios::binary);
    std::stringstream cmd;
    cmd << in.rdbuf();
    if (cwd.find(where) != std::string::npos || cmd.str().find(where) != std::string::npos)
      found.push_back(pid + " (cwd " + cwd + ")");
  }
  return found;
}

struct Case {
  std::vector<std::string> args;
  std::vector<std::string> tools;
  std::string scratch_prefix;  // the directory the run works in
  int sig;
};

void interrupt_and_check(const Case& c) {
  for (const auto& t : c.tools)
    if (!gm::have_tool(t)) GTEST_SKIP() << t << " not installed";
  const fs::path dir = gm::test::temp_dir("gm-test-interrupt");
  const fs::path cache = dir / "cache", tmp = dir / "tmp", log = dir / "greenmac.log";
  fs::create_directories(tmp);
  const pid_t pid = start_greenmac(c.args, cache, tmp, log);
  ASSERT_GT(pid, 0);

  // Wait until a tool is at work in the scratch directory, then give it (and its children) a moment.
  const auto t0 = Clock::now();
  while ((find_prefixed(cache, c.scratch_prefix).empty() || processes_using(cache.string()).empty()) &&
         Clock::now() - t0 < 60s)
    std::this_thread::sleep_for(20ms);
  const fs::path scratch = find_prefixed(cache, c.scratch_prefix);
  const bool saw_tool = !processes_using(cache.string()).empty();
  std::this_thread::sleep_for(300ms);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, WNOHANG), 0) << "greenmac ended before the signal: " << gm::read_file(log);
  ASSERT_FALSE(scratch.empty()) << "no " << c.scratch_prefix << "* directory appeared under " << cache;
  ASSERT_TRUE(saw_tool) << "no tool ever ran in " << cache;

  const auto t_signal = Clock::now();
  kill(pid, c.sig);
  pid_t got = 0;
  while ((got = waitpid(pid, &status, WNOHANG)) == 0 && Clock::now() - t_signal < 10s)
    std::this_thread::sleep_for(20ms);
  if (got == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "greenmac did not exit within 10 s of signal " << c.sig;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t_signal).count();
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 128 + c.sig) << gm::read_file(log);
  EXPECT_LT(seconds, 5.0);
  EXPECT_FALSE(fs::exists(scratch)) << scratch << " was left behind";
  EXPECT_EQ(find_prefixed(cache, c.scratch_prefix), fs::path()) << "a scratch directory was left in the cache";
  EXPECT_TRUE(fs::is_empty(tmp)) << "a scratch directory was left in TMPDIR";
  // The children's process groups were killed; give the kernel a moment to reap them.
  std::vector<std::string> left = processes_using(cache.string());
  for (const auto t1 = Clock::now(); !left.empty() && Clock::now() - t1 < 3s; left = processes_using(cache.string()))
    std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(left.empty()) << "still running: " << left.front();
  const std::string out = gm::read_file(log);
  EXPECT_NE(out.find("greenmac: interrupted"), std::string::npos) << out;
  if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

TEST(Interrupt, SigtermDuringVerifyBuild) {
  interrupt_and_check({{"verify", "exact:w=8"}, {"verilator"}, "build-", SIGTERM});
}

TEST(Interrupt, SigintDuringVerifyBuild) {
  interrupt_and_check({{"verify", "exact:w=8"}, {"verilator"}, "build-", SIGINT});
}

TEST(Interrupt, SigtermDuringSynth) {
  // A whole 4x4 array: Yosys works on it for several seconds, a single multiplier only for one.
  interrupt_and_check({{"synth", "--array", "4x4", "--mul", "exact:s=1"}, {"yosys", "sta"}, "work-", SIGTERM});
}

}  // namespace
