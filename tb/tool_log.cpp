#include "tb/tool_log.hpp"

#include <cctype>
#include <sstream>

namespace gm {

namespace {

bool is_error_line(const std::string& line) {
  // Warnings name files too; only errors decide. Icarus writes "syntax error" without "error:".
  return line.find("rror") != std::string::npos || line.find("ERROR") != std::string::npos;
}

// Where `name` occurs in `line` as a whole file name followed by ":<digits>"; npos otherwise.
// Sets `line_no` and `rest` (the text after "LINE:" and an optional "COLUMN:").
size_t locate(const std::string& line, const std::string& name, std::string& line_no, std::string& rest) {
  for (size_t at = line.find(name); at != std::string::npos; at = line.find(name, at + 1)) {
    const bool starts = at == 0 || line[at - 1] == '/' || line[at - 1] == ' ' || line[at - 1] == '\'' ||
                        line[at - 1] == '"';
    size_t p = at + name.size();
    if (!starts || p >= line.size() || line[p] != ':') continue;
    size_t q = ++p;
    while (q < line.size() && std::isdigit(static_cast<unsigned char>(line[q]))) ++q;
    if (q == p) continue;
    line_no = line.substr(p, q - p);
    if (q < line.size() && line[q] == ':') ++q;
    // an optional column number
    size_t c = q;
    while (c < line.size() && std::isdigit(static_cast<unsigned char>(line[c]))) ++c;
    if (c > q && c < line.size() && line[c] == ':') q = c + 1;
    rest = line.substr(q);
    return at;
  }
  return std::string::npos;
}

std::string tidy(std::string msg) {
  auto strip = [&msg] {
    while (!msg.empty() && (msg.front() == ' ' || msg.front() == '\t')) msg.erase(0, 1);
    while (!msg.empty() && (msg.back() == ' ' || msg.back() == '\r' || msg.back() == '\t')) msg.pop_back();
  };
  strip();
  for (const char* prefix : {"ERROR:", "error:", "Error:"})
    if (msg.rfind(prefix, 0) == 0) msg.erase(0, std::string(prefix).size());
  strip();
  return msg.empty() ? "error" : msg;
}

}  // namespace

std::optional<std::string> first_user_source_error(const std::string& log, const std::vector<UserSource>& files,
                                                   const std::string& tool) {
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    if (!is_error_line(line)) continue;
    for (const auto& f : files) {
      std::string line_no, rest;
      if (locate(line, f.tool_name, line_no, rest) == std::string::npos) continue;
      return f.user_path.string() + ":" + line_no + ": " + tidy(rest) + " (" + tool + ")";
    }
  }
  return std::nullopt;
}

}  // namespace gm
