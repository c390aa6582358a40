#include "synth/pin_energy.hpp"

#include <cmath>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "models/cache/cache_key.hpp"
#include "models/cache/cache_store.hpp"
#include "models/files.hpp"
#include "synth/gate_netlist.hpp"
#include "tb/process.hpp"
#include "tb/tool_version.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

std::vector<std::string> tokens(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> t;
  for (std::string w; in >> w;) t.push_back(w);
  return t;
}

// A %e field such as 2.66e-06 (the energy and power columns of OpenSTA's debug lines).
bool is_sci(const std::string& w, double& v) {
  if (w.find('e') == std::string::npos) return false;
  try {
    size_t used = 0;
    v = std::stod(w, &used);
    return used == w.size();
  } catch (const std::exception&) {
    return false;
  }
}

// The text after `marker`'s line; throws when the marker is missing.
std::string after(const std::string& log, const std::string& marker) {
  const size_t at = log.find(marker);
  if (at == std::string::npos) throw std::runtime_error("OpenSTA printed no '" + marker + "'");
  return log.substr(at + marker.size());
}

// The STA script head: the netlist, the clock and the I/O delays of power.tcl.
std::string sta_head(const std::string& top, double clock_ns) {
  std::ostringstream os;
  os.precision(10);
  os << "read_liberty " << flow::kLinkedLiberty << "\nread_verilog net.v\nlink_design " << top
     << "\ncreate_clock -name clk -period " << clock_ns << " [get_ports clk_i]\n"
     << "set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk_i]]\n"
     << "set_output_delay 0 -clock clk [all_outputs]\n";
  return os.str();
}

std::string run_sta(const fs::path& dir, const fs::path& lib_path, const std::string& name, const std::string& tcl) {
  fs::remove(dir / flow::kLinkedLiberty);
  fs::create_symlink(fs::absolute(lib_path), dir / flow::kLinkedLiberty);
  write_file_atomic(dir / (name + ".tcl"), tcl + "puts GM_DONE\n");
  const RunResult r = run_program({"sta", "-no_init", "-exit", name + ".tcl"},
                                  {.cwd = dir, .log_file = dir / (name + ".log"), .timeout_s = 3600});
  fs::remove(dir / flow::kLinkedLiberty);
  if (!r.ok() || r.output.find("GM_DONE") == std::string::npos || r.output.find("Error") != std::string::npos)
    throw std::runtime_error("OpenSTA failed (log " + (dir / (name + ".log")).string() + ")");
  return r.output;
}

// run_sta's log, kept in cache_dir()/pin-energy under everything it depends on (the netlist, the
// library, the script, OpenSTA's version, greenmac's build): an array's calibration is about a
// minute of OpenSTA, and a search (explore) or a per-layer run meets the same netlist many times.
std::string cached_sta_log(const fs::path& dir, const fs::path& lib_path, const std::string& name,
                           const std::string& tcl) {
  CacheKey k;
  k.add_file("net.v", dir / "net.v").add_file("liberty", lib_path).add("script", tcl);
  const std::string key = add_tool_versions(k, {"sta"}).add_build_id().hex();
  const std::string file = name + ".log";
  const CacheStore store("pin-energy");
  const auto e = store.get_or_make(
      key, [&](const fs::path& d) { return read_file(d / file).find("GM_DONE") != std::string::npos; },
      [&](const fs::path& d) { write_file_atomic(d / file, run_sta(dir, lib_path, name, tcl)); });
  return read_file(e.dir / file);
}

}  // namespace

double PinEnergyModel::base_mw() const {
  double b = leakage_mw;
  for (const auto& [pin, mw] : clock_pin_mw) b += mw;
  return b;
}

double PinEnergyModel::sum_pin_pj() const {
  double s = 0;
  for (const auto& [pin, pj] : pin_pj) s += pj;
  return s;
}

