// No shell anywhere: text from specs, map files and paths never becomes a command.
//
// Each case plants a payload that would create a file named `owned` had greenmac pasted the text
// into a shell command line or a Yosys script (the example: top=mymul';touch owned;').
// The payloads name `owned` by an absolute path inside the test's directory, or relatively from a
// scratch directory that TMPDIR puts inside it, so that a successful injection is always seen.
//
// What greenmac does with such text (docs/spec-strings.md):
//  - names (ext: top, a, b, y) must be plain identifiers: anything else is refused, exit 2;
//  - file and directory paths may hold any character but a control character: they reach the
//    tools as separate arguments or through fixed names in the tools' working directory, so a
//    path with a quote, a semicolon or a space simply works.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "models/files.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"
#include "tb/process.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;
using gm::test::run_cli;

namespace {

// One shell word: run_cli takes shell text, and the payloads must reach greenmac unchanged.
std::string sh(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}


const char* kGood = "module mymul (input [3:0] a_i, input [3:0] b_i, output [7:0] y_o);\n"
                    "  assign y_o = a_i * b_i;\nendmodule\n";

class Injection : public ::testing::Test {
 protected:
  fs::path dir = gm::test::temp_dir("gm-test-injection");
  fs::path old_cwd = fs::current_path();

  void SetUp() override {
    if (!gm::test::tools_present({"yosys", "iverilog", "verilator"})) GTEST_SKIP() << "yosys, iverilog or verilator not installed";
    fs::create_directories(dir / "tmp");
    gm::write_file_atomic(dir / "good.v", kGood);
    fs::current_path(dir);  // a relative `touch owned` run by greenmac itself lands here
  }
  void TearDown() override {
    fs::current_path(old_cwd);
    if (!HasFailure()) fs::remove_all(dir);
  }

  // A payload for a name or a path: quote, semicolon, command substitution, Yosys's `!` shell
  // (one without spaces, since a --mul-map line is split at spaces).
  std::vector<std::string> payloads() const {
    const std::string owned = (dir / "owned").string();
    return {"';touch " + owned + ";'", "';touch${IFS}" + owned + ";'", "\";touch " + owned + ";\"",
            "$(touch " + owned + ")", "`touch " + owned + "`", "x; !touch " + owned};
  }

  // A private, cold cache: every tool really runs on the hostile names (no cached result hides it).
  gm::test::CliResult cli(const std::string& args) const {
    return run_cli(args, "TMPDIR=" + sh((dir / "tmp").string()) + " GREENMAC_CACHE=" + sh((dir / "cache").string()) + " ");
  }

