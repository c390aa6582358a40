// A private cache for one test of the caches themselves (tests/models/cache/): GREENMAC_CACHE points
// at a fresh scratch directory while the object lives, so entries made and damaged there are the
// test's own, never another test's.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "models/scratch.hpp"

namespace gm::test {

// Points GREENMAC_CACHE at a fresh directory for one test and restores it afterwards.
class PrivateCache {
 public:
  PrivateCache() : dir_("gm-cache-test") {
    if (const char* c = std::getenv("GREENMAC_CACHE")) old_ = c;
    setenv("GREENMAC_CACHE", (dir_ / "cache").c_str(), 1);
  }
  ~PrivateCache() {
    if (old_)
      setenv("GREENMAC_CACHE", old_->c_str(), 1);
    else
      unsetenv("GREENMAC_CACHE");
  }
  std::filesystem::path root() const { return dir_ / "cache"; }
  std::filesystem::path scratch() const { return dir_.path(); }

 private:
  ScratchDir dir_;
  std::optional<std::string> old_;
};

// Writes `text` to `p` as it is (no atomic rename: the tests damage entries on purpose).
inline void write_text(const std::filesystem::path& p, const std::string& text, bool executable = false) {
  namespace fs = std::filesystem;
  std::ofstream(p, std::ios::binary) << text;
  if (executable) fs::permissions(p, fs::perms::owner_all, fs::perm_options::add);
}

}  // namespace gm::test
