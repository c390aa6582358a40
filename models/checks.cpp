#include "models/checks.hpp"

#include <iostream>

namespace gm {

std::string CheckLog::stderr_lines() const {
  std::string s;
  for (const auto& f : failed_) s += "greenmac: check failed: " + f + "\n";
  return s;
}

std::string CheckLog::markdown_lines() const {
  std::string s;
  for (const auto& f : failed_) s += "**check failed:** " + f + "\n\n";
  return s;
}

int CheckLog::finish() const {
  std::cout.flush();
  std::cerr << stderr_lines() << std::flush;
  return exit_code();
}

}  // namespace gm
