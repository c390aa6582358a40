// One error format everywhere: every user mistake is one stderr line "greenmac: error: ...", exit 2,
// and nothing on stdout. Covers the argument parser, unknown commands, option ranges, strict specs
// and file formats, misleading messages, built-in names against paths, and syntax errors in the
// user's own RTL (which are the user's, not internal errors).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/command.hpp"
#include "generator/design_files.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/files.hpp"
#include "models/name_or_path.hpp"
#include "tb/process.hpp"
#include "synth/mult_synth.hpp"
#include "models/spec.hpp"
#include "tests/support/cli_util.hpp"

namespace fs = std::filesystem;
using gm::test::expect_one_line_error;
using gm::test::run_cli;

namespace {

// Runs greenmac in `dir` (the working directory decides nothing, which some tests check).
gm::test::CliResult run_in(const fs::path& dir, const std::string& args, const std::string& env = "") {
  return run_cli(args, env, dir);
}

}  // namespace

TEST(ParserErrors, EveryArgumentMistakeIsOneLineWithTheHelpCommand) {
  const gm::ScratchDir scratch("gm-test-parse");
  const std::string out = (scratch.path() / "out").string();
  struct Case {
    std::string args, fragment, help;
  };
  const std::vector<Case> cases = {
      {"verify exact --seed", "--seed", "greenmac verify --help"},                     // missing value
      {"gen exact --frobnicate -o " + out, "--frobnicate", "greenmac gen --help"},     // unknown option
      {"verify exact --pairs many", "--pairs", "greenmac verify --help"},              // not a number
      {"verify exact --pairs -3", "--pairs", "greenmac verify --help"},                // out of range
      {"prove exact --timeout 0", "--timeout", "greenmac prove --help"},               // out of range
      {"prove exact --timeout 1e400", "--timeout", "greenmac prove --help"},           // not an int
      {"dnn eval --images 0", "--images", "greenmac dnn eval --help"},                 // nested command
      {"dnn rtl --batch 0", "--batch", "greenmac dnn rtl --help"},
      {"dnn storage --images 0", "--images", "greenmac dnn storage --help"},
      {"gen-array --cols 2 -o " + out, "--rows", "greenmac gen-array --help"},         // missing required
      {"gemm --array 2x2 --k 1 --n 1", "--m", "greenmac gemm --help"},
      {"metrics exact --json --csv", "--json", "greenmac metrics --help"},             // excluded options
      {"synth exact --json --csv -o " + out, "--csv", "greenmac synth --help"},
      {"verify exact --sim modelsim", "--sim", "greenmac verify --help"},              // not a choice
      {"gen --set everything -o " + out, "--set", "greenmac gen --help"},
      {"list --json extra", "extra", "greenmac list --help"},                          // extra argument
      {"export exact --format lut-bin", "--out", "greenmac export --help"},
      {"--frobnicate", "--frobnicate", "greenmac --help"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args);
    const auto r = run_cli(c.args);
    expect_one_line_error(r, c.fragment);
    EXPECT_NE(r.err.find("run '" + c.help + "'"), std::string::npos) << r.err;
    EXPECT_LT(r.err.size(), 300u) << "a short line, not a dump: " << r.err;
  }
  EXPECT_FALSE(fs::exists(out));
}

TEST(ParserErrors, TimeoutZeroNamesTheRangeNotA309DigitNumber) {
  const auto r = run_cli("prove exact --timeout 0");
  expect_one_line_error(r, "1 to 86400");
  EXPECT_EQ(r.err.find("000000000"), std::string::npos) << r.err;
}

TEST(ParserErrors, UnknownCommandsAreNamed) {
  expect_one_line_error(run_cli("frobnicate"), "unknown command 'frobnicate'; run 'greenmac --help' for the list");
  expect_one_line_error(run_cli("frobnicate --json"), "unknown command 'frobnicate'");
  expect_one_line_error(run_cli("dnn frobnicate"), "unknown command 'frobnicate'; run 'greenmac dnn --help'");
  expect_one_line_error(run_cli(""), "no command given; run 'greenmac --help'");
  expect_one_line_error(run_cli("dnn"), "'greenmac dnn' needs a subcommand");
}

TEST(ParserErrors, HelpAndVersionStillPrintNormally) {
  for (const std::string args : {"--help", "verify --help", "dnn eval --help", "--version"}) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.rc, 0) << args << ": " << r.err;
    EXPECT_FALSE(r.out.empty()) << args;
    EXPECT_EQ(r.err, "") << args;
  }
}