// OpenSTA names a pin of a hierarchical netlist "u_out.g_col\[0\].u_lane/_12_/Y" (escaped brackets,
// '/' between the levels); the gate simulation reads the flattened netlist, where the same pin is
// "u_out.g_col[0].u_lane._12_" / "Y". One spelling for both: unescaped, dots between the levels.
std::string flat_pin_name(const std::string& sta_name) {
  std::string s;
  s.reserve(sta_name.size());
  for (char ch : sta_name)
    if (ch != '\\') s += ch;
  const size_t last = s.rfind('/');
  if (last != std::string::npos)
    for (size_t i = 0; i < last; ++i)
      if (s[i] == '/') s[i] = '.';
  return s;
}

PinEnergyModel parse_pin_energy_log(const std::string& log, double clock_ns,
                                    const std::unordered_set<std::string>& clock_pins, double activity) {
  if (!(clock_ns > 0) || !(activity > 0)) throw std::runtime_error("pin energy: bad clock or activity");
  const std::string text = after(log, "GM_POWER calib");
  PinEnergyModel m;
  m.clock_ns = clock_ns;
  std::unordered_map<std::string, double> watts;  // per pin
  std::string current;                            // the pin whose internal arcs follow
  std::string pending_pin;                        // CELL/PIN of a switching line, awaiting its pin header
  double pending_w = 0;
  std::istringstream in(text);
  bool total_seen = false;
  for (std::string line; std::getline(in, line);) {
    if (starts_with(line, "Total") && !total_seen) {
      const auto t = tokens(line.substr(5));
      if (t.size() < 4) throw std::runtime_error("pin energy: cannot read OpenSTA's total power");
      m.report_total_mw = std::stod(t[3]) * 1e3;
      total_seen = true;
      continue;
    }
    if (!starts_with(line, "power:")) continue;
    const auto t = tokens(line.substr(6));
    if (t.empty()) continue;
    if (t[0] == "internal" && t.size() >= 2) {
      current = flat_pin_name(t[1]);
      watts.try_emplace(current, 0.0);
      if (!pending_pin.empty()) {
        const std::string pin = pending_pin.substr(pending_pin.find('/') + 1);
        if (current.size() < pin.size() + 1 || current.compare(current.size() - pin.size() - 1, std::string::npos, "/" + pin) != 0)
          throw std::runtime_error("pin energy: switching of " + pending_pin + " not followed by its pin, but " + current);
        watts[current] += pending_w;
        pending_pin.clear();
      }
    } else if (t[0] == "switching" && t.size() >= 2) {
      double v = 0;
      if (!is_sci(t.back(), v)) throw std::runtime_error("pin energy: cannot read '" + line + "'");
      pending_pin = t[1];
      pending_w = v;
    } else if (t[0] == "leakage" && t.size() >= 4) {
      double v = 0;
      if (!is_sci(t.back(), v)) throw std::runtime_error("pin energy: cannot read '" + line + "'");
      m.leakage_mw += v * 1e3;
    } else if (t.size() >= 3 && t[1] == "->") {
      // "A -> Y B  0.10 0.50  2.66e-14  2.66e-06 no pg_pin": the last %e field is the arc's power.
      double v = 0, power = -1;
      for (const auto& w : t)
        if (is_sci(w, v)) power = v;
      if (power < 0 || current.empty()) throw std::runtime_error("pin energy: cannot read '" + line + "'");
      watts[current] += power;
    }
  }
  if (!total_seen) throw std::runtime_error("pin energy: OpenSTA printed no total power");
  if (!pending_pin.empty()) throw std::runtime_error("pin energy: switching of " + pending_pin + " without its pin");
  for (const auto& [pin, w] : watts) {
    if (clock_pins.count(pin))
      m.clock_pin_mw[pin] = w * 1e3;
    else
      m.pin_pj[pin] = w * 1e3 * clock_ns / activity;  // mW x ns = pJ, per transition
  }
  return m;
}

