// A waveform read back for tests: an FST converted to VCD by gtkwave's fst2vcd, its signals by full
// name and its value changes by time. Only what the trace tests check: names, times, values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tb/process.hpp"

namespace gm::test {

struct Vcd {
  std::map<std::string, std::string> id_of;  // full name without range (TOP.top.a_i) -> VCD id
  std::map<std::string, int> width_of;       // full name without range -> bits
  // time -> (id -> value as bits, "0"/"1" for one bit), the changes at that time
  std::map<uint64_t, std::map<std::string, std::string>> changes;

  bool has(const std::string& name) const { return id_of.count(name) != 0; }
};

// "TOP.top.a_i[7:0]" -> "TOP.top.a_i": the name a signal has in id_of.
inline std::string without_range(const std::string& name) {
  if (name.empty() || name.back() != ']') return name;
  return name.substr(0, name.rfind('['));
}

// Converts `fst` with fst2vcd (into `vcd_file`) and parses it; empty when the conversion fails.
inline Vcd read_fst(const std::filesystem::path& fst, const std::filesystem::path& vcd_file) {
  Vcd v;
  const gm::RunResult r = gm::run_program({"fst2vcd", "-f", fst.string(), "-o", vcd_file.string()});
  if (!r.ok()) return v;
  std::ifstream in(vcd_file);
  std::vector<std::string> scopes;
  std::string line;
  bool header = true;
  uint64_t t = 0;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string word;
    ls >> word;
    if (header) {
      if (word == "$scope") {
        std::string kind, name;
        ls >> kind >> name;
        scopes.push_back(name);
      } else if (word == "$upscope") {
        if (!scopes.empty()) scopes.pop_back();
      } else if (word == "$var") {
        std::string type, id, name;
        int width = 0;
        ls >> type >> width >> id >> name;
        std::string full;
        for (const auto& s : scopes) full += s + ".";
        full += without_range(name);
        v.id_of[full] = id;
        v.width_of[full] = width;
      } else if (word == "$enddefinitions") {
        header = false;
      }
      continue;
    }
    if (word.empty()) continue;
    if (word[0] == '#') {
      t = std::stoull(word.substr(1));
    } else if (word[0] == 'b') {
      std::string id;
      ls >> id;
      v.changes[t][id] = word.substr(1);
    } else if (word[0] == '0' || word[0] == '1' || word[0] == 'x' || word[0] == 'z') {
      v.changes[t][word.substr(1)] = word.substr(0, 1);
    }
  }
  return v;
}

// The value of every signal at every time with a change: `visit(time, values)` where values maps
// id -> bits (the value held since its last change).
template <class F>
void for_each_time(const Vcd& v, F visit) {
  std::map<std::string, std::string> now;
  for (const auto& [t, ch] : v.changes) {
    for (const auto& [id, bits] : ch) now[id] = bits;
    visit(t, now);
  }
}

// A VCD vector value (leading zeros dropped by the writer) as a number.
inline uint64_t bits_value(const std::string& bits) {
  uint64_t x = 0;
  for (const char c : bits) x = (x << 1) | (c == '1');
  return x;
}

// The signal lines of a .gtkw save file (not flags, comments, groups or settings).
inline std::vector<std::string> gtkw_signals(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '@' && line[0] != '-' && line[0] != '[' && line[0] != '*') out.push_back(line);
  return out;
}

}  // namespace gm::test
