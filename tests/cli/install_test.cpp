// An installed greenmac works on its own, wherever its prefix is moved (cmake/install.cmake,
// models/install_layout.hpp).
//
// Install.GenVerifySynthAndDnnEvalRunFromAMovedPrefix proves:
//   - `cmake --install` puts the binary, the harness sources, the models' headers and library, the
//     synthesis scripts and the weights under the prefix, and no model source (.cpp) with them;
//   - the installed binary holds neither the source tree's path nor the build tree's nor the prefix
//     it was installed to (so it cannot find its files through them): its bytes are searched;
//   - after the prefix is copied elsewhere and the original removed, the copy runs gen, verify
//     (exhaustive: a Verilator harness compiled from the installed tb/ and models/ files and linked
//     with the installed library), synth and dnn eval, from a working directory outside both trees,
//     with an empty cache so that nothing comes from earlier runs; and its results equal the build
//     tree's.
// By default it installs the build tree the tests run from, which stays in place (the tests run
// from it). With GM_FULL_INSTALL_TEST=1 set it does what the issue asks literally: configures and
// builds greenmac afresh in a temporary directory, installs it, and deletes that build tree before
// running anything (several minutes).
//
// Install.ABinaryWithoutItsDataFilesSaysSoInOneLine: the binary copied alone refuses, in one line
// and with exit 2, every command that needs its data files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/files.hpp"
#include "tb/process.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace {

namespace fs = std::filesystem;
using gm::test::CliResult;
using gm::test::run_binary;
using gm::test::run_cli;

// Runs cmake with these arguments; fails the test with cmake's output when it fails.
void run_cmake(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {GM_CMAKE};
  argv.insert(argv.end(), args.begin(), args.end());
  const gm::RunResult r = gm::run_program(argv);
  ASSERT_TRUE(r.ok()) << "cmake failed:\n" << r.output;
}

bool file_contains(const fs::path& file, const std::string& needle) {
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes.find(needle) != std::string::npos;
}

nlohmann::json json_of(const CliResult& r) {
  EXPECT_EQ(r.rc, 0) << r.err;
  return nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
}

// A greenmac build tree to install: the tests' own, or (GM_FULL_INSTALL_TEST) a fresh one under
// `root`, which the caller deletes once installed.
fs::path build_tree_to_install(const fs::path& root) {
  const char* full = std::getenv("GM_FULL_INSTALL_TEST");
  if (!full || !*full) return GM_BUILD_DIR;
  const fs::path build = root / "build";
  run_cmake({"-S", GM_SOURCE_DIR, "-B", build.string(), "-DCMAKE_BUILD_TYPE=Release",
             "-DCMAKE_DISABLE_FIND_PACKAGE_Torch=ON"});
  run_cmake({"--build", build.string(), "--target", "greenmac", "-j", "2"});
  return build;
}

