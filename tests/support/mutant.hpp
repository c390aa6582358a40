// Mutants of generated Verilog for the tests that verification must catch them.
#pragma once

#include <filesystem>
#include <regex>
#include <string>

#include "models/files.hpp"

namespace gm::test {

// Flips the first two-input AND gate of the file into an OR: one gate changed, nothing else.
// False when the file has no such gate.
inline bool flip_one_gate(const std::filesystem::path& file) {
  std::string text = gm::read_file(file);
  const std::regex and_gate(R"((assign \w+ = [\w\[\]]+) & ([\w\[\]]+;))");
  std::smatch m;
  if (!std::regex_search(text, m, and_gate)) return false;
  text.replace(m.position(0), m.length(0), m[1].str() + " | " + m[2].str());
  gm::write_file_atomic(file, text);
  return true;
}

}  // namespace gm::test
