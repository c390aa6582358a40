// Caches cannot serve a wrong answer (issue 8, item 4): keys name every ingredient, entries carry
// checksums and are recomputed when damaged, and a cached harness that fails to run is rebuilt
// once before any design is blamed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "models/cache/build_id.hpp"
#include "models/cache/cache_key.hpp"
#include "tb/tool_version.hpp"
#include "models/cache/cache_store.hpp"
#include "generator/array/array.hpp"
#include "tb/array_runner.hpp"
#include "models/files.hpp"
#include "synth/liberty.hpp"
#include "tb/process.hpp"
#include "synth/mult_synth.hpp"
#include "tb/verify.hpp"
#include "models/spec.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/private_cache.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

using test::PrivateCache;
using test::write_text;

// The only entry directory of a cache kind.
fs::path only_entry(const fs::path& kind_dir) {
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(kind_dir))
    if (e.is_directory() && fs::exists(e.path() / CacheStore::kManifest)) entries.push_back(e.path());
  EXPECT_EQ(entries.size(), 1u);
  return entries.empty() ? fs::path() : entries.front();
}

// ---- the key builder ---------------------------------------------------------------------------

TEST(CacheKey, Sha256MatchesTheStandardTestVectors) {
  // FIPS 180-2, appendix B.1, and the empty message.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(CacheKey, EveryIngredientChangesTheKey) {
  const std::string base = CacheKey().add("rtl", "module m; endmodule").add("clock", "5").hex();
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(base, CacheKey().add("rtl", "module m; endmodule").add("clock", "5").hex());
  EXPECT_NE(base, CacheKey().add("rtl", "module m; endmodule ").add("clock", "5").hex());
  EXPECT_NE(base, CacheKey().add("rtl", "module m; endmodule").add("clock", "6").hex());
  EXPECT_NE(base, CacheKey().add("rtl", "module m; endmodule").add("clock_ns", "5").hex());
  EXPECT_NE(base, CacheKey().add("clock", "5").add("rtl", "module m; endmodule").hex());
  EXPECT_NE(base, CacheKey().add("rtl", "module m; endmodule").hex());
  // Values cannot run together across ingredients.
  EXPECT_NE(CacheKey().add("x", "ab").add("y", "c").hex(), CacheKey().add("x", "a").add("y", "bc").hex());
}

TEST(CacheKey, FileContentAndToolVersionAreIngredients) {
  ScratchDir dir("gm-key-test");
  write_text(dir / "a.lib", "library (a) { }\n");
  const std::string k1 = CacheKey().add_file("liberty", dir / "a.lib").hex();
  EXPECT_EQ(k1, CacheKey().add("liberty", "library (a) { }\n").hex());  // the content, not the path
  write_text(dir / "a.lib", "library (a) { }\n/* edited */\n");
  EXPECT_NE(k1, CacheKey().add_file("liberty", dir / "a.lib").hex());
  EXPECT_THROW(CacheKey().add_file("liberty", dir / "missing.lib"), std::runtime_error);

  // Two installations of "yosys" that print different versions give different keys.
  fs::create_directories(dir / "v1");
  fs::create_directories(dir / "v2");
  write_text(dir / "v1" / "yosys", "#!/bin/sh\necho 'Yosys 0.23'\n", true);
  write_text(dir / "v2" / "yosys", "#!/bin/sh\necho 'Yosys 0.40'\n", true);
  EXPECT_NE(tool_version((dir / "v1" / "yosys").string()).find("Yosys 0.23"), std::string::npos);
  EXPECT_NE([&] { CacheKey k; return add_tool_versions(k, {(dir / "v1" / "yosys").string()}).hex(); }(),
            [&] { CacheKey k; return add_tool_versions(k, {(dir / "v2" / "yosys").string()}).hex(); }());
  EXPECT_NE(tool_version("gm-no-such-tool-xyz").find("not found"), std::string::npos);
}

