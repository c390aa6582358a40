// Operand histogram files ('a b count' lines after '#' comments, as `dnn eval --trace-dir` and
// `evolve --model` write them) read by the tests themselves, not through the parser under test.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include "models/files.hpp"

namespace gm::test {

using DistCounts = std::map<std::pair<int64_t, int64_t>, uint64_t>;

inline DistCounts read_dist_counts(const std::string& file) {
  DistCounts c;
  std::istringstream in(read_file(file));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    int64_t a = 0, b = 0;
    uint64_t n = 0;
    f >> a >> b >> n;
    EXPECT_FALSE(f.fail()) << file << ": " << line;
    c[{a, b}] += n;
  }
  return c;
}

inline uint64_t dist_total(const DistCounts& c) {
  uint64_t s = 0;
  for (const auto& [pair, n] : c) s += n;
  return s;
}

}  // namespace gm::test
