// Array configurations written the short way the array tests use (tests/generator/array/): R x C
// PEs of one multiplier with a 32-bit accumulator, or with a --mul-map file written here.
#pragma once

#include <filesystem>
#include <string>

#include "generator/array/array.hpp"
#include "models/files.hpp"
#include "models/spec.hpp"
#include "tests/support/temp_dir.hpp"

namespace gm::test {

inline ArrayConfig config(int r, int c, const std::string& mul, bool zero_gate = false) {
  return make_array_config(r, c, parse_spec(mul), "", 32, zero_gate);
}

// `map` is the text of a --mul-map file (row/col/pe lines); the file lives only while it is read.
inline ArrayConfig mapped(int r, int c, const std::string& mul, const std::string& map, bool zero_gate) {
  const std::filesystem::path dir = temp_dir("gm-array-test");
  write_file_atomic(dir / "map.txt", map);
  struct Remove {
    std::filesystem::path dir;
    ~Remove() { std::filesystem::remove_all(dir); }  // also when make_array_config throws
  } remove{dir};
  return make_array_config(r, c, parse_spec(mul), (dir / "map.txt").string(), 32, zero_gate);
}

}  // namespace gm::test
