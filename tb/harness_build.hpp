// The Verilator harnesses, built once per content and kept in the cache: one place for the
// Verilator command line, the compiler and make flags, the cache key and the build itself, shared by
// `verify` (tb/harness/verify_main.cpp on gm_vtop) and the array runner (tb/harness/array_main.cpp
// on a systolic array).
//
//   HarnessBuild b{.kind = "verilator", .what = "verify harness", .main_cpp = "tb/harness/verify_main.cpp",
//                  .top = "gm_vtop", .binary = "gm_vsim", .files = {...}, .link_models = true};
//   const std::string key = b.key();
//   if (auto dir = b.store().get(key)) ... else dir = b.build(key);   // dir / b.binary
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/cache/cache_store.hpp"
#include "tb/tool_log.hpp"

namespace gm {

struct HarnessFile {
  std::string name;  // file name in the build directory; NAME.v files are Verilator's sources, NAME.vlt
                     // its configuration files (passed before the sources)
  std::string text;
};

// The run that trains a profile-guided build: `files` are written into the build directory and the
// instrumented binary is run there with `args`.
struct HarnessTraining {
  std::vector<HarnessFile> files;
  std::vector<std::string> args;
};

// The compiler's part of a profile-guided build: none, instrumenting, or using the profile.
enum class ProfileStage { kNone, kGenerate, kUse };

struct HarnessBuild {
  std::string kind;      // cache kind: cache_dir()/<kind>/<key>
  std::string what;      // in messages: "verify harness"
  std::string main_cpp;  // the C++ harness, relative to data_dir(): "tb/harness/verify_main.cpp"
  std::string top;       // --top-module
  std::string prefix;    // --prefix of the generated C++ classes; empty: Verilator's V<top>
  std::string binary;    // the harness executable's name in the entry
  std::vector<HarnessFile> files;   // written into the build directory
  std::vector<std::string> defines;  // -D... for the C++ harness (e.g. the array's shape)
  std::vector<std::string> verilator_flags;  // more Verilator options (e.g. --hierarchical)
  // -O level of the Verilated model's hot code (OPT_FAST, OPT_GLOBAL); the cold code gets one level
  // less. The verify models are many small designs that run for seconds, the array one big design
  // that runs GEMMs for minutes: they weigh build time against run time differently.
  int opt_level = 1;
  // Link libgm_models.a (models_library()) whole: the verify harness computes models; the array
  // harness only includes header-only parts of models/.
  bool link_models = false;
  std::vector<UserSource> user_sources;  // the user's files among `files`: their syntax errors are the user's
  // A profile-guided build (GCC's -fprofile-generate, a training run, then -fprofile-use): a big
  // Verilated model spends its time in one long evaluation function, whose branches and layout the
  // compiler gets far better with a profile (30 % less CPU for one 8x8-array simulator alone on the
  // DNN's layers, about 6 % with two at once on a 2-core machine; docs/dnn.md). The training only steers code layout, never results. It
  // doubles the build time, so it is for harnesses that then run for minutes. Ignored (one plain
  // build) with a compiler other than GCC and with --hierarchical (separately built hier blocks).
  std::optional<HarnessTraining> training;

  // The Verilator command, run in the build directory; each -CFLAGS/-LDFLAGS/-MAKEFLAGS word is its
  // own argument, since Verilator writes them into its makefile or make command line one by one.
  std::vector<std::string> argv(ProfileStage stage = ProfileStage::kNone) const;

  // Whether build() makes this harness profile-guided (training given, and the compiler and flags allow it).
  bool profile_guided() const;

  // Everything the binary is made of: the files, the C++ harness and the models and tb headers it
  // may include, the models library when linked, the command, Verilator, the compiler, make, greenmac.
  std::string key() const;

  CacheStore store() const { return CacheStore(kind); }

  // Builds the harness and publishes it under `key`; returns the entry's directory: the binary and
  // the files other than Verilog sources (e.g. the array's lookup tables, read at run time).
  // Throws UserError when Verilator fails on one of user_sources, std::runtime_error (with a log
  // in the cache directory) for any other failure.
  std::filesystem::path build(const std::string& key) const;

 private:
  bool hierarchical() const;  // --hierarchical among verilator_flags
  // One Verilator build in `dir` (a failed hierarchical build is retried once from scratch).
  void verilate(const std::filesystem::path& dir, ProfileStage stage, const std::string& key) const;
  void build_profile_guided(const std::filesystem::path& dir, const std::string& key) const;
  // Writes `output` to a log in the cache root and throws std::runtime_error naming it.
  [[noreturn]] void fail(const std::string& key, const std::string& step, const std::string& output) const;
};

// The rule both harness users follow: a harness that came from the cache and fails to run is
// removed from `store` and rebuilt once (by `rebuild`, which returns the new entry) before anything
// is blamed on the designs. `dir` (the entry `attempt` runs) and `cached` are updated after a
// rebuild. Returns false, with the reason in `why`, when a freshly built harness still fails.
bool run_rebuilding_once(const CacheStore& store, const std::string& key, std::filesystem::path& dir, bool& cached,
                         const std::function<std::filesystem::path()>& rebuild,
                         const std::function<bool(const std::filesystem::path& dir, std::string& why)>& attempt,
                         std::string& why);

}  // namespace gm