TEST(Install, GenVerifySynthAndDnnEvalRunFromAMovedPrefix) {
  if (!gm::test::tools_present({"verilator", "make", "c++"}) || !gm::test::synth_tools_present())
    GTEST_SKIP() << "verilator, make, c++, yosys, sta or the osu018 library is missing";
  const fs::path root = gm::test::temp_dir("gm-install-test");
  const fs::path installed = root / "installed", moved = root / "elsewhere" / "greenmac";

  const fs::path build = build_tree_to_install(root);
  if (HasFatalFailure()) return;
  run_cmake({"--install", build.string(), "--prefix", installed.string()});
  if (HasFatalFailure()) return;
  if (build != fs::path(GM_BUILD_DIR)) fs::remove_all(build);

  // What the prefix holds.
  for (const char* f : {"bin/greenmac", "lib/greenmac/libgm_models.a", "share/greenmac/tb/harness/verify_main.cpp",
                        "share/greenmac/tb/harness/array_main.cpp", "share/greenmac/models/spec.hpp",
                        "share/greenmac/models/families/ext.hpp", "share/greenmac/synth/scripts/map.ys",
                        "share/greenmac/models/dnn/weights/cnn.json", "share/greenmac/models/dnn/weights/mlp.json"})
    EXPECT_TRUE(fs::is_regular_file(installed / f)) << f << " is not installed";
  EXPECT_TRUE(fs::is_directory(installed / "share/greenmac/rtl"));
  // Every file greenmac reads at run time from these folders (rtl/ Verilog, the harness sources and
  // benches, the scripts, tb/'s headers), as the source tree has them now.
  const fs::path src(GM_SOURCE_DIR);
  for (const char* folder : {"rtl", "tb", "tb/harness", "synth/scripts"})
    for (const auto& e : fs::directory_iterator(src / folder)) {
      const std::string ext = e.path().extension().string();
      const bool read_at_run_time = std::string(folder) == "rtl" ? ext == ".v" : std::string(folder) == "tb" ? ext == ".hpp" : true;
      if (e.is_regular_file() && read_at_run_time) {
        EXPECT_TRUE(fs::is_regular_file(installed / "share/greenmac" / fs::relative(e.path(), src)))
            << fs::relative(e.path(), src) << " is not installed";
      }
    }
  for (const auto& e : fs::recursive_directory_iterator(installed / "share/greenmac/models"))
    EXPECT_NE(e.path().extension(), ".cpp") << e.path() << ": model sources are not installed, only headers";

  // No path to the trees it came from, nor to where it was installed.
  for (const std::string& path : {std::string(GM_SOURCE_DIR), build.string(), installed.string()})
    EXPECT_FALSE(file_contains(installed / "bin/greenmac", path)) << "the installed greenmac holds the path " << path;

  // Relocation: the copy runs, the original is gone.
  fs::create_directories(moved.parent_path());
  fs::copy(installed, moved, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  fs::remove_all(installed);
  const fs::path greenmac = moved / "bin" / "greenmac";
  const fs::path work = root / "work";
  fs::create_directories(work);
  const std::string env = "GREENMAC_CACHE='" + (root / "cache").string() + "' ";
  auto run = [&](const std::string& args) { return run_binary(greenmac, args, env, work); };

  // gen: the same Verilog as the build tree's greenmac.
  const std::string spec = "'drum:k=4,s=1'";
  ASSERT_EQ(run("gen " + spec + " -o rtl").rc, 0);
  ASSERT_EQ(run_cli("gen " + spec + " -o '" + (root / "reference-rtl").string() + "'").rc, 0);
  const std::string module = "gm_drum_s8_k4.v";
  ASSERT_TRUE(fs::is_regular_file(work / "rtl" / module));
  EXPECT_EQ(gm::read_file(work / "rtl" / module), gm::read_file(root / "reference-rtl" / module));

  // verify: every one of the 65,536 operand pairs through the Verilated design, no mismatch.
  const auto verified = json_of(run("verify --rtl-dir rtl " + spec + " --sim verilator --json"));
  ASSERT_TRUE(verified.is_array() && verified.size() == 1) << verified;
  EXPECT_EQ(verified[0].value("pairs", 0), 65536);
  EXPECT_EQ(verified[0].value("mismatches", -1), 0);
  EXPECT_TRUE(verified[0].value("exhaustive", false));
  EXPECT_TRUE(verified[0].value("pass", false));

  // synth: really run (empty cache), the netlist matches the model, the numbers equal the build tree's.
  const std::string synth = "synth 'exact:w=4,s=1' --cycles 200 --json";
  const auto ours = json_of(run(synth)), theirs = json_of(run_cli(synth));
  ASSERT_TRUE(ours.is_array() && ours.size() == 1 && theirs.is_array() && theirs.size() == 1) << ours << theirs;
  EXPECT_FALSE(ours[0].value("cached", true));
  EXPECT_TRUE(ours[0].value("netlist_matches_model", false));
  for (const char* field : {"area_um2", "cell_count", "delay_ns", "power_mw", "power_vectorless_mw"})
    EXPECT_EQ(ours[0].at(field), theirs[0].at(field)) << field;

  // dnn eval: the shipped weights, the same accuracies as the build tree's (the exact multiplier's
  // row, then drum's).
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST is missing: dnn eval not run";
  const std::string eval = "dnn eval --images 100 --mul 'drum:k=4,s=1' --json";
  const auto acc = json_of(run(eval)), ref = json_of(run_cli(eval));
  ASSERT_TRUE(acc.is_array() && acc.size() == 2 && ref.is_array() && ref.size() == 2) << acc << ref;
  for (size_t i = 0; i < acc.size(); ++i) {
    EXPECT_EQ(acc[i].value("images", 0), 100);
    EXPECT_EQ(acc[i].at("spec"), ref[i].at("spec"));
    EXPECT_EQ(acc[i].at("accuracy"), ref[i].at("accuracy")) << acc[i].at("spec");
    EXPECT_EQ(acc[i].at("agreement_with_exact"), ref[i].at("agreement_with_exact")) << acc[i].at("spec");
  }
  EXPECT_EQ(acc[1].at("spec"), "drum:k=4,s=1,w=8");
  if (!HasFailure()) fs::remove_all(root);  // a failed run keeps its prefix for inspection
}

TEST(Install, ABinaryWithoutItsDataFilesSaysSoInOneLine) {
  const fs::path root = gm::test::temp_dir("gm-lone-binary");
  fs::create_directories(root / "bin");
  fs::copy_file(GM_BINARY, root / "bin" / "greenmac");
  std::vector<std::string> needing_data = {"dnn eval --images 5"};  // the weights
  if (gm::test::synth_tools_present()) needing_data.push_back("synth 'exact:w=4,s=1'");  // the scripts
  if (gm::test::tools_present({"verilator"})) needing_data.push_back("verify 'exact:w=4,s=1' --sim verilator");  // the harness
  for (const std::string& args : needing_data)
    gm::test::expect_one_line_error(run_binary(root / "bin" / "greenmac", args, "", root), "share/greenmac");
  // Commands that need no data file still work.
  EXPECT_EQ(run_binary(root / "bin" / "greenmac", "gen 'exact:w=4,s=1' -o rtl", "", root).rc, 0);
  if (!HasFailure()) fs::remove_all(root);
}

}  // namespace
