// The folders are libraries that depend only downward (models <- generator <- tb <- synth <- cli):
// each library's include path reaches its own folder and the folders below it, and nothing else.
// This compiles a one-line file that includes a header of each folder with the include path of
// each library, taken from the build's compile_commands.json for one of the library's own compile
// commands (a source file's, or a unity group's with GM_UNITY), and expects it to compile exactly
// when the header's folder is at or below the library's.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "models/files.hpp"
#include "models/scratch.hpp"
#include "tb/process.hpp"

namespace {

struct Library {
  std::string name;
  int level;
  std::vector<std::string> include_flags = {};
};

// The folders in flow order, each with one header that exists in it.
const std::vector<std::pair<std::string, std::string>> kFolders = {
    {"models", "models/spec.hpp"}, {"generator", "generator/registry.hpp"}, {"tb", "tb/process.hpp"},
    {"synth", "synth/liberty.hpp"}, {"cli", "cli/command.hpp"}};

// The -I flags of the first compile command in compile_commands.json that builds an object of
// `target` (its objects are CMakeFiles/<target>.dir/...).
std::vector<std::string> include_flags_of(const nlohmann::json& commands, const std::string& target) {
  const std::string object_dir = "CMakeFiles/" + target + ".dir/";
  for (const auto& entry : commands) {
    if (entry["command"].get<std::string>().find(object_dir) == std::string::npos) continue;
    std::vector<std::string> flags;
    std::istringstream words(entry["command"].get<std::string>());
    for (std::string word; words >> word;)
      if (word.rfind("-I", 0) == 0) flags.push_back(word);
    return flags;
  }
  ADD_FAILURE() << "no object of " << target << " in compile_commands.json";
  return {};
}

bool compiles(const Library& lib, const std::string& header, const std::filesystem::path& dir) {
  const auto file = dir / "probe.cpp";
  gm::write_file_atomic(file, "#include \"" + header + "\"\n");
  std::vector<std::string> argv = {GM_CXX, "-std=c++20", "-fsyntax-only", "-DGM_VERSION=\"test\""};
  argv.insert(argv.end(), lib.include_flags.begin(), lib.include_flags.end());
  argv.push_back(file.string());
  const gm::RunResult r = gm::run_program(argv);
  if (!r.ok() && r.output.find("No such file") == std::string::npos)
    ADD_FAILURE() << "probe failed for another reason than a missing header: " << r.output;
  return r.ok();
}

TEST(Layering, EachLibrarySeesOnlyItsFolderAndTheFoldersBelow) {
  if (!gm::have_tool(GM_CXX)) GTEST_SKIP() << GM_CXX << " not found";
  const auto commands = nlohmann::json::parse(gm::read_file(GM_COMPILE_COMMANDS));
  std::vector<Library> libs = {{"gm_models", 0}, {"gm_generator", 1}, {"gm_tb", 2}, {"gm_synth", 3}, {"gm_cli", 4}};
  for (Library& lib : libs) {
    lib.include_flags = include_flags_of(commands, lib.name);
    ASSERT_FALSE(lib.include_flags.empty()) << lib.name;
  }
  gm::ScratchDir dir("gm-layering");
  for (const Library& lib : libs)
    for (size_t level = 0; level < kFolders.size(); ++level) {
      const bool allowed = static_cast<int>(level) <= lib.level;
      EXPECT_EQ(compiles(lib, kFolders[level].second, dir.path()), allowed)
          << lib.name << " including " << kFolders[level].second << (allowed ? " should compile" : " should not compile");
    }
}

}  // namespace
