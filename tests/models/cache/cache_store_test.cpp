// The cache store itself (models/cache/cache_store.hpp), no tool run: only intact entries are
// served, the first publisher wins, and get_or_make computes once and recomputes what it cannot use.
// The keys and the caches of harnesses, tables and syntheses are in cache_test.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "models/cache/cache_store.hpp"
#include "models/files.hpp"
#include "tests/support/private_cache.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

using test::PrivateCache;
using test::write_text;

TEST(CacheStore, ServesOnlyIntactEntries) {
  PrivateCache cache;
  const CacheStore store("unit");
  EXPECT_FALSE(store.get("k1"));
  {
    ScratchDir work("work", store.root());
    write_text(work / "result.json", "{\"area_um2\": 100}");
    write_text(work / "bin", std::string("\x7f" "ELF\0\1\2", 7));
    EXPECT_EQ(store.put("k1", work), store.entry("k1"));
  }
  ASSERT_TRUE(store.get("k1"));
  EXPECT_EQ(read_file(store.entry("k1") / "result.json"), "{\"area_um2\": 100}");

  write_text(store.entry("k1") / "result.json", "{\"area_um2\": 999}");  // edited by hand
  EXPECT_FALSE(store.get("k1"));
  EXPECT_FALSE(fs::exists(store.entry("k1")));  // removed, so that it is recomputed

  for (const std::string damage : {"manifest", "extra", "truncate"}) {
    ScratchDir work("work", store.root());
    write_text(work / "bin", "0123456789");
    store.put("k2", work);
    ASSERT_TRUE(store.get("k2")) << damage;
    if (damage == "manifest") fs::remove(store.entry("k2") / CacheStore::kManifest);
    if (damage == "extra") write_text(store.entry("k2") / "stray", "");
    if (damage == "truncate") fs::resize_file(store.entry("k2") / "bin", 3);
    EXPECT_FALSE(store.get("k2")) << damage;
  }
  // An entry published under another key (e.g. copied by hand) is not served.
  {
    ScratchDir work("work", store.root());
    write_text(work / "f", "x");
    store.put("k3", work);
  }
  fs::rename(store.entry("k3"), store.entry("k4"));
  EXPECT_FALSE(store.get("k4"));
}

TEST(CacheStore, FirstPublisherWins) {
  PrivateCache cache;
  const CacheStore store("unit");
  ScratchDir first("work", store.root()), second("work", store.root());
  write_text(first / "f", "first");
  write_text(second / "f", "second");
  store.put("k", first);
  const fs::path second_dir = second.path();
  EXPECT_EQ(store.put("k", second), store.entry("k"));
  EXPECT_EQ(read_file(store.entry("k") / "f"), "first");
  ASSERT_TRUE(store.get("k"));
  EXPECT_TRUE(fs::exists(second_dir));  // still the loser's own scratch, removed with it
}

TEST(CacheStore, GetOrMakeComputesOnceAndRecomputesWhatItCannotUse) {
  PrivateCache cache;
  const CacheStore store("unit");
  int fills = 0;
  const auto fill = [&](const fs::path& dir) {
    ++fills;
    write_text(dir / "result.json", "{\"n\": 1}");
  };
  const auto usable = [](const fs::path& dir) { return read_file(dir / "result.json") == "{\"n\": 1}"; };
  const auto first = store.get_or_make("k", usable, fill);
  EXPECT_FALSE(first.cached);
  EXPECT_EQ(first.dir, store.entry("k"));
  EXPECT_EQ(fills, 1);
  const auto second = store.get_or_make("k", usable, fill);
  EXPECT_TRUE(second.cached);
  EXPECT_EQ(fills, 1);

  // Intact (checksums match) but not usable, e.g. a record of an incompatible build: recomputed.
  const auto never = [](const fs::path&) { return false; };
  EXPECT_FALSE(store.get_or_make("k", never, fill).cached);
  EXPECT_EQ(fills, 2);
  // A check that throws (a file it needs is missing) counts as not usable.
  const auto throws = [](const fs::path& dir) { return !read_file(dir / "missing").empty(); };
  EXPECT_FALSE(store.get_or_make("k", throws, fill).cached);
  EXPECT_EQ(fills, 3);

  // A fill that fails publishes nothing and leaves no scratch directory behind.
  EXPECT_THROW(store.get_or_make("bad", usable, [](const fs::path& dir) {
    write_text(dir / "half", "x");
    throw std::runtime_error("tool failed");
  }),
               std::runtime_error);
  EXPECT_FALSE(fs::exists(store.entry("bad")));
  for (const auto& e : fs::directory_iterator(store.root()))
    EXPECT_NE(e.path().filename().string().rfind("work-", 0), 0u) << e.path();
}

}  // namespace
}  // namespace gm