TEST(CacheKey, BuildIdIsASha256InEveryKey) {
  const std::string id = kBuildId;
  EXPECT_EQ(id.size(), 64u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  EXPECT_NE(CacheKey().add("x", "1").add_build_id().hex(), CacheKey().add("x", "1").hex());
  EXPECT_NE(CacheKey().add_build_id().text().find(id), std::string::npos);
}

// Runs cmake/build_id.cmake on the files `rel` under `root` with `settings`, writing `out`; returns
// the id it wrote, or "" when the script failed.
std::string run_build_id_script(const fs::path& root, const std::vector<std::string>& rel, const std::string& settings,
                                const fs::path& out) {
  std::string files;
  for (const auto& f : rel) files += (files.empty() ? "" : ";") + f;
  const fs::path inputs = out.parent_path() / "inputs.cmake";
  write_text(inputs, "set(GM_BUILD_ID_ROOT [==[" + root.string() + "]==])\nset(GM_BUILD_ID_FILES [==[" + files +
                         "]==])\nset(GM_BUILD_ID_SETTINGS [==[" + settings + "]==])\n");
  const RunResult r = run_program({GM_CMAKE, "-DINPUTS=" + inputs.string(), "-DOUT=" + out.string(), "-P",
                                   std::string(GM_SOURCE_DIR) + "/cmake/build_id.cmake"});
  if (!r.ok()) return "";
  const std::string text = read_file(out);
  const auto q = text.find("kBuildId[] = \"");
  return q == std::string::npos ? "bad output: " + text : text.substr(q + 14, 64);
}

TEST(CacheKey, BuildIdScriptHashesEveryFileAndSetting) {
  ScratchDir dir("gm-build-id-test");
  // Two trees with the same files at different places, and variants of the first one.
  for (const char* t : {"a", "b"}) {
    fs::create_directories(dir / t / "generator");
    write_text(dir / t / "generator" / "x.cpp", "int x() { return 1; }\n");
    write_text(dir / t / "CMakeLists.txt", "project(p)\n");
  }
  const std::vector<std::string> files = {"generator/x.cpp", "CMakeLists.txt"};
  const auto id = [&](const fs::path& root, const std::vector<std::string>& rel = {"generator/x.cpp", "CMakeLists.txt"},
                      const std::string& settings = "GNU 12 Release -O2") {
    return run_build_id_script(root, rel, settings, dir / "build_id.cpp");
  };
  const std::string base = id(dir / "a");
  ASSERT_EQ(base.size(), 64u) << base;
  EXPECT_EQ(base.find_first_not_of("0123456789abcdef"), std::string::npos) << base;
  EXPECT_EQ(id(dir / "b"), base);  // same sources elsewhere: same id
  EXPECT_EQ(id(dir / "a", {"CMakeLists.txt", "generator/x.cpp"}), base);  // the glob order does not matter
  EXPECT_NE(id(dir / "a", files, "GNU 12 Debug -O0 -g"), base);           // settings
  EXPECT_NE(id(dir / "a", {"generator/x.cpp"}), base);                     // a file fewer
  write_text(dir / "b" / "generator" / "x.cpp", "int x() { return 2; }\n");  // one byte differs
  EXPECT_NE(id(dir / "b"), base);
  write_text(dir / "b" / "generator" / "x.cpp", "int x() { return 1; }\n");
  EXPECT_EQ(id(dir / "b"), base);
  fs::create_directories(dir / "b" / "models");
  fs::rename(dir / "b" / "generator" / "x.cpp", dir / "b" / "models" / "x.cpp");  // same content, other path
  EXPECT_NE(id(dir / "b", {"models/x.cpp", "CMakeLists.txt"}), base);
  EXPECT_EQ(id(dir / "b"), "");  // a listed file that is gone is an error, not a silent id

  // An unchanged id leaves the output untouched (nothing recompiles); a changed one rewrites it.
  ASSERT_EQ(id(dir / "a"), base);  // the output holds base now
  const auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(1);
  fs::last_write_time(dir / "build_id.cpp", old_time);
  EXPECT_EQ(id(dir / "a"), base);
  EXPECT_EQ(fs::last_write_time(dir / "build_id.cpp"), old_time);
  EXPECT_NE(id(dir / "a", files, "Clang 15 Release -O2"), base);
  EXPECT_NE(fs::last_write_time(dir / "build_id.cpp"), old_time);
}

TEST(CacheKey, BuildIdIsTheOneOfTheSourcesItWasBuiltFrom) {
  // The script run now on this build's inputs gives the id compiled in: the build step is wired to
  // the sources and settings, and the binary is not stale.
  ScratchDir dir("gm-build-id-now");
  const RunResult r = run_program({GM_CMAKE, std::string("-DINPUTS=") + GM_BUILD_ID_INPUTS,
                                   "-DOUT=" + (dir / "build_id.cpp").string(), "-P",
                                   std::string(GM_SOURCE_DIR) + "/cmake/build_id.cmake"});
  ASSERT_TRUE(r.ok()) << r.output;
  EXPECT_NE(read_file(dir / "build_id.cpp").find(std::string("\"") + kBuildId + "\""), std::string::npos);
}

// ---- the store ---------------------------------------------------------------------------------

TEST(ExtTableCache, TableIsAnIntactStoreEntryAndIsRecomputedWhenDamaged) {
  if (!have_tool("iverilog") || !have_tool("yosys")) GTEST_SKIP() << "iverilog or yosys is missing";
  PrivateCache cache;
  write_text(cache.scratch() / "m.v",
             "module m3 (input [2:0] a_i, input [2:0] b_i, output [5:0] y_o);\n"
             "  assign y_o = a_i * b_i + 6'd1;\nendmodule\n");
  const Spec spec = parse_spec("ext:path=" + (cache.scratch() / "m.v").string() + ",top=m3,w=3");
  const auto check_model = [&] {
    const ModelFn model = spec.def().make_model(spec);
    for (int a = 0; a < 8; ++a)
      for (int b = 0; b < 8; ++b) ASSERT_EQ(model(a, b), a * b + 1) << a << "*" << b;
  };
  check_model();
  const fs::path entry = only_entry(cache.root() / "ext");
  const fs::path table = entry / "table.bin";
  ASSERT_EQ(fs::file_size(table), 64u * 4u);  // 2^(2w) int32 products
  // An edited product is caught by the manifest's checksum, and the table simulated again.
  std::string bytes = read_file(table);
  bytes[4 * 9] ^= 1;
  write_text(table, bytes);
  check_model();
  EXPECT_EQ(read_file(table).at(4 * 9), static_cast<char>(1 * 1 + 1));  // entry 9 = (1 << 3) | 1: a=1, b=1
}

// ---- the Verilator harness ---------------------------------------------------------------------

bool all_pass(const std::vector<VerifyResult>& rs) {
  for (const auto& r : rs)
    if (r.pairs != (uint64_t{1} << (2 * r.spec.w)) || r.mismatches != 0) return false;
  return !rs.empty();
}

TEST(HarnessCache, DamagedOrFailingHarnessIsRebuiltOnce) {
  if (!have_tool("verilator")) GTEST_SKIP() << "verilator is missing";
  PrivateCache cache;
  const std::vector<Spec> specs = {parse_spec("exact:w=4,s=1")};
  VerifyStats st;
  ASSERT_TRUE(all_pass(verify_designs(specs, {}, &st)));
  EXPECT_EQ(st.builds, 1);
  const fs::path entry = only_entry(cache.root() / "verilator");
  const fs::path binary = entry / "gm_vsim";
  ASSERT_TRUE(fs::exists(binary));

  // A damaged binary (garbage bytes): the checksum rejects it and the harness is rebuilt.
  write_text(binary, "this is not an executable");
  st = {};
  EXPECT_TRUE(all_pass(verify_designs(specs, {}, &st)));
  EXPECT_EQ(st.builds, 1);
  EXPECT_EQ(st.cached_builds, 0);
  EXPECT_NE(read_file(binary), "this is not an executable");

  // An intact entry (checksums match) whose harness prints nothing: "0 pairs" must not be a verdict.
  const std::string key = entry.filename().string();
  const CacheStore store("verilator");
  {
    ScratchDir work("work", store.root());
    write_text(work / "gm_vsim", "#!/bin/sh\nexit 0\n", true);
    store.remove(key);
    store.put(key, work);
  }
  ASSERT_TRUE(store.get(key));
  st = {};
  EXPECT_TRUE(all_pass(verify_designs(specs, {}, &st)));
  EXPECT_EQ(st.rebuilt_harnesses, 1);
  EXPECT_EQ(st.builds, 1);
  EXPECT_NE(read_file(binary), "#!/bin/sh\nexit 0\n");

  // And the rebuilt entry is served from then on.
  st = {};
  EXPECT_TRUE(all_pass(verify_designs(specs, {}, &st)));
  EXPECT_EQ(st.builds, 0);
  EXPECT_EQ(st.cached_builds, 1);
}

TEST(HarnessCache, GreenmacAndTheTestsShareEntries) {
  // Both binaries carry the same build id, so a harness built in this process is served to greenmac.
  if (!have_tool("verilator")) GTEST_SKIP() << "verilator is missing";
  PrivateCache cache;
  VerifyStats st;
  ASSERT_TRUE(all_pass(verify_designs({parse_spec("exact:w=4,s=1")}, {}, &st)));
  const fs::path entry = only_entry(cache.root() / "verilator");
  const auto built = fs::last_write_time(entry / CacheStore::kManifest);
  const auto r = test::run_cli("verify 'exact:w=4,s=1' --sim verilator", "GREENMAC_CACHE='" + cache.root().string() + "' ");
  EXPECT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(only_entry(cache.root() / "verilator"), entry);  // no second entry
  EXPECT_EQ(fs::last_write_time(entry / CacheStore::kManifest), built);
}

TEST(HarnessCache, HarnessThatFailsAfterRebuildIsAnError) {
  // A fake `verilator` earlier on PATH "builds" a harness that reports 0 pairs and exits 0.
  ScratchDir dir("gm-fake-verilator");
  fs::create_directories(dir / "bin");
  write_text(dir / "bin" / "verilator",
             "#!/bin/sh\n"
             "if [ \"$1\" = --version ]; then echo 'Verilator 0.0 fake'; exit 0; fi\n"
             "mkdir -p obj\n"
             "cat > obj/gm_vsim <<'X'\n#!/bin/sh\necho '{\"slot\":0,\"pairs\":0,\"mismatches\":0}'\nX\n"
             "chmod +x obj/gm_vsim\n",
             true);
  // In process: the error says what was wrong, and no verdict is returned.
  {
    PrivateCache cache;
    const std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
    setenv("PATH", ((dir / "bin").string() + ":" + old_path).c_str(), 1);
    for (int run = 0; run < 2; ++run) {
      try {
        verify_designs({parse_spec("exact:w=4,s=1")}, {});
        ADD_FAILURE() << "a harness that reports 0 pairs gave a verdict";
      } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("harness failed to run after a fresh build"), std::string::npos) << what;
        EXPECT_NE(what.find("0 pairs"), std::string::npos) << what;  // the fake was built and run
      }
    }
    setenv("PATH", old_path.c_str(), 1);
  }
  // From the command line: a failure exit, never PASS.
  const std::string env = "PATH='" + (dir / "bin").string() + "':\"$PATH\" GREENMAC_CACHE='" + (dir / "cache").string() +
                          "' ";
  const auto r = test::run_cli("verify 'exact:w=4,s=1' --sim verilator", env);
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_EQ(r.out.find("PASS"), std::string::npos) << r.out;
}

