// The CONFIG file of the two verify harnesses (verify_main.cpp and verify_trace_main.cpp, Verilator
// mains compiled separately, each including this header by its path under data_dir(); the harness
// cache key hashes every tb/ header, so a change here rebuilds both). One keyword a line; the lines
// both read are handled here:
//   pairs exhaustive | pairs random N SEED
//   ext-salt HEX   (the key part of external designs' truth tables, see models/families/ext.hpp;
//                   before the design lines, whose models read it)
// and every other line goes to the harness's own reader. Header-only: a harness links only the
// models library.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "models/families/ext.hpp"

namespace gm::harness {

struct PairsConfig {
  uint64_t random_pairs = 0, seed = 1;  // random_pairs 0: every pair (exhaustive)
};

// Reads `path`; `other(keyword, rest)` gets each line that is not a pairs or ext-salt line, with
// `rest` positioned after the keyword. False when the file cannot be read.
inline bool read_verify_config(const char* path, PairsConfig& pairs,
                               const std::function<void(const std::string&, std::istringstream&)>& other) {
  std::ifstream cfg(path);
  if (!cfg) return false;
  std::string line;
  while (std::getline(cfg, line)) {
    std::istringstream ls(line);
    std::string kind;
    ls >> kind;
    if (kind == "pairs") {
      std::string mode;
      ls >> mode;
      if (mode == "random") ls >> pairs.random_pairs >> pairs.seed;
    } else if (kind == "ext-salt") {
      std::string salt;
      ls >> salt;
      gm::set_external_table_salt([salt] { return salt; });
    } else {
      other(kind, ls);
    }
  }
  return true;
}

}  // namespace gm::harness
