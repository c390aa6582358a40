#include "tb/tool_version.hpp"

#include <map>
#include <mutex>

#include "tb/process.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

std::vector<std::string> version_argv(const std::string& tool) {
  const std::string base = fs::path(tool).filename().string();
  if (base == "yosys" || base == "iverilog") return {tool, "-V"};
  if (base == "sta") return {tool, "-version"};
  return {tool, "--version"};
}

}  // namespace

std::string tool_version(const std::string& tool) {
  static std::mutex mu;
  static std::map<std::string, std::string> memo;  // by resolved path: a different tool earlier on PATH is another entry
  const auto where = tool.find('/') == std::string::npos ? find_on_path(tool) : std::optional<fs::path>(tool);
  const std::string id = where ? where->string() : tool;
  {
    std::lock_guard lock(mu);
    if (const auto it = memo.find(id); it != memo.end()) return it->second;
  }
  std::string v;
  if (!where) {
    v = tool + ": not found";
  } else {
    const RunResult r = run_program(version_argv(where->string()), {.timeout_s = 60});
    v = r.output + "\nexit " + std::to_string(r.exit_code);
  }
  std::lock_guard lock(mu);
  return memo.emplace(id, v).first->second;
}

CacheKey& add_tool_versions(CacheKey& key, std::initializer_list<std::string> tools) {
  for (const std::string& tool : tools) key.add("tool " + tool, tool_version(tool));
  return key;
}

}  // namespace gm