TEST(HarnessCache, FailingArrayHarnessIsRebuiltOnce) {
  if (!have_tool("verilator")) GTEST_SKIP() << "verilator is missing";
  PrivateCache cache;
  const ArrayConfig cfg = make_array_config(2, 2, parse_spec("exact:w=4,s=1"), "", 16, false);
  const GemmProblem p = random_gemm(cfg, 3, 4, 2, 7);
  std::vector<int64_t> golden;
  {
    const GemmRunner first(cfg);
    EXPECT_FALSE(first.cached());
    golden = first.golden(p);
    EXPECT_EQ(first.run(p).y, golden);
  }
  // Keep the entry's tables but make its harness exit 0 without writing results; checksums match.
  const fs::path entry = only_entry(cache.root() / "gemm");
  const std::string key = entry.filename().string();
  const CacheStore store("gemm");
  {
    ScratchDir work("work", store.root());
    for (const auto& e : fs::directory_iterator(entry))
      if (e.path().filename() != CacheStore::kManifest) fs::copy(e.path(), work / e.path().filename());
    fs::remove(work / "gm_gemm");
    write_text(work / "gm_gemm", "#!/bin/sh\nexit 0\n", true);
    store.remove(key);
    store.put(key, work);
  }
  const GemmRunner again(cfg);
  EXPECT_TRUE(again.cached());
  EXPECT_EQ(again.run(p).y, golden);
  EXPECT_FALSE(again.cached());  // rebuilt
  EXPECT_NE(read_file(entry / "gm_gemm"), "#!/bin/sh\nexit 0\n");
}

