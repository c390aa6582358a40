// Scratch paths that must not outlive greenmac: private temporary directories and the temporary
// files of atomic writes. Each is registered while it exists, so that the interrupt handler
// (tb/process.cpp) can remove them all when greenmac is stopped by a signal.
#pragma once

#include <filesystem>
#include <string>

namespace gm {

// A private scratch directory under `parent` (default: the system temp dir), removed when this
// object dies and when greenmac is interrupted. keep() hands it over (e.g. after renaming it into
// a cache) so that it is no longer removed.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& stem, const std::filesystem::path& parent = {});
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& p) const { return path_ / p; }
  void keep();

 private:
  std::filesystem::path path_;
  bool kept_ = false;
};

// Registers a path (file or directory) to be removed if greenmac is interrupted before
// unregister_scratch; used for the temporary files of atomic writes.
void register_scratch(const std::filesystem::path& p);
void unregister_scratch(const std::filesystem::path& p);

// For the interrupt handler only: removes every registered path and keeps the registry locked, so
// that no scratch path is created between this and the process's exit.
void remove_all_scratch_before_exit();

}  // namespace gm
