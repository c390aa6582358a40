// Concurrent writers of one cache (issue 15): the cache may sit on a file system that several nodes
// share, so processes computing the same entry at the same time must never corrupt it or serve a
// half-written entry. CacheStore publishes an entry by renaming its finished scratch directory into
// place (models/cache/cache_store.hpp); these tests race real processes through that rename.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <sstream>
#include <thread>

#include "models/cache/cache_store.hpp"
#include "models/files.hpp"
#include "tb/process.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/private_cache.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

// Forks `n` children that each run `body(i)` and exit with its status; returns their statuses.
// The children start together: each waits until the last one is forked (the pipe is closed).
std::vector<int> run_forked(int n, const std::function<int(int)>& body) {
  int gate[2];
  if (pipe(gate) != 0) return std::vector<int>(n, -1);
  std::vector<pid_t> pids;
  for (int i = 0; i < n; ++i) {
    const pid_t pid = fork();
    if (pid == 0) {
      close(gate[1]);
      char c;
      while (read(gate[0], &c, 1) > 0) {
      }
      _exit(body(i));  // _exit: the child must not run the parent's destructors or gtest's
    }
    pids.push_back(pid);
  }
  close(gate[0]);
  close(gate[1]);
  std::vector<int> status;
  for (pid_t pid : pids) {
    int st = 0;
    waitpid(pid, &st, 0);
    status.push_back(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  }
  return status;
}

// What key k's entry must hold, whoever computed it: 64 KiB that differ from key to key.
std::string payload(int k) {
  std::string s(64 * 1024, '\0');
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>('a' + (i * 7 + k * 13) % 26);
  return s;
}

// Fills an entry slowly, in pieces, so that the racing writers overlap and a reader that could see
// an unfinished entry would find a short file.
void fill_slowly(const fs::path& dir, int k, std::mt19937& rng) {
  const std::string p = payload(k);
  fs::create_directories(dir / "sub");
  {
    std::ofstream out(dir / "payload", std::ios::binary);
    for (size_t at = 0; at < p.size(); at += p.size() / 8) {
      out.write(p.data() + at, static_cast<std::streamsize>(p.size() / 8));
      out.flush();
      // Key 0, which every process computes first, takes 16 ms: long beside a fork and a lookup.
      std::this_thread::sleep_for(std::chrono::microseconds(k == 0 ? 2000 : rng() % 400));
    }
  }
  std::ofstream(dir / "sub" / "key") << k;
  std::ofstream(dir / "writer") << getpid();
}

// 0 when `dir` is key k's complete entry, else a code saying what was wrong.
int check_entry(const fs::path& dir, int k) {
  try {
    if (read_file(dir / "payload") != payload(k)) return 3;
    if (read_file(dir / "sub" / "key") != std::to_string(k)) return 4;
    if (read_file(dir / "writer").empty()) return 5;
    if (!fs::exists(dir / CacheStore::kManifest)) return 6;
  } catch (const std::exception&) {
    return 7;  // a file of the entry is missing
  }
  return 0;
}

TEST(CacheConcurrency, ForkedWritersOfTheSameKeysPublishOneIntactEntryEach) {
  constexpr int kProcesses = 8, kKeys = 12;
  const fs::path dir = test::temp_dir("gm-cache-race");
  const test::CacheEnvAt env(dir / "cache");
  const CacheStore store("race");
  // Each child looks every key up in its own order and computes it on a miss, as get_or_make does;
  // it logs which process's entry it was served, and fails on any entry that is not complete.
  const auto status = run_forked(kProcesses, [&](int id) {
    std::mt19937 rng(id);
    std::vector<int> order(kKeys);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin() + 1, order.end(), rng);  // key 0 first in all: they race for it
    std::ostringstream log;
    for (int k : order) {
      const std::string key = "key" + std::to_string(k);
      const auto hit = store.get(key);
      const fs::path entry = hit ? *hit : store.make(key, [&](const fs::path& d) { fill_slowly(d, k, rng); });
      if (entry != store.entry(key)) return 2;
      if (const int bad = check_entry(entry, k)) return bad;
      log << key << " " << read_file(entry / "writer") << " " << !hit << "\n";
    }
    write_file_atomic(dir / ("log-" + std::to_string(id)), log.str());
    return 0;
  });
  for (int i = 0; i < kProcesses; ++i) EXPECT_EQ(status[i], 0) << "process " << i;

  // Exactly one intact entry per key, and every process was served that one: an entry, once
  // published, is never replaced by a later writer's copy.
  std::map<std::string, std::string> writer;
  for (int k = 0; k < kKeys; ++k) {
    const std::string key = "key" + std::to_string(k);
    const auto entry = store.get(key);
    ASSERT_TRUE(entry) << key;
    EXPECT_EQ(check_entry(*entry, k), 0) << key;
    writer[key] = read_file(*entry / "writer");
  }
  std::map<std::string, int> computed;  // key -> processes that computed it (one published, the rest lost)
  for (int i = 0; i < kProcesses; ++i) {
    std::istringstream log(read_file(dir / ("log-" + std::to_string(i))));
    int lines = 0;
    std::string key, pid;
    for (int made; log >> key >> pid >> made; ++lines) {
      EXPECT_EQ(pid, writer[key]) << "process " << i << " " << key;
      computed[key] += made;
    }
    EXPECT_EQ(lines, kKeys) << "process " << i;
  }
  // The race did happen: the processes start together and all compute key 0 first, slowly, so
  // several of them publish it and all but one rename fails.
  EXPECT_GE(computed["key0"], 2);
  // Nothing else is left beside the entries: the losers' scratch directories are gone.
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(store.root())) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  std::vector<std::string> keys;
  for (int k = 0; k < kKeys; ++k) keys.push_back("key" + std::to_string(k));
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(names, keys);
  fs::remove_all(dir);
}

