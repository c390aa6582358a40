// A fresh private directory for a test's files (under the system temp dir, or under `stem` when
// it is an absolute path prefix). Tests keep it for inspection; the tool itself uses gm::ScratchDir.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace gm::test {

inline std::filesystem::path temp_dir(const std::string& stem) {
  const std::filesystem::path base(stem);
  std::string tmpl = (base.is_absolute() ? base : std::filesystem::temp_directory_path() / base).string() + "-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary directory " + tmpl);
  return tmpl;
}

}  // namespace gm::test
