// One kind of cache entry (harness builds, synthesis runs, truth tables): a directory
// cache_dir()/<kind>/<key> holding the entry's files and a manifest, gm-manifest.json, with the
// SHA-256 of every file. The lookup and the atomic publication live here once for every cache;
// every cache of greenmac goes through this class (docs/cache.md).
//
//   const CacheStore store("synth");
//   const auto e = store.get_or_make(key, [&](const fs::path& dir) { return read_record(dir); },
//                                         [&](const fs::path& dir) { compute_into(dir); });
//   // e.dir: the entry; e.cached: served from the cache rather than computed now
//
// A lookup trusts an entry only when every file the manifest lists is there with its checksum; a
// damaged, edited or half-written entry is moved out of the way and removed, and the caller
// recomputes it. An entry is built in a ScratchDir beside the entries and renamed into place, so
// readers never see a partial entry; when two processes publish the same key, the first one wins
// and the other's copy is discarded.
#pragma once

#include <filesystem>
#include <functional>
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

  // Computes and publishes an entry: `fill` writes the entry's files into a fresh scratch directory
  // <stem>-XXXXXX beside the entries, which put() then publishes. Returns the entry (the first
  // publisher's). When `fill` throws, nothing is published and the scratch directory is removed.
  std::filesystem::path make(const std::string& key, const std::function<void(const std::filesystem::path&)>& fill,
                             const std::string& stem = "work") const;

  // get(), then `usable(dir)` on a hit (a record must also parse); an entry that is intact but not
  // usable (written by an incompatible build), or whose check throws, is removed. On a miss, make().
  struct Served {
    std::filesystem::path dir;
    bool cached = false;  // true: served from the cache; false: computed now by `fill`
  };
  Served get_or_make(const std::string& key, const std::function<bool(const std::filesystem::path&)>& usable,
                     const std::function<void(const std::filesystem::path&)>& fill) const;

  // Removes an entry (e.g. a harness that was intact but failed to run), atomically for readers.
  void remove(const std::string& key) const;

  static constexpr const char* kManifest = "gm-manifest.json";

 private:
  std::filesystem::path root_;
};

}  // namespace gm
