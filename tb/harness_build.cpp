#include "tb/harness_build.hpp"

#include <algorithm>
#include <stdexcept>

#include "models/cache/cache_key.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/install_layout.hpp"
#include "tb/process.hpp"
#include "tb/tool_version.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

bool is_verilog(const std::string& name) { return fs::path(name).extension() == ".v"; }
// A Verilator configuration file (`verilator_config`: e.g. no_inline of a module), given on the
// command line so that the Verilog itself carries no Verilator metacomments.
bool is_config(const std::string& name) { return fs::path(name).extension() == ".vlt"; }

}  // namespace

std::vector<std::string> HarnessBuild::argv(ProfileStage stage) const {
  std::vector<std::string> argv = {"verilator", "--cc", "--exe", "--build", "-j", "2", "-O3", "--x-assign", "fast",
                                   "--x-initial", "fast", "--noassert", "-Wno-fatal", "-Wno-lint", "-Wno-style",
                                   "--top-module", top};
  if (!prefix.empty()) argv.insert(argv.end(), {"--prefix", prefix});
  argv.insert(argv.end(), verilator_flags.begin(), verilator_flags.end());
  argv.insert(argv.end(), {"-Mdir", "obj", "-o", binary});
  // Configuration files come before the sources they apply to.
  for (const auto& f : files)
    if (is_config(f.name)) argv.push_back(f.name);
  for (const auto& f : files)
    if (is_verilog(f.name)) argv.push_back(f.name);
  argv.push_back(data_file(main_cpp).string());
  // The harness includes models/ headers by their path under data_dir().
  std::vector<std::string> cflags = {"-std=c++20", "-I" + data_dir().string()};
  cflags.insert(cflags.end(), defines.begin(), defines.end());
  std::vector<std::string> ldflags;
  // The profile is written beside each object (obj/*.gcda) by the training run and read back from
  // there by the second build; -fprofile-partial-training keeps the code the training never ran
  // optimized for speed rather than size.
  if (stage == ProfileStage::kGenerate) {
    cflags.insert(cflags.end(), {"-fprofile-generate", "-fprofile-update=single"});
    ldflags.push_back("-fprofile-generate");
  } else if (stage == ProfileStage::kUse) {
    cflags.insert(cflags.end(), {"-fprofile-use", "-fprofile-partial-training", "-Wno-missing-profile"});
  }
  for (const auto& flag : cflags) argv.insert(argv.end(), {"-CFLAGS", flag});
  const std::string fast = "-O" + std::to_string(opt_level), slow = "-O" + std::to_string(opt_level - 1);
  for (const std::string& flag : {"OPT_FAST=" + fast, "OPT_SLOW=" + slow, "OPT_GLOBAL=" + fast})
    argv.insert(argv.end(), {"-MAKEFLAGS", flag});
  // The models library is linked whole (the families register themselves); it needs zlib (the IDX
  // reader) and OpenSSL's libcrypto (cache keys).
  if (link_models)
    for (const std::string& flag : {std::string("-Wl,--whole-archive"), models_library().string(),
                                    std::string("-Wl,--no-whole-archive"), std::string("-lz"), std::string("-lcrypto")})
      ldflags.push_back(flag);
  for (const auto& flag : ldflags) argv.insert(argv.end(), {"-LDFLAGS", flag});
  return argv;
}

bool HarnessBuild::hierarchical() const {
  return std::find(verilator_flags.begin(), verilator_flags.end(), "--hierarchical") != verilator_flags.end();
}

bool HarnessBuild::profile_guided() const {
  // GCC's profile options; Debian's `c++ --version` names the compiler only when it is clang.
  return training && !hierarchical() && tool_version("c++").find("clang") == std::string::npos;
}