// ---- synthesis records ---------------------------------------------------------------------------

TEST(SynthCache, EditedRecordIsRecomputedAndKeysFollowTheLibrary) {
  if (!gm::test::synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library is missing";
  PrivateCache cache;
  const std::vector<Spec> specs = {parse_spec("exact:w=4,s=0")};
  SynthOptions opt;
  opt.cycles = 2000;
  const SynthResult first = synth_designs(specs, opt).at(0);
  ASSERT_FALSE(first.cached);
  ASSERT_GT(first.area_um2, 0);
  EXPECT_TRUE(synth_designs(specs, opt).at(0).cached);

  // Edit the area in the record by hand: the edit is detected, and the area recomputed.
  const fs::path record = only_entry(cache.root() / "synth") / "result.json";
  auto j = nlohmann::json::parse(read_file(record));
  j["area_um2"] = first.area_um2 * 2 + 1;
  write_text(record, j.dump(2));
  const SynthResult again = synth_designs(specs, opt).at(0);
  EXPECT_FALSE(again.cached);
  EXPECT_DOUBLE_EQ(again.area_um2, first.area_um2);

  // The same library under the same name but with other content is another key.
  const fs::path lib = cache.scratch() / "osu018_copy.lib";
  write_text(lib, read_file(kOsu018Lib) + "\n/* edited copy */\n");
  opt.lib = lib.string();
  const SynthResult other_lib = synth_designs(specs, opt).at(0);
  EXPECT_FALSE(other_lib.cached);
  EXPECT_DOUBLE_EQ(other_lib.area_um2, first.area_um2);  // a comment does not change the cells
  EXPECT_TRUE(synth_designs(specs, opt).at(0).cached);
  write_text(lib, read_file(lib) + "/* edited again */\n");
  EXPECT_FALSE(synth_designs(specs, opt).at(0).cached);
}

}  // namespace
}  // namespace gm
