#include "synth/fanout.hpp"

#include <map>
#include <set>
#include <stdexcept>
#include <vector>

namespace gm {

namespace {

// Net id of one JSON bit; constants ("0", "1", "x") are not nets.
bool net_of(const nlohmann::json& bit, int& net) {
  if (!bit.is_number_integer()) return false;
  net = bit.get<int>();
  return true;
}

std::set<std::string> clock_pins(const LibCell& cell) {
  std::set<std::string> out;
  if (cell.has_ff)
    for (const auto& v : cell.ff.clocked_on.vars()) out.insert(v);
  return out;
}

}  // namespace

FanoutReport netlist_fanout(const nlohmann::json& netlist, const std::string& top, const Liberty& lib,
                            const std::string& clock_port) {
  const auto& modules = netlist.at("modules");
  if (!modules.contains(top)) throw std::runtime_error("netlist has no module " + top);
  const auto& mod = modules.at(top);

  std::map<int, int> loads;                 // net -> cell input pins it reaches
  std::map<int, bool> cell_driven;          // net -> driven by a cell output
  for (const auto& [inst, c] : mod.at("cells").items()) {
    const std::string type = c.at("type").get<std::string>();
    const LibCell* cell = lib.cell(type);
    if (!cell) throw std::runtime_error("cell " + inst + " is a " + type + ", which the library does not define");
    const auto clocks = clock_pins(*cell);
    for (const auto& [pin, bits] : c.at("connections").items()) {
      const LibPin* p = cell->pin(pin);
      if (!p) throw std::runtime_error("cell " + inst + " (" + type + ") has no pin " + pin + " in the library");
      for (const auto& b : bits) {
        int net = 0;
        if (!net_of(b, net)) continue;
        if (p->direction == "output") cell_driven[net] = true;
        else if (p->direction == "input" && !clocks.count(pin)) ++loads[net];
      }
    }
  }

  // Names: input port bits first, then the netlist's visible net names.
  std::map<int, std::string> port_bit, name;
  for (const auto& [port, p] : mod.at("ports").items()) {
    if (p.at("direction") != "input" || port == clock_port) continue;
    const auto& bits = p.at("bits");
    for (size_t i = 0; i < bits.size(); ++i) {
      int net = 0;
      if (net_of(bits[i], net)) port_bit[net] = bits.size() == 1 ? port : port + "[" + std::to_string(i) + "]";
    }
  }
  for (const auto& [n, info] : mod.at("netnames").items()) {
    if (info.value("hide_name", 0) != 0) continue;
    const auto& bits = info.at("bits");
    for (size_t i = 0; i < bits.size(); ++i) {
      int net = 0;
      if (net_of(bits[i], net) && !name.count(net))
        name[net] = bits.size() == 1 ? n : n + "[" + std::to_string(i) + "]";
    }
  }

  FanoutReport r;
  for (const auto& [net, count] : loads) {
    if (port_bit.count(net)) {
      if (count > r.max_port_fanout) r.max_port_fanout = count, r.max_port = port_bit[net];
    } else if (cell_driven.count(net) && count > r.max_cell_fanout) {
      r.max_cell_fanout = count;
      r.max_cell_net = name.count(net) ? name[net] : "net " + std::to_string(net);
    }
  }
  return r;
}

}  // namespace gm