std::string HarnessBuild::key() const {
  CacheKey k;
  for (const auto& f : files) k.add("file " + f.name, f.text);
  k.add_file(main_cpp, data_file(main_cpp));
  // Every header a harness may include: the models' and tb/'s own (the array stream protocol).
  for (const char* folder : {"models", "tb"})
    for (const auto& e : fs::recursive_directory_iterator(data_dir() / folder))
      if (e.path().extension() == ".hpp") k.add_file(fs::relative(e.path(), data_dir()).string(), e.path());
  if (link_models) k.add_file("models library", models_library());
  std::string cmd;
  if (profile_guided()) {
    for (const auto& a : argv(ProfileStage::kGenerate)) cmd += a + "\n";
    for (const auto& f : training->files) k.add("training file " + f.name, f.text);
    for (const auto& a : training->args) cmd += "training " + a + "\n";
    for (const auto& a : argv(ProfileStage::kUse)) cmd += a + "\n";
  } else {
    for (const auto& a : argv()) cmd += a + "\n";
  }
  k.add("command", cmd);
  return add_tool_versions(k, {"verilator", "c++", "make"}).add_build_id().hex();
}

void HarnessBuild::verilate(const fs::path& dir, ProfileStage stage, const std::string& key) const {
  RunResult r = run_program(argv(stage), {.cwd = dir});
  // Verilator 5.006's hierarchical makefile can run a hier block's Verilation twice in parallel
  // under -j, and a compile may then read a half-written makefile ("#if with no expression" on
  // VM_TRACE). Seen once in a fresh-clone suite; a clean retry is the cheap cure.
  if (!r.ok() && hierarchical() && !first_user_source_error(r.output, user_sources, "verilator")) {
    std::error_code ec;
    fs::remove_all(dir / "obj", ec);
    r = run_program(argv(stage), {.cwd = dir});
  }
  if (!r.ok()) {
    // A syntax error in the user's own file is theirs: one line naming it.
    if (const auto user_error = first_user_source_error(r.output, user_sources, "verilator"))
      throw UserError(*user_error);
    fail(key, "Verilator build", r.output);
  }
}

void HarnessBuild::fail(const std::string& key, const std::string& step, const std::string& output) const {
  const fs::path log = store().root() / ("build-failed-" + key.substr(0, 16) + ".log");
  write_file_atomic(log, output);
  throw std::runtime_error(step + " of the " + what + " failed (log: " + log.string() + "): " + output.substr(0, 600));
}

// Builds instrumented, runs the training in the build directory, removes everything compiled but
// the profile (make would otherwise keep the instrumented objects), and builds again with it.
void HarnessBuild::build_profile_guided(const fs::path& dir, const std::string& key) const {
  verilate(dir, ProfileStage::kGenerate, key);
  for (const auto& f : training->files) write_file_atomic(dir / f.name, f.text);
  std::vector<std::string> run = {(dir / "obj" / binary).string()};
  run.insert(run.end(), training->args.begin(), training->args.end());
  const RunResult r = run_program(run, {.cwd = dir});
  if (!r.ok()) fail(key, "The training run (exit " + std::to_string(r.exit_code) + ")", r.output);
  std::error_code ec;
  for (const auto& f : training->files) fs::remove(dir / f.name, ec);
  for (const auto& a : training->args) fs::remove(dir / a, ec);  // outputs the run wrote
  std::vector<fs::path> compiled;
  for (const auto& e : fs::directory_iterator(dir / "obj"))
    if (e.path().extension() != ".gcda") compiled.push_back(e.path());
  for (const auto& p : compiled) fs::remove_all(p, ec);
  verilate(dir, ProfileStage::kUse, key);
}

fs::path HarnessBuild::build(const std::string& key) const {
  const CacheStore cache = store();
  return cache.make(key, [&](const fs::path& dir) {
    for (const auto& f : files) write_file_atomic(dir / f.name, f.text);
    if (profile_guided())
      build_profile_guided(dir, key);
    else
      verilate(dir, ProfileStage::kNone, key);
    // The entry keeps the binary and the files it reads at run time; the sources are in the key.
    std::error_code ec;
    fs::rename(dir / "obj" / binary, dir / binary, ec);
    fs::remove_all(dir / "obj", ec);
    for (const auto& f : files)
      if (is_verilog(f.name) || is_config(f.name)) fs::remove(dir / f.name, ec);
  }, "build");
}

bool run_rebuilding_once(const CacheStore& store, const std::string& key, fs::path& dir, bool& cached,
                         const std::function<fs::path()>& rebuild,
                         const std::function<bool(const fs::path&, std::string&)>& attempt, std::string& why) {
  if (attempt(dir, why)) return true;
  if (!cached) return false;
  store.remove(key);
  dir = rebuild();
  cached = false;
  return attempt(dir, why);
}

}  // namespace gm
