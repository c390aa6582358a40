// A private cache for one test of the caches themselves (tests/models/cache/): GREENMAC_CACHE points
// at a fresh scratch directory (or a given one) while the object lives, so entries made and damaged
// there are the test's own, never another test's.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "models/scratch.hpp"

namespace gm::test {

// Points GREENMAC_CACHE at `root` while it lives (forked children inherit it), then restores what
// it was.
class CacheEnvAt {
 public:
  explicit CacheEnvAt(const std::filesystem::path& root) {
    if (const char* c = std::getenv("GREENMAC_CACHE")) old_ = c;
    setenv("GREENMAC_CACHE", root.c_str(), 1);
  }
  ~CacheEnvAt() {
    if (old_)
      setenv("GREENMAC_CACHE", old_->c_str(), 1);
    else
      unsetenv("GREENMAC_CACHE");
  }
  CacheEnvAt(const CacheEnvAt&) = delete;
  CacheEnvAt& operator=(const CacheEnvAt&) = delete;

 private:
  std::optional<std::string> old_;
};

// Points GREENMAC_CACHE at a fresh directory for one test and restores it afterwards.
class PrivateCache {
 public:
  PrivateCache() : dir_("gm-cache-test"), env_(dir_ / "cache") {}
  std::filesystem::path root() const { return dir_ / "cache"; }
  std::filesystem::path scratch() const { return dir_.path(); }

 private:
  ScratchDir dir_;
  CacheEnvAt env_;
};

// Writes `text` to `p` as it is (no atomic rename: the tests damage entries on purpose).
inline void write_text(const std::filesystem::path& p, const std::string& text, bool executable = false) {
  namespace fs = std::filesystem;
  std::ofstream(p, std::ios::binary) << text;
  if (executable) fs::permissions(p, fs::perms::owner_all, fs::perm_options::add);
}

}  // namespace gm::test
