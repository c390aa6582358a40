// The versions of the external programs a cached result depends on, for cache keys.
#pragma once

#include <initializer_list>
#include <string>

#include "models/cache/cache_key.hpp"

namespace gm {

// What `tool` prints for its version flag (yosys -V, sta -version, verilator --version,
// iverilog -V, anything else --version), with its exit status; run once per tool per process.
// A missing tool gives a fixed "not found" text, so a key can still be built.
std::string tool_version(const std::string& tool);

// Adds "tool <name>" with tool_version(name) for each tool; returns `key`.
CacheKey& add_tool_versions(CacheKey& key, std::initializer_list<std::string> tools);

}  // namespace gm
