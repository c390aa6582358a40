// Every hand-written Verilog file in greenmac's rtl/ folder lints clean on its own: Verilator
// -Wall, Icarus -g2005 and Yosys check -assert (tb/lint.hpp), each file together with only the rtl/
// files whose modules it instantiates. The array's modules are also linted under the parameter
// values the generator gives them, through generated arrays (tests/generator/array/array_test.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "models/files.hpp"
#include "models/install_layout.hpp"
#include "tb/lint.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

bool lint_tools() { return have_tool("verilator") && have_tool("iverilog") && have_tool("yosys"); }

// module name -> file, for every rtl/*.v
std::map<std::string, fs::path> rtl_modules() {
  std::map<std::string, fs::path> out;
  static const std::regex module_re(R"((^|\n)\s*module\s+([A-Za-z_][A-Za-z0-9_]*))");
  for (const auto& e : fs::directory_iterator(data_dir() / "rtl")) {
    if (e.path().extension() != ".v") continue;
    const std::string text = read_file(e.path());
    std::smatch m;
    if (std::regex_search(text, m, module_re)) out[m[2]] = e.path();  // one module per file
  }
  return out;
}

// The file and, transitively, the rtl/ files whose modules it instantiates (`NAME #(` or `NAME u_`).
std::vector<fs::path> with_dependencies(const fs::path& file, const std::map<std::string, fs::path>& modules) {
  std::set<fs::path> seen = {file};
  std::vector<fs::path> todo = {file}, out;
  while (!todo.empty()) {
    const fs::path f = todo.back();
    todo.pop_back();
    out.push_back(f);
    const std::string text = read_file(f);
    for (const auto& [name, path] : modules)
      if (std::regex_search(text, std::regex("\\b" + name + R"(\s+(#|u_|i_))")) && seen.insert(path).second)
        todo.push_back(path);
  }
  return out;
}

TEST(RtlLint, EveryFileLintsCleanOnItsOwn) {
  if (!lint_tools()) GTEST_SKIP() << "verilator, iverilog or yosys is missing";
  const auto modules = rtl_modules();
  // The array's modules at least; files other parts of greenmac add to rtl/ are linted too.
  for (const char* name : {"gm_array_ctrl", "gm_array_skew", "gm_array_pe", "gm_array_deskew", "gm_array_delay"})
    EXPECT_TRUE(modules.count(name)) << name << " is not in " << (data_dir() / "rtl");
  for (const auto& [name, path] : modules) {
    const auto files = with_dependencies(path, modules);
    for (const auto& r : lint_files(files))
      EXPECT_TRUE(r.clean) << path.filename() << " (with " << files.size() - 1 << " dependencies) " << r.tool
                           << ":\n" << r.log;
  }
}

// The dependency scan finds the delay line under the control, so a file is never linted without a
// module it needs (the lint above would then fail for the wrong reason).
TEST(RtlLint, DependenciesAreFound) {
  const auto modules = rtl_modules();
  ASSERT_TRUE(modules.count("gm_array_ctrl") && modules.count("gm_array_delay"));
  const auto deps = with_dependencies(modules.at("gm_array_ctrl"), modules);
  EXPECT_NE(std::find(deps.begin(), deps.end(), modules.at("gm_array_delay")), deps.end());
  EXPECT_EQ(with_dependencies(modules.at("gm_array_pe"), modules).size(), 1u);
}

}  // namespace
}  // namespace gm
