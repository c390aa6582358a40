// The one Verilator harness build (tb/harness_build.hpp) that verify and the array runner share:
// its command line says what each harness needs and nothing else, and its key follows every file.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "models/install_layout.hpp"
#include "tb/harness_build.hpp"
#include "tb/process.hpp"

namespace gm {
namespace {

HarnessBuild example(bool link_models) {
  HarnessBuild b{.kind = "unit", .what = "test harness", .main_cpp = "tb/harness/verify_main.cpp", .top = "gm_vtop",
                 .binary = "gm_vsim", .link_models = link_models};
  b.files = {{"gm_vtop.v", "module gm_vtop; endmodule\n"}, {"table.hex", "00\n"}};
  return b;
}

// The value after each occurrence of `flag` in argv.
std::vector<std::string> values_of(const std::vector<std::string>& argv, const std::string& flag) {
  std::vector<std::string> out;
  for (size_t k = 0; k + 1 < argv.size(); ++k)
    if (argv[k] == flag) out.push_back(argv[k + 1]);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

TEST(HarnessBuildArgv, SourcesFlagsAndLibraryAsAsked) {
  HarnessBuild b = example(true);
  b.defines = {"-DGM_ROWS=2"};
  b.opt_level = 2;
  const auto argv = b.argv();
  EXPECT_EQ(values_of(argv, "--top-module"), std::vector<std::string>{"gm_vtop"});
  EXPECT_TRUE(values_of(argv, "--prefix").empty());
  EXPECT_EQ(values_of(argv, "-o"), std::vector<std::string>{"gm_vsim"});
  EXPECT_TRUE(has(argv, "gm_vtop.v"));
  EXPECT_FALSE(has(argv, "table.hex"));  // only Verilog is a source; the rest is data for the harness
  EXPECT_TRUE(has(argv, data_file("tb/harness/verify_main.cpp").string()));
  const auto cflags = values_of(argv, "-CFLAGS");
  EXPECT_TRUE(has(cflags, "-std=c++20"));
  EXPECT_TRUE(has(cflags, "-I" + data_dir().string()));
  EXPECT_TRUE(has(cflags, "-DGM_ROWS=2"));
  EXPECT_EQ(values_of(argv, "-MAKEFLAGS"), (std::vector<std::string>{"OPT_FAST=-O2", "OPT_SLOW=-O1", "OPT_GLOBAL=-O2"}));
  EXPECT_TRUE(has(values_of(argv, "-LDFLAGS"), models_library().string()));

  b.link_models = false;
  b.prefix = "Vgm_array";
  const auto plain = b.argv();
  EXPECT_TRUE(values_of(plain, "-LDFLAGS").empty());
  EXPECT_EQ(values_of(plain, "--prefix"), std::vector<std::string>{"Vgm_array"});
}

// A .vlt file is a Verilator configuration (the gate-level array's hier_block list): given on the
// command line before the sources, with the extra flags (--hierarchical) before -Mdir.
TEST(HarnessBuildArgv, ConfigFilesBeforeSourcesAndExtraFlags) {
  HarnessBuild b = example(false);
  b.files.push_back({"blocks.vlt", "`verilator_config\nhier_block -module \"m\"\n"});
  b.verilator_flags = {"--hierarchical"};
  const auto argv = b.argv();
  const auto at = [&](const std::string& x) { return std::find(argv.begin(), argv.end(), x) - argv.begin(); };
  ASSERT_TRUE(has(argv, "blocks.vlt"));
  ASSERT_TRUE(has(argv, "--hierarchical"));
  EXPECT_LT(at("blocks.vlt"), at("gm_vtop.v"));
  EXPECT_LT(at("--hierarchical"), at("-Mdir"));
  EXPECT_FALSE(has(example(false).argv(), "--hierarchical"));
}

// A profile-guided build compiles twice: instrumented (compile and link), then with the profile.
TEST(HarnessBuildArgv, ProfileStagesAddTheCompilersProfileFlags) {
  const HarnessBuild b = example(false);
  const auto plain = values_of(b.argv(), "-CFLAGS"), gen = values_of(b.argv(ProfileStage::kGenerate), "-CFLAGS"),
             use = values_of(b.argv(ProfileStage::kUse), "-CFLAGS");
  for (const auto* flags : {&plain, &use}) EXPECT_FALSE(has(*flags, "-fprofile-generate"));
  for (const auto* flags : {&plain, &gen}) EXPECT_FALSE(has(*flags, "-fprofile-use"));
  EXPECT_TRUE(has(gen, "-fprofile-generate"));
  EXPECT_TRUE(has(values_of(b.argv(ProfileStage::kGenerate), "-LDFLAGS"), "-fprofile-generate"));
  EXPECT_TRUE(has(use, "-fprofile-use"));
  EXPECT_TRUE(values_of(b.argv(ProfileStage::kUse), "-LDFLAGS").empty());
}

// Profile-guided only with a training run, and never for hierarchical builds (their hier blocks
// are compiled by makefiles of their own).
TEST(HarnessBuildKey, TrainingMakesTheBuildProfileGuidedAndIsAnIngredient) {
  if (!have_tool("verilator")) GTEST_SKIP() << "verilator is missing";
  HarnessBuild b = example(false);
  EXPECT_FALSE(b.profile_guided());
  const std::string plain = b.key();
  b.training = HarnessTraining{.files = {{"job.bin", "1"}}, .args = {"job.bin", "out.bin"}};
  EXPECT_TRUE(b.profile_guided());
  const std::string trained = b.key();
  EXPECT_NE(trained, plain);
  b.training->files[0].text = "2";
  EXPECT_NE(b.key(), trained);
  b.verilator_flags = {"--hierarchical"};
  EXPECT_FALSE(b.profile_guided());
}

TEST(HarnessBuildKey, EveryFileAndSettingIsAnIngredient) {
  if (!have_tool("verilator")) GTEST_SKIP() << "verilator is missing";
  const HarnessBuild base = example(true);
  const std::string key = base.key();
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(key, example(true).key());
  HarnessBuild other = example(true);
  other.files[1].text = "01\n";  // a data file, not a source: still part of what the entry is
  EXPECT_NE(other.key(), key);
  EXPECT_NE(example(false).key(), key);  // the command line and the models library
  other = example(true);
  other.opt_level = 2;
  EXPECT_NE(other.key(), key);
}

}  // namespace
}  // namespace gm
