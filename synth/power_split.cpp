#include "synth/power_split.hpp"

#include <sstream>
#include <stdexcept>

namespace gm::flow {

PowerFigures parse_power_group(const std::string& log, const std::string& marker, const std::string& group) {
  const size_t at = log.find("GM_POWER " + marker);
  if (at == std::string::npos) throw std::runtime_error("OpenSTA printed no " + marker + " power report");
  std::istringstream in(log.substr(at));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Total", 0) == 0) break;  // the groups come before the total
    std::istringstream ls(line);
    std::string name;
    double i, s, l, t;
    if (!(ls >> name) || name != group) continue;
    if (!(ls >> i >> s >> l >> t)) break;
    return {t * 1e3, i * 1e3, s * 1e3, l * 1e3};
  }
  throw std::runtime_error("no " + group + " row in OpenSTA's " + marker + " power report");
}

}  // namespace gm::flow
