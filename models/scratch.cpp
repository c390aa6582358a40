#include "models/scratch.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>

#include "models/errors.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

struct ScratchRegistry {
  std::mutex mu;
  std::set<std::string> paths;
};

ScratchRegistry& scratch_registry() {
  static ScratchRegistry* r = new ScratchRegistry;  // never destroyed: the interrupt thread may outlive main's statics
  return *r;
}

}  // namespace

void register_scratch(const fs::path& p) {
  std::lock_guard lock(scratch_registry().mu);
  scratch_registry().paths.insert(p.string());
}

void unregister_scratch(const fs::path& p) {
  std::lock_guard lock(scratch_registry().mu);
  scratch_registry().paths.erase(p.string());
}

void remove_all_scratch_before_exit() {
  scratch_registry().mu.lock();  // never released: the caller exits
  for (const auto& p : scratch_registry().paths) {
    std::error_code ec;
    fs::remove_all(p, ec);
  }
}

ScratchDir::ScratchDir(const std::string& stem, const fs::path& parent) {
  const fs::path base = parent.empty() ? fs::temp_directory_path() : parent;
  std::error_code ec;
  fs::create_directories(base, ec);
  std::string tmpl = (base / (stem + "-XXXXXX")).string();
  // Registered before it exists, so that an interrupt between mkdtemp and insert cannot miss it;
  // the final name is only known after mkdtemp, so the lock is held across both.
  std::lock_guard lock(scratch_registry().mu);
  if (!mkdtemp(tmpl.data()))
    throw UserError("cannot create a temporary directory under " + base.string() + " (" + std::strerror(errno) +
                    "); set TMPDIR or GREENMAC_CACHE to a writable place");
  path_ = tmpl;
  scratch_registry().paths.insert(path_.string());
}

ScratchDir::~ScratchDir() {
  if (kept_) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
  unregister_scratch(path_);
}

void ScratchDir::keep() {
  kept_ = true;
  unregister_scratch(path_);
}

}  // namespace gm
