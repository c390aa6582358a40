// One kind of cache entry (harness builds, synthesis runs...): a directory
// cache_dir()/<kind>/<key> holding the entry's files and a manifest, gm-manifest.json, with the
// SHA-256 of every file. The lookup and the atomic publication live here once for every cache.
//
// A lookup trusts an entry only when every file the manifest lists is there with its checksum; a
// damaged, edited or half-written entry is moved out of the way and removed, and the caller
// recomputes it. An entry is built in a ScratchDir beside the entries and renamed into place, so
// readers never see a partial entry; when two processes publish the same key, the first one wins
// and the other's copy is discarded.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "models/scratch.hpp"

namespace gm {

class CacheStore {
 public:
  explicit CacheStore(std::string kind);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path entry(const std::string& key) const { return root_ / key; }

  // The entry's directory when it is present and intact; otherwise removes whatever is there and
  // returns nothing.
  std::optional<std::filesystem::path> get(const std::string& key) const;

  // Writes the manifest of `work`'s files, renames `work` into the entry and returns the entry. If
  // another process published the key first, its entry is kept and `work` is left to be removed.
  std::filesystem::path put(const std::string& key, ScratchDir& work) const;

  // Removes an entry (e.g. a harness that was intact but failed to run), atomically for readers.
  void remove(const std::string& key) const;

  static constexpr const char* kManifest = "gm-manifest.json";

 private:
  std::filesystem::path root_;
};

}  // namespace gm