std::unordered_set<std::string> clock_pins(const nlohmann::json& netlist, const std::string& top, const Liberty& lib,
                                           const std::string& clock_port) {
  const gate::Netlist n = gate::load_netlist(netlist, top, lib, clock_port);
  std::unordered_set<int> clock_nets;
  for (const auto& p : n.ports)
    if (p.clock) clock_nets.insert(p.net);
  std::unordered_set<std::string> pins;
  for (const auto& c : n.cells)
    for (const auto& [pin, net] : c.pins)
      if (clock_nets.count(net)) pins.insert(c.name + "/" + pin);
  return pins;
}

PinEnergyModel calibrate_pin_energy(const fs::path& dir, const std::string& top, const fs::path& lib_path,
                                    double clock_ns, const std::unordered_set<std::string>& clock_pins) {
  // The worst slack first (as power.tcl prints it), so that the whole inferences need no other STA run.
  const std::string tcl = sta_head(top, clock_ns) +
                          "puts \"GM_SLACK [sta::worst_slack -max]\"\n"
                          "set_power_activity -global -activity 1 -duty 0.5\n"
                          "sta::set_debug power 2\nputs \"GM_POWER calib\"\nreport_power -digits 8\n"
                          "sta::set_debug power 0\n";
  const std::string log = cached_sta_log(dir, lib_path, "pin_energy", tcl);
  PinEnergyModel m = parse_pin_energy_log(log, clock_ns, clock_pins);
  std::smatch at;
  if (!std::regex_search(log, at, std::regex(R"(GM_SLACK ([0-9.eE+-]+))")))
    throw std::runtime_error("pin energy: OpenSTA printed no worst slack");
  m.slack_ns = std::stod(at[1]);
  return m;
}

PinEnergyCheck validate_pin_energy(const fs::path& dir, const std::string& top, const fs::path& lib_path,
                                   const PinEnergyModel& model, const nlohmann::json& netlist, const Liberty& lib,
                                   double input_activity) {
  std::ostringstream tcl;
  tcl << sta_head(top, model.clock_ns) << "set_power_activity -input -activity " << input_activity
      << " -duty 0.5\nsta::set_debug power_activity 3\nputs \"GM_POWER direct\"\nreport_power -digits 8\n";
  const std::string log = run_sta(dir, lib_path, "pin_energy_check", tcl.str());
  PinEnergyCheck c;
  c.direct_mw = flow::parse_power(log, "direct").total_mw;
  // OpenSTA's propagated activity of every driver pin ("power_activity: set PIN ACT DUTY", ACT in
  // transitions per clock period, as set_power_activity takes it); the last value of a pin wins.
  std::unordered_map<std::string, double> driver_act;  // transitions per period
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (!starts_with(line, "power_activity:")) continue;
    const auto t = tokens(line.substr(15));
    if (t.size() >= 4 && t[0] == "set") driver_act[flat_pin_name(t[1])] = std::stod(t[2]);
  }
  // Every pin takes its net's activity: the driver pin's, or the input port's.
  const gate::Netlist n = gate::load_netlist(netlist, top, lib, "clk_i");
  std::vector<double> net_act(n.nets, 0.0);
  for (const auto& p : n.ports)
    if (p.direction == "input" && !p.clock) net_act[p.net] = input_activity;
  for (const auto& cell : n.cells)
    for (const auto& [pin, net] : cell.pins) {
      const auto at = driver_act.find(cell.name + "/" + pin);
      if (at != driver_act.end()) net_act[net] = at->second;
    }
  double pj_per_period = 0;
  for (const auto& cell : n.cells)
    for (const auto& [pin, net] : cell.pins) {
      const auto e = model.pin_pj.find(cell.name + "/" + pin);
      if (e == model.pin_pj.end() || net < 2) continue;
      pj_per_period += net_act[net] * e->second;
      c.pins_with_activity += net_act[net] > 0;
    }
  c.model_mw = pj_per_period / model.clock_ns + model.base_mw();
  return c;
}

}  // namespace gm
