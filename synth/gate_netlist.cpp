#include "synth/gate_netlist.hpp"

#include <algorithm>
#include <map>
#include <queue>
#include <regex>
#include <stdexcept>

namespace gm::gate {

namespace {

// Yosys JSON bit: a net number, or "0"/"1" (constants; "x"/"z" read as 0).
int json_bit(const nlohmann::json& b) {
  if (b.is_number_integer()) return b.get<int>();
  return b.get<std::string>() == "1" ? 1 : 0;
}

// A port of the netlist is either one bit named "bus[k]" (after `splitnets -ports`) or a whole bus.
void split_port_name(const std::string& name, size_t nbits, size_t k, int offset, std::string& bus, int& bit,
                     std::string& bit_name) {
  static const std::regex indexed(R"((.*)\[(\d+)\])");
  std::smatch m;
  if (nbits == 1 && std::regex_match(name, m, indexed)) {
    bus = m[1];
    bit = std::stoi(m[2]);
    bit_name = name;
    return;
  }
  bus = name;
  bit = offset + static_cast<int>(k);
  bit_name = nbits == 1 ? name : name + "[" + std::to_string(bit) + "]";
}

}  // namespace

Netlist load_netlist(const nlohmann::json& netlist, const std::string& top, const Liberty& lib,
                     const std::string& clock_port) {
  if (!netlist.contains("modules") || !netlist["modules"].contains(top))
    throw std::runtime_error("netlist has no module '" + top + "'");
  const nlohmann::json& mod = netlist["modules"][top];
  Netlist out;
  auto note_net = [&](int n) { out.nets = std::max(out.nets, n + 1); };

  for (const auto& [name, port] : mod["ports"].items()) {
    const auto& bits = port["bits"];
    const int offset = port.value("offset", 0);
    for (size_t k = 0; k < bits.size(); ++k) {
      PortBit pb;
      split_port_name(name, bits.size(), k, offset, pb.bus, pb.bit, pb.name);
      pb.net = json_bit(bits[k]);
      note_net(pb.net);
      pb.direction = port["direction"];
      pb.clock = pb.bus == clock_port;
      out.ports.push_back(std::move(pb));
    }
  }

  int flops = 0;
  for (const auto& [name, c] : mod["cells"].items()) {
    Cell cell;
    cell.name = name;
    const std::string type = c["type"];
    cell.lib = lib.cell(type);
    if (!cell.lib) throw std::runtime_error("cell type '" + type + "' of " + name + " is not in the library");
    if (cell.lib->has_latch) throw std::runtime_error("cell " + type + " (latch or state table) cannot be simulated");
    std::map<std::string, int> pin_net;
    for (const auto& [pin, bits] : c["connections"].items()) {
      if (bits.size() != 1) throw std::runtime_error("cell " + name + " pin " + pin + " is not a single bit");
      const int net = json_bit(bits[0]);
      note_net(net);
      pin_net[pin] = net;
      cell.pins.emplace_back(pin, net);
    }
    const LibCell& lc = *cell.lib;
    auto bind = [&](const LibExpr& e) {
      Func f;
      f.expr = &e;
      for (const std::string& v : e.vars()) {
        if (lc.has_ff && v == lc.ff.iq) f.vars.push_back(kStateVar);
        else if (lc.has_ff && v == lc.ff.iqn) f.vars.push_back(kStateNotVar);
        else if (pin_net.count(v)) f.vars.push_back(pin_net[v]);
        else throw std::runtime_error("cell " + name + " (" + type + "): function uses unconnected '" + v + "'");
      }
      return f;
    };
    cell.flop = lc.has_ff;
    if (cell.flop) {
      cell.next_state = bind(lc.ff.next_state);
      if (!lc.ff.clear.empty()) cell.clear = bind(lc.ff.clear);
      if (!lc.ff.preset.empty()) cell.preset = bind(lc.ff.preset);
      cell.state = flops++;
    }
    for (const LibPin& p : lc.pins) {
      if (p.direction != "output" || !pin_net.count(p.name)) continue;
      if (p.expr.empty()) throw std::runtime_error("output " + type + "/" + p.name + " has no function in the library");
      cell.outs.emplace_back(pin_net[p.name], bind(p.expr));
    }
    out.cells.push_back(std::move(cell));
  }
  return out;
}

std::vector<int> evaluation_order(const std::vector<Cell>& cells, int nets,
                                  const std::function<std::vector<const Func*>(const Cell&)>& reads) {
  std::vector<int> driver(nets, -1);
  for (size_t k = 0; k < cells.size(); ++k)
    for (const auto& [net, f] : cells[k].outs) driver[net] = static_cast<int>(k);
  std::vector<std::vector<int>> users(cells.size());
  std::vector<int> waiting(cells.size(), 0);
  for (size_t k = 0; k < cells.size(); ++k)
    for (const auto* f : reads(cells[k]))
      for (int v : f->vars)
        if (v >= 0 && driver[v] >= 0) {
          users[driver[v]].push_back(static_cast<int>(k));
          ++waiting[k];
        }
  std::queue<int> ready;
  for (size_t k = 0; k < cells.size(); ++k)
    if (!waiting[k]) ready.push(static_cast<int>(k));
  std::vector<int> order;
  while (!ready.empty()) {
    const int k = ready.front();
    ready.pop();
    order.push_back(k);
    for (int u : users[k])
      if (--waiting[u] == 0) ready.push(u);
  }
  return order;
}

BusPorts gather_ports(const std::vector<PortBit>& bits, std::vector<bool>& is_clock) {
  BusPorts out;
  for (const PortBit& pb : bits) {
    if (pb.clock) {
      is_clock[pb.net] = true;
      continue;
    }
    auto [it, fresh] = out.index.emplace(pb.bus, static_cast<int>(out.ports.size()));
    if (fresh) out.ports.push_back({pb.bus, pb.direction == "input", {}, {}});
    BusPort& port = out.ports[it->second];
    if (static_cast<int>(port.nets.size()) <= pb.bit) port.nets.resize(pb.bit + 1, 0), port.bit_names.resize(pb.bit + 1);
    port.nets[pb.bit] = pb.net;
    port.bit_names[pb.bit] = pb.name;
  }
  return out;
}

}  // namespace gm::gate