TEST(SpecErrors, MalformedSpecsAreRefusedOnTheCommandLine) {
  const gm::ScratchDir scratch("gm-test-specs");
  const std::string out = (scratch.path() / "out").string();
  expect_one_line_error(run_cli("gen 'drum:k=4,,s=1' -o " + out), "empty field");
  expect_one_line_error(run_cli("gen 'drum: k = 4 , s = 1' -o " + out), "space");
  expect_one_line_error(run_cli("gen 'exact:w=008' -o " + out), "not a plain decimal number");
  expect_one_line_error(run_cli("metrics 'drum:k=+4'"), "not a plain decimal number");
  expect_one_line_error(run_cli("metrics 'drum:'"), "ends with ':'");
  expect_one_line_error(run_cli("metrics ':k=4'"), "no family");
  EXPECT_FALSE(fs::exists(out));
}

TEST(FileErrors, DistWeightsAreStrictlyDecimal) {
  const gm::ScratchDir scratch("gm-test-dist");
  const fs::path dist = scratch.path() / "ops.dist";
  for (const std::string weight : {"0x10", "inf", "nan", "1,5", "-1", "0x1p3", "1e"}) {
    SCOPED_TRACE(weight);
    gm::write_file_atomic(dist, "1 2 3\n2 3 " + weight + "\n");
    expect_one_line_error(run_cli("metrics exact:w=4 --dist '" + dist.string() + "'"), "weight '" + weight + "'");
  }
  // The decimal forms the docs promise are accepted.
  gm::write_file_atomic(dist, "1 2 3\n2 3 0.25\n3 3 1e-3\n4 4 .5\n5 5 2.\n");
  const auto ok = run_cli("metrics exact:w=4 --dist '" + dist.string() + "' --json");
  EXPECT_EQ(ok.rc, 0) << ok.err;
}

TEST(FileErrors, MessagesNameTheRealCauseAndTheRightOption) {
  const gm::ScratchDir scratch("gm-test-msgs");
  const fs::path dir = scratch.path();
  // export -o onto an existing directory: the directory is the cause, not "(Success)".
  const auto e = run_cli("export exact:w=4 --format lut-bin -o '" + dir.string() + "'");
  expect_one_line_error(e, "it is a directory");
  EXPECT_EQ(e.err.find("Success"), std::string::npos) << e.err;
  // dnn eval --trace-dir where a file is in the way: the advice names --trace-dir, not -o.
  gm::write_file_atomic(dir / "file", "x");
  const auto t = run_cli("dnn eval --images 5 --trace-dir '" + (dir / "file" / "sub").string() + "'");
  expect_one_line_error(t, "--trace-dir");
  EXPECT_EQ(t.err.find(" -o"), std::string::npos) << t.err;
  // --model with a directory or a device: not "does not exist".
  expect_one_line_error(run_cli("dnn eval --images 5 --model '" + dir.string() + "/'"), "is not a regular file");
  expect_one_line_error(run_cli("dnn eval --images 5 --model /dev/null"), "is not a regular file");
}

TEST(FileErrors, LibThatIsNotAFileIsNamedAsSuch) {
  if (!gm::have_tool("yosys") || !gm::have_tool("sta")) GTEST_SKIP() << "yosys or sta not installed";
  const gm::ScratchDir scratch("gm-test-lib");
  const auto r = run_cli("synth exact:w=4 --lib /dev/null -o '" + (scratch.path() / "out").string() + "'");
  expect_one_line_error(r, "'/dev/null' is not a regular file");
  EXPECT_EQ(r.err.find("does not exist"), std::string::npos) << r.err;
}

// A built-in name always means the built-in, whatever the working directory holds; a path must
// look like one (docs/spec-strings.md, "Names and paths").
TEST(NamesAndPaths, BuiltinModelNameIsNeverReadAsAFileInTheWorkingDirectory) {
  const gm::ScratchDir scratch("gm-test-names");
  const fs::path dir = scratch.path();
  gm::write_file_atomic(dir / "mlp", "not a model\n");
  fs::create_directories(dir / "cnn");
  // With the built-in model the command gets as far as the data directory.
  for (const std::string model : {"mlp", "cnn"})
    expect_one_line_error(run_in(dir, "dnn eval --model " + model + " --images 5 --data /nonexistent/d"),
                          "data directory '/nonexistent/d' does not exist");
  // The file is reached with a directory in its name.
  expect_one_line_error(run_in(dir, "dnn eval --model ./mlp --images 5 --data /nonexistent/d"), "malformed");
  // A bare word that is no built-in is refused, with the way to name a file.
  expect_one_line_error(run_in(dir, "dnn eval --model mlp2 --images 5"), "unknown --model 'mlp2'");
}

