// Where greenmac keeps results that are expensive to recompute (harness builds, synthesis runs,
// truth tables of external designs), and the content hash that keys them.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

namespace gm {

// $GREENMAC_CACHE, else $XDG_CACHE_HOME/greenmac, else ~/.cache/greenmac.
inline std::filesystem::path cache_dir() {
  namespace fs = std::filesystem;
  if (const char* c = std::getenv("GREENMAC_CACHE"); c && *c) return c;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "greenmac";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "greenmac";
  return fs::temp_directory_path() / "greenmac-cache";
}

// 64-bit FNV-1a; `h` chains several pieces.
inline uint64_t fnv1a(const std::string& text, uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

inline std::string hex64(uint64_t v) {
  std::ostringstream os;
  os << std::hex << v;
  return os.str();
}

}  // namespace gm