  // No `owned` anywhere under the test's directory (its scratch directories included).
  void expect_not_owned() const {
    for (const auto& e : fs::recursive_directory_iterator(dir))
      EXPECT_NE(e.path().filename(), "owned") << "injection ran: " << e.path();
  }
};

TEST_F(Injection, EveryExtNameFieldIsRefused) {
  const std::string path = (dir / "good.v").string();
  for (const std::string field : {"top", "a", "b", "y"}) {
    for (const auto& payload : payloads()) {
      std::string spec = "ext:path=" + path + ",w=4,top=mymul";
      if (field == "top")
        spec = "ext:path=" + path + ",w=4,top=mymul" + payload;
      else
        spec += "," + field + "=" + field + "_i" + payload;
      SCOPED_TRACE(spec);
      const auto r = cli("gen " + sh(spec) + " -o " + sh((dir / "out").string()));
      gm::test::expect_one_line_error(r, field);
      EXPECT_FALSE(fs::exists(dir / "out"));
    }
  }
  expect_not_owned();
}

TEST_F(Injection, ExtPathThatDoesNotExistIsRefused) {
  for (const auto& payload : payloads()) {
    const std::string spec = "ext:path=" + (dir / "good.v").string() + payload + ",top=mymul,w=4";
    SCOPED_TRACE(spec);
    gm::test::expect_one_line_error(cli("gen " + sh(spec) + " -o " + sh((dir / "out").string())), "path");
  }
  expect_not_owned();
}

TEST_F(Injection, ExtFileNamedLikeACommandIsJustAFile) {
  // A real Verilog file whose name holds the payload (relative: a file name cannot hold '/'),
  // in a directory with a space: it is read as the file it is.
  const fs::path hostile = dir / "with space" / "evil';cd ..;touch owned;'$(touch owned)`touch owned`.v";
  fs::create_directories(hostile.parent_path());
  gm::write_file_atomic(hostile, kGood);
  const auto r = cli("gen " + sh("ext:path=" + hostile.string() + ",top=mymul,w=4") + " -o " + sh((dir / "out").string()));
  EXPECT_EQ(r.rc, 0) << r.out;
  bool wrapped = false;
  for (const auto& e : fs::directory_iterator(dir / "out"))
    if (e.path().extension() == ".v") wrapped |= gm::read_file(e.path()).find("mymul u_ext") != std::string::npos;
  EXPECT_TRUE(wrapped) << "no wrapper around mymul in " << (dir / "out");
  expect_not_owned();
}

TEST_F(Injection, MulMapLineIsRefused) {
  for (const auto& payload : payloads()) {
    gm::write_file_atomic(dir / "map.txt", "# one PE from a third-party file\npe 0 0 ext:path=" +
                                               (dir / "good.v").string() + ",w=4,top=mymul" + payload + "\n");
    SCOPED_TRACE(payload);
    const auto r = cli("gen-array --rows 2 --cols 2 --mul exact:w=4 --mul-map " + sh((dir / "map.txt").string()) +
                       " -o " + sh((dir / "out").string()));
    gm::test::expect_one_line_error(r, "top");
    EXPECT_FALSE(fs::exists(dir / "out"));
  }
  expect_not_owned();
}

TEST_F(Injection, RtlDirWithQuoteAndSemicolonIsJustADirectory) {
  // The directory's path spells a command: it holds "/" and so becomes nested directories.
  const fs::path rtl = dir / ("rtl';touch " + (dir / "owned").string() + ";'$(touch owned)");
  const std::string spec = "exact:w=4";
  const auto g = cli("gen " + spec + " -o " + sh(rtl.string()));
  ASSERT_EQ(g.rc, 0) << g.out;
  for (const std::string cmd : {"lint", "prove", "verify --sim icarus"}) {
    const auto r = cli(cmd + " " + spec + " --rtl-dir " + sh(rtl.string()));
    EXPECT_EQ(r.rc, 0) << cmd << ": " << r.out;
  }
  expect_not_owned();
}

TEST_F(Injection, RtlDirWithoutTheDesignIsRefused) {
  const fs::path rtl = dir / ("empty';touch " + (dir / "owned").string() + ";'");
  fs::create_directories(rtl);
  for (const std::string cmd : {"lint", "prove", "verify --sim icarus"}) {
    SCOPED_TRACE(cmd);
    gm::test::expect_one_line_error(cli(cmd + " exact:w=4 --rtl-dir " + sh(rtl.string())), "cannot read");
  }
  expect_not_owned();
}

}  // namespace

namespace {

const char* const kOsu018 = gm::kOsu018Lib;

using gm::test::synth_tools_present;

TEST_F(Injection, LibertyPathWithQuoteIsJustAPath) {
  if (!synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library not installed";
  // Nested directories, since the path holds "/": Yosys and OpenSTA see only cells.lib.
  const fs::path lib = dir / ("lib';touch " + (dir / "owned").string() + ";'[exec touch owned]{$x}") / "osu018 copy.lib";
  fs::create_directories(lib.parent_path());
  fs::copy_file(kOsu018, lib);
  const auto r = cli("synth exact:w=2 --cycles 256 --lib " + sh(lib.string()) + " --json");
  EXPECT_EQ(r.rc, 0) << r.out;
  EXPECT_NE(r.out.find("area_um2"), std::string::npos) << r.out;
  expect_not_owned();
}

TEST_F(Injection, LibertyBufferNamedLikeACommandIsRefused) {
  if (!synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library not installed";
  // The smallest buffer's name goes into `insbuf -buf CELL IN OUT`; `;` would end that command
  // and `!` run the rest through a shell.
  std::string text = gm::read_file(kOsu018);
  const std::string from = "cell (BUFX2)";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "cell (\"BUFX2;!touch " + (dir / "owned").string() + "\")");
  gm::write_file_atomic(dir / "evil.lib", text);
  const auto r = cli("synth exact:w=2 --cycles 256 --lib " + sh((dir / "evil.lib").string()));
  gm::test::expect_one_line_error(r, "buffer cell");
  expect_not_owned();
}

}  // namespace

namespace {

TEST_F(Injection, OutputDirWithBackquotesIsJustADirectory) {
  if (!synth_tools_present() || !gm::have_tool("gnuplot")) GTEST_SKIP() << "yosys, sta, osu018 or gnuplot missing";
  // gnuplot runs `...` inside double-quoted strings; the plots' script names its files relatively.
  const fs::path out = dir / "rep`touch owned`$(touch owned)'x\"y";
  const auto r = cli("characterize 'trunc:w=4,t=3' -o " + sh(out.string()));
  EXPECT_EQ(r.rc, 0) << r.out;
  for (const char* plot : {"area_mred.png", "area_mred.svg", "power_mred.png", "energy_nmed.svg"})
    EXPECT_TRUE(fs::is_regular_file(out / plot)) << plot;
  expect_not_owned();
}

}  // namespace