TEST(NamesAndPaths, TheRuleForEveryOption) {
  const gm::ScratchDir scratch("gm-test-rule");
  const fs::path dir = scratch.path();
  gm::write_file_atomic(dir / "x.lib", "library (x) { }\n");
  const gm::NameOrPath lib{"--lib", {"osu018"}, ".lib", "liberty file"};
  EXPECT_EQ(gm::builtin_or_path(lib, "osu018").value_or("path"), "osu018");
  EXPECT_FALSE(gm::builtin_or_path(lib, (dir / "x.lib").string()).has_value());
  EXPECT_THROW(gm::builtin_or_path(lib, "osu019"), gm::UserError);       // a typo, not a path
  EXPECT_THROW(gm::builtin_or_path(lib, "/dev/null"), gm::UserError);    // not a regular file
  EXPECT_THROW(gm::builtin_or_path(lib, (dir / "no.lib").string()), gm::UserError);
  const gm::NameOrPath act{"--activity", {"uniform"}, "", "activity file"};
  EXPECT_EQ(gm::builtin_or_path(act, "uniform").value_or("path"), "uniform");
  EXPECT_THROW(gm::builtin_or_path(act, "unifrom"), gm::UserError);
  // Run from a directory holding files named like the built-ins: still the built-ins.
  gm::write_file_atomic(dir / "osu018", "junk");
  gm::write_file_atomic(dir / "uniform", "junk");
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  const bool lib_builtin = gm::builtin_or_path(lib, "osu018").has_value();
  const bool act_builtin = gm::builtin_or_path(act, "uniform").has_value();
  bool osu_resolves = true;
  if (fs::exists("/usr/share/qflow/tech/osu018/osu018_stdcells.lib"))
    osu_resolves = gm::resolve_liberty("osu018") == "/usr/share/qflow/tech/osu018/osu018_stdcells.lib";
  fs::current_path(before);
  EXPECT_TRUE(lib_builtin);
  EXPECT_TRUE(act_builtin);
  EXPECT_TRUE(osu_resolves);
}

// A syntax error in a --rtl-dir file is the user's: one line naming the file and the line, exit 2,
// and no failed build left in the cache.
class RtlDirSyntaxError : public ::testing::Test {
 protected:
  void SetUp() override {
    spec_ = gm::parse_spec("exact:w=4");
    gm::write_designs({spec_}, rtl_.path());
    file_ = rtl_.path() / (spec_.name() + ".v");
    std::ifstream in(file_);
    std::ostringstream text;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      text << line << "\n";
      ++n;
      if (bad_line_ == 0 && line.rfind(");", 0) == 0) {  // the end of the port list
        text << "  this is not verilog;\n";
        bad_line_ = n + 1;
      }
    }
    ASSERT_GT(bad_line_, 0);
    gm::write_file_atomic(file_, text.str());
  }
  std::string env() const { return "GREENMAC_CACHE='" + cache_.path().string() + "' "; }
  bool no_build_left() const {
    for (const auto& e : fs::recursive_directory_iterator(cache_.path()))
      if (e.path().filename().string().rfind("build", 0) == 0) return false;
    return true;
  }
  std::string where() const { return file_.string() + ":" + std::to_string(bad_line_) + ": "; }
  gm::ScratchDir rtl_{"gm-test-rtl-syntax"}, cache_{"gm-test-rtl-cache"};
  gm::Spec spec_;
  fs::path file_;
  int bad_line_ = 0;
};

TEST_F(RtlDirSyntaxError, VerilatorNamesTheFileAndLine) {
  if (!gm::have_tool("verilator")) GTEST_SKIP() << "verilator not installed";
  const auto r = run_cli("verify exact:w=4 --rtl-dir '" + rtl_.path().string() + "'", env());
  expect_one_line_error(r, where());
  EXPECT_NE(r.err.find("(verilator)"), std::string::npos) << r.err;
  EXPECT_TRUE(no_build_left());
}

TEST_F(RtlDirSyntaxError, IcarusNamesTheFileAndLine) {
  if (!gm::have_tool("iverilog")) GTEST_SKIP() << "iverilog not installed";
  const auto r = run_cli("verify exact:w=4 --sim icarus --rtl-dir '" + rtl_.path().string() + "'", env());
  expect_one_line_error(r, where());
  EXPECT_NE(r.err.find("(iverilog)"), std::string::npos) << r.err;
}

TEST_F(RtlDirSyntaxError, ProveNamesTheFileAndLine) {
  if (!gm::have_tool("yosys")) GTEST_SKIP() << "yosys not installed";
  const auto r = run_cli("prove exact:w=4 --rtl-dir '" + rtl_.path().string() + "'", env());
  expect_one_line_error(r, where());
  EXPECT_NE(r.err.find("(yosys)"), std::string::npos) << r.err;
}
