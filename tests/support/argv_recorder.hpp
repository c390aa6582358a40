// A stand-in program that records the argument vectors it is called with: for fake greenmac and
// sbatch binaries in tests of the Slurm scripts (tests/cli/slurm_*_test.cpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "models/files.hpp"

namespace gm::test {

// Writes DIR/NAME, a bash script that appends its argv ($0 first), each word ended by a NUL and
// the call by a newline, to the file $GM_ARGV_LOG, then runs `extra` (more bash lines).
inline std::filesystem::path write_argv_recorder(const std::filesystem::path& dir, const std::string& name,
                                                 const std::string& extra = "") {
  const std::filesystem::path p = dir / name;
  write_file_atomic(p, "#!/bin/bash\n"
                       "printf '%s\\0' \"$0\" \"$@\" >>\"$GM_ARGV_LOG\"\n"
                       "printf '\\n' >>\"$GM_ARGV_LOG\"\n" +
                           extra);
  std::filesystem::permissions(p, std::filesystem::perms::owner_all);
  return p;
}

// The calls a recorder logged, each its argv without $0. (A word may hold a newline, but not
// start with one.)
inline std::vector<std::vector<std::string>> read_argv_calls(const std::filesystem::path& log) {
  std::vector<std::vector<std::string>> calls;
  const std::string text = read_file(log);
  std::vector<std::string> call;
  std::string word;
  bool first = true;  // $0
  for (char c : text) {
    if (c == '\0') {
      if (!first) call.push_back(word);
      first = false;
      word.clear();
    } else if (c == '\n' && word.empty()) {
      calls.push_back(call);
      call.clear();
      first = true;
    } else {
      word += c;
    }
  }
  return calls;
}

}  // namespace gm::test
