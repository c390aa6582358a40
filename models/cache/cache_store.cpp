#include "models/cache/cache_store.hpp"

#include <nlohmann/json.hpp>

#include "models/cache/cache_key.hpp"
#include "models/files.hpp"
#include "models/cache/cache_dir.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

// name (relative to dir) -> SHA-256, for every regular file but the manifest.
std::map<std::string, std::string> checksums(const fs::path& dir) {
  std::map<std::string, std::string> sums;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), dir).string();
    if (rel != CacheStore::kManifest) sums[rel] = sha256_file(e.path());
  }
  return sums;
}

bool intact(const fs::path& dir, const std::string& key) {
  try {
    const auto j = nlohmann::json::parse(read_file(dir / CacheStore::kManifest));
    if (j.at("key").get<std::string>() != key) return false;
    const auto listed = j.at("files").get<std::map<std::string, std::string>>();
    return !listed.empty() && listed == checksums(dir);
  } catch (const std::exception&) {
    return false;  // no manifest, a malformed one, or an unreadable file
  }
}

}  // namespace

CacheStore::CacheStore(std::string kind) : root_(cache_dir() / kind) {}

std::optional<fs::path> CacheStore::get(const std::string& key) const {
  const fs::path dir = entry(key);
  std::error_code ec;
  if (!fs::exists(dir, ec)) return std::nullopt;
  if (intact(dir, key)) return dir;
  remove(key);
  return std::nullopt;
}

fs::path CacheStore::put(const std::string& key, ScratchDir& work) const {
  nlohmann::json j{{"key", key}, {"files", checksums(work.path())}};
  write_file_atomic(work / kManifest, j.dump(2) + "\n");
  const fs::path dir = entry(key);
  std::error_code ec;
  fs::rename(work.path(), dir, ec);  // fails when a concurrent publisher's entry is already there
  if (!ec) work.keep();
  return dir;
}

fs::path CacheStore::make(const std::string& key, const std::function<void(const fs::path&)>& fill,
                         const std::string& stem) const {
  ScratchDir work(stem, root_);  // beside the entries, so that put()'s rename stays on one file system
  fill(work.path());
  return put(key, work);
}

CacheStore::Served CacheStore::get_or_make(const std::string& key, const std::function<bool(const fs::path&)>& usable,
                                           const std::function<void(const fs::path&)>& fill) const {
  if (const auto dir = get(key)) {
    bool ok = false;
    try {
      ok = usable(*dir);
    } catch (const std::exception&) {
      ok = false;
    }
    if (ok) return {*dir, true};
    remove(key);
  }
  return {make(key, fill), false};
}

void CacheStore::remove(const std::string& key) const {
  // Renamed first, so that a reader sees the whole entry or none of it.
  ScratchDir trash("trash", root_);
  std::error_code ec;
  fs::rename(entry(key), trash / "entry", ec);
}

}  // namespace gm
