// Cache keys that name everything an entry depends on, so that a cache can never serve a result
// computed from other inputs: the input texts, the scripts and libraries as read at run time, every
// setting, the versions of the external tools, and greenmac's own build (kBuildId, a hash of its
// sources and build settings, which changes with any code change).
//
//   CacheKey k;
//   k.add("rtl", verilog).add_file("liberty", lib_path).add_tool_version("yosys").add_build_id();
//   const std::string name = k.hex();
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace gm {

// SHA-256 (OpenSSL) of a text or of a file's bytes, as 64 lower-case hex digits. sha256_file
// throws std::runtime_error when the file cannot be read.
std::string sha256_hex(std::string_view data);
std::string sha256_file(const std::filesystem::path& p);

class CacheKey {
 public:
  // Each ingredient goes in as its name and the hash of its value, so that no two different
  // lists of ingredients can run together into the same text.
  CacheKey& add(std::string_view name, std::string_view value);
  CacheKey& add_file(std::string_view name, const std::filesystem::path& p);
  // Tool versions are ingredients too: add_tool_versions (tb/tool_version.hpp) runs the tools.
  // greenmac's own build: kBuildId (models/cache/build_id.hpp).
  CacheKey& add_build_id();
  // The key: SHA-256 of the ingredient list, 64 hex digits.
  std::string hex() const;
  // The ingredient list itself (names and value hashes), for debugging and the cache docs.
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace gm
