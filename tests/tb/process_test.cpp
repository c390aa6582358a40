// run_program: argument vectors reach the program untouched, exit codes and time-outs are reported,
// output is captured or redirected, and scratch directories disappear with their owner.
#include "tb/process.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

TEST(Process, ShellMetacharactersAreJustBytes) {
  gm::ScratchDir dir("gm-process-test");
  const std::string hostile = "x';touch owned;'$(touch owned2)`touch owned3`";
  const auto r = gm::run_program({"printf", "%s", hostile}, {.cwd = dir.path()});
  ASSERT_TRUE(r.ok()) << r.output;
  EXPECT_EQ(r.output, hostile);
  EXPECT_FALSE(fs::exists(dir / "owned"));
  EXPECT_FALSE(fs::exists(dir / "owned2"));
  EXPECT_FALSE(fs::exists(dir / "owned3"));
}

TEST(Process, ExitCodesAndMissingPrograms) {
  EXPECT_EQ(gm::run_program({"false"}).exit_code, 1);
  EXPECT_EQ(gm::run_program({"true"}).exit_code, 0);
  const auto missing = gm::run_program({"gm-no-such-program-xyz"});
  EXPECT_EQ(missing.exit_code, 127);
  EXPECT_FALSE(missing.ok());
  EXPECT_FALSE(gm::have_tool("gm-no-such-program-xyz"));
  EXPECT_TRUE(gm::have_tool("sh"));
}

TEST(Process, WorkingDirectoryAndStdoutFile) {
  gm::ScratchDir dir("gm-process-test");
  const auto r = gm::run_program({"pwd"}, {.cwd = dir.path(), .stdout_file = dir / "out.txt"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.output, "");  // stdout went to the file
  std::ifstream in(dir / "out.txt");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(fs::canonical(line), fs::canonical(dir.path()));
}

TEST(Process, StderrIsCapturedAndLogged) {
  gm::ScratchDir dir("gm-process-test");
  const auto r = gm::run_program({"ls", "/gm-no-such-dir"}, {.log_file = dir / "ls.log"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("gm-no-such-dir"), std::string::npos) << r.output;
  std::ifstream in(dir / "ls.log");
  std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(log, r.output);
}

TEST(Process, TimeoutKillsTheWholeGroup) {
  const auto t0 = std::chrono::steady_clock::now();
  // xargs (with no input) runs `sleep 30` as its own child, a grandchild of ours: only killing the
  // group stops it within the limit.
  const auto r = gm::run_program({"xargs", "sleep", "30"}, {.timeout_s = 1});
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.ok());
  EXPECT_LT(s, 10.0);
}

TEST(Process, ScratchDirIsRemovedUnlessKept) {
  fs::path gone, kept;
  {
    gm::ScratchDir a("gm-process-test");
    gone = a.path();
    std::ofstream(a / "f") << "x";
    gm::ScratchDir b("gm-process-test");
    kept = b.path();
    b.keep();
    EXPECT_TRUE(fs::is_directory(gone));
  }
  EXPECT_FALSE(fs::exists(gone));
  EXPECT_TRUE(fs::exists(kept));
  fs::remove_all(kept);
}

}  // namespace