// Several greenmac processes started at once with the same empty cache all need the same Verilator
// harness: each verifies correctly, and the cache ends with that one harness, intact.
TEST(CacheConcurrencyCli, ParallelVerifiesLeaveOneIntactHarnessEntry) {
  if (!have_tool("verilator")) GTEST_SKIP() << "verilator is missing";
  constexpr int kProcesses = 3;
  const fs::path dir = test::temp_dir("gm-cache-race-cli");
  const fs::path cache = dir / "cache";
  const auto status = run_forked(kProcesses, [&](int id) {
    const auto r = test::run_cli("verify 'exact:w=4,s=1' 'drum:w=4,k=2' --sim verilator --json",
                                 "GREENMAC_CACHE='" + cache.string() + "' ");
    write_file_atomic(dir / ("out-" + std::to_string(id)), r.out);
    return r.rc;
  });
  std::string first;
  for (int i = 0; i < kProcesses; ++i) {
    EXPECT_EQ(status[i], 0) << "process " << i;
    const std::string out = read_file(dir / ("out-" + std::to_string(i)));
    const auto rows = nlohmann::json::parse(out);
    ASSERT_EQ(rows.size(), 2u) << out;
    for (const auto& row : rows) {
      EXPECT_TRUE(row["pass"].get<bool>()) << out;
      EXPECT_EQ(row["pairs"], 256) << out;  // every pair of 4-bit operands
    }
    if (i == 0) first = out;
    EXPECT_EQ(out, first) << "process " << i;
  }
  std::vector<fs::path> left;
  for (const auto& e : fs::directory_iterator(cache / "verilator")) left.push_back(e.path());
  ASSERT_EQ(left.size(), 1u) << "a scratch or second entry is left beside the harness";
  const test::CacheEnvAt env(cache);
  EXPECT_TRUE(CacheStore("verilator").get(left[0].filename().string())) << left[0];
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gm
