#include "models/map_lines.hpp"

#include <sstream>

namespace gm {

std::string MapLine::text() const {
  std::string out;
  for (const auto& t : tokens) out += (out.empty() ? "" : " ") + t;
  return out;
}

std::vector<MapLine> map_lines(const std::string& text, const std::string& origin) {
  std::vector<MapLine> out;
  std::istringstream in(text);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    MapLine m;
    std::istringstream words(line);
    for (std::string t; words >> t;) m.tokens.push_back(t);
    if (m.tokens.empty()) continue;
    m.where = origin + ":" + std::to_string(number);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace gm
