// The shard core (cli/shard/shard.hpp): I/N parsing, the partition of a sweep, shard files that
// resume and refuse to be mixed, and merge's check that every shard is there.
#include "cli/shard/shard.hpp"

#include <gtest/gtest.h>

#include <set>

#include "models/errors.hpp"
#include "models/files.hpp"
#include "tests/support/temp_dir.hpp"

namespace gm {
namespace {
using nlohmann::json;

TEST(Shard, ParsesIOverNAndRefusesEverythingElse) {
  const Shard s = parse_shard("3/4");
  EXPECT_EQ(s.index, 3u);
  EXPECT_EQ(s.count, 4u);
  EXPECT_TRUE(s.given);
  for (const char* bad : {"4/4", "1", "/4", "1/", "-1/4", "1/0", "a/4", "1/4x", "1 /4", "0/100001", ""})
    EXPECT_THROW(parse_shard(bad), UserError) << bad;
}

TEST(Shard, ShardsPartitionTheSweep) {
  for (size_t n : {1u, 3u, 7u}) {
    std::multiset<size_t> all;
    for (size_t i = 0; i < n; ++i)
      for (size_t k : shard_indices(20, Shard{i, n, true})) all.insert(k);
    EXPECT_EQ(all.size(), 20u);
    for (size_t k = 0; k < 20; ++k) EXPECT_EQ(all.count(k), 1u) << k;
  }
  // More shards than items: the extra shards are empty, not an error.
  EXPECT_TRUE(shard_indices(2, Shard{5, 8, true}).empty());
}

// An input file is named by its bytes (the FIPS 180-2 test vector for "abc"), a keyword not at all,
// so that a shard made before the file was edited no longer has the same arguments.
TEST(Shard, InputFilesAreNamedByTheirContents) {
  const auto dir = test::temp_dir("gm-shard-inputs");
  const std::string f = (dir / "pairs.txt").string();
  write_file_atomic(f, "abc");
  const json files = input_files_json({"uniform", "", f, (dir / "missing").string(), dir.string()});
  ASSERT_EQ(files.size(), 1u) << files;
  EXPECT_EQ(files.at(f), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  write_file_atomic(f, "abd");
  EXPECT_NE(input_files_json({f}).at(f), files.at(f));
  EXPECT_TRUE(input_files_json({"cnn", "osu018"}).empty());
}

TEST(Shard, FilesResumeAndMergeNeedsAllOfThem) {
  const auto dir = test::temp_dir("gm-shard");
  const json args = {{"specs", {"a", "b", "c"}}};
  EXPECT_FALSE(shard_done(dir, "sweep", Shard{1, 2, true}, args));
  write_shard(dir, "sweep", Shard{1, 2, true}, args, json{{"rows", {2}}});
  EXPECT_TRUE(shard_done(dir, "sweep", Shard{1, 2, true}, args));
  // The same file made with other arguments is not a resume.
  EXPECT_THROW(shard_done(dir, "sweep", Shard{1, 2, true}, json{{"specs", {"a"}}}), UserError);
  try {
    read_shards(dir);
    ADD_FAILURE() << "a missing shard was not reported";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("(0)"), std::string::npos) << e.what();
  }
  write_shard(dir, "sweep", Shard{0, 2, true}, args, json{{"rows", {1}}});
  const auto shards = read_shards(dir);
  ASSERT_EQ(shards.size(), 2u);
  EXPECT_EQ(shards[0].result["rows"][0], 1);
  EXPECT_EQ(shards[1].result["rows"][0], 2);
  // A shard of another sweep in the same folder is refused.
  write_shard(dir, "sweep", Shard{0, 3, true}, args, json::object());
  EXPECT_THROW(read_shards(dir), UserError);
}

TEST(Shard, DamagedShardFileIsAnErrorThatNamesIt) {
  const auto dir = test::temp_dir("gm-shard");
  std::filesystem::create_directories(dir / "shards");
  write_file_atomic(dir / "shards" / "sweep-0-of-1.json", "{\"greenmac_shard\": 1, \"command\": \"sw");
  try {
    read_shards(dir);
    ADD_FAILURE() << "a truncated shard file was accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("sweep-0-of-1.json"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_shards(dir / "nowhere"), UserError);
}

}  // namespace
}  // namespace gm
