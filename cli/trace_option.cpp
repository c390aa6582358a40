#include "cli/trace_option.hpp"

#include <iostream>

#include "models/files.hpp"

namespace gm {

void add_trace_option(CLI::App& sub, std::string* dir, const std::string& what) {
  sub.add_option("--trace", *dir, "write a waveform (DIR/NAME.fst) and a GTKWave save file (DIR/NAME.gtkw) of " + what);
}

void check_trace_dir(const std::string& dir) {
  if (!dir.empty()) ensure_output_dir(dir, "--trace");
}

std::string shell_quote(const std::string& word) {
  const std::string safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=:,./@%";
  if (!word.empty() && word.find_first_not_of(safe) == std::string::npos) return word;
  std::string out = "'";
  for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void print_reproduce_line(const std::vector<std::string>& words) {
  std::string line = " greenmac";
  for (const auto& w : words) {
    line += ' ';  // two appends, not " " + quoted: GCC 12 at -O3 warns falsely about that operator+ when inlined
    line += shell_quote(w);
  }
  std::cerr << "greenmac: reproduce with a waveform:" << line << " --trace " << kSuggestedTraceDir << "\n";
}

}  // namespace gm
