#include "synth/flow.hpp"

#include <iomanip>
#include <map>
#include <mutex>
#include <sstream>

#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/tool_names.hpp"
#include "models/install_layout.hpp"
#include "tb/process.hpp"

namespace gm::flow {

const std::string& flow_script(const char* name) {
  static std::map<std::string, std::string> scripts;
  static std::mutex m;
  std::lock_guard<std::mutex> lock(m);
  auto it = scripts.find(name);
  if (it == scripts.end()) it = scripts.emplace(name, read_file(data_file(std::filesystem::path("synth") / "scripts" / name))).first;
  return it->second;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

std::string sta_script(const std::string& body, const std::string& top, double clock_ns) {
  std::string tcl = replace_all(flow_script("sta_head.tcl") + body, "{TOP}", top);
  tcl = replace_all(tcl, "{LIB}", kLinkedLiberty);
  return replace_all(tcl, "{PERIOD}", fmt(clock_ns, 10));
}

std::string fmt(double v, int digits) {
  std::ostringstream os;
  os << std::setprecision(digits) << v;
  return os.str();
}

namespace {

// Truth table of a 1- or 2-input function over the words A=1010, B=1100.
uint64_t truth(const LibExpr& e, const std::vector<std::string>& ins) {
  std::vector<uint64_t> in;
  for (const auto& v : e.vars()) in.push_back(v == ins[0] ? 0xA : (ins.size() > 1 && v == ins[1]) ? 0xC : 0);
  return e.eval(in.data()) & 0xF;
}

}  // namespace

LibInfo load_library(const std::string& name) {
  LibInfo li;
  li.path = resolve_liberty(name);
  li.text = read_file(li.path);
  li.lib = parse_liberty(li.text, li.path.string());
  double best_buf = 1e300, best_nand = 1e300, best_inv = 1e300;
  for (const auto& [cname, c] : li.lib.cells) {
    if (c.has_ff || c.has_latch) continue;
    std::vector<std::string> ins;
    const LibPin* out = nullptr;
    int outs = 0;
    for (const auto& p : c.pins) {
      if (p.direction == "input") ins.push_back(p.name);
      if (p.direction == "output") out = &p, ++outs;
    }
    if (outs != 1 || !out || out->expr.empty()) continue;
    if (ins.size() == 1 && truth(out->expr, ins) == 0xA && c.area < best_buf) {
      best_buf = c.area;
      li.buf_cell = cname, li.buf_in = ins[0], li.buf_out = out->name;
    }
    if (ins.size() == 1 && truth(out->expr, ins) == 0x5 && c.area < best_inv &&
        identifier_problem("inverter cell", cname, "").empty() && identifier_problem("inverter pin", out->name, "").empty()) {
      best_inv = c.area;
      li.inv_cell = cname, li.inv_out = out->name;
    }
    if (ins.size() == 2 && truth(out->expr, ins) == 0x7 && c.area < best_nand) {
      best_nand = c.area;
      li.nand2_area = c.area;
    }
  }
  if (li.buf_cell.empty() || li.nand2_area <= 0)
    throw UserError("liberty file '" + li.path.string() + "' has no buffer or no 2-input NAND cell; it cannot be "
                    "used for synthesis here");
  // The buffer's names go into the Yosys script (insbuf -buf CELL IN OUT).
  for (const auto& [field, value] : {std::pair<const char*, const std::string&>{"buffer cell", li.buf_cell},
                                     {"buffer input pin", li.buf_in}, {"buffer output pin", li.buf_out}})
    if (const auto problem = identifier_problem(field, value, "use a library with plain cell and pin names");
        !problem.empty())
      throw UserError("liberty file '" + li.path.string() + "': " + problem);
  return li;
}

std::string link_liberty(const LibInfo& lib, const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_symlink(fs::absolute(lib.path), dir / kLinkedLiberty, ec);
  if (ec)
    throw UserError("cannot link the liberty file into " + dir.string() + " (" + ec.message() +
                    "); check that the cache directory is writable");
  return kLinkedLiberty;
}

PowerFigures parse_power(const std::string& log, const std::string& marker) {
  const size_t at = log.find("GM_POWER " + marker);
  if (at == std::string::npos) throw std::runtime_error("OpenSTA printed no " + marker + " power report");
  std::istringstream in(log.substr(at));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Total", 0) != 0) continue;
    std::istringstream ls(line.substr(5));
    double i, s, l, t;
    if (!(ls >> i >> s >> l >> t)) break;
    return {t * 1e3, i * 1e3, s * 1e3, l * 1e3};
  }
  throw std::runtime_error("cannot read OpenSTA's " + marker + " power report");
}

nlohmann::json power_json(const PowerFigures& p) {
  return {{"total_mw", p.total_mw}, {"internal_mw", p.internal_mw}, {"switching_mw", p.switching_mw},
          {"leakage_mw", p.leakage_mw}};
}

PowerFigures power_from_json(const nlohmann::json& j) {
  return {j.at("total_mw").get<double>(), j.at("internal_mw").get<double>(), j.at("switching_mw").get<double>(),
          j.at("leakage_mw").get<double>()};
}

std::string activity_tcl(const GateSimResult& sim, const std::string& what) {
  std::ostringstream os;
  os << "# simulated " << what << ": transitions per clock cycle, duty = fraction of cycles at 1\n"
     << "# (" << sim.cycles << " cycles, zero-delay simulation: glitches not counted)\n"
     << std::setprecision(6);
  for (const auto& p : sim.input_ports)
    os << "sta::set_power_input_port_activity [get_ports {" << p.port << "}] " << p.activity << " " << p.duty << "\n";
  for (const auto& p : sim.pins)
    os << "sta::set_power_pin_activity [get_pins {" << p.instance << "/" << p.pin << "}] " << p.activity << " "
       << p.duty << "\n";
  return os.str();
}

void check_activity_model(const std::string& model) {
  if (model != "timed" && model != "zero")
    throw UserError("--activity-model must be timed (glitches counted, SDF delays) or zero (zero-delay), got '" + model +
                    "'");
}

void check_sdf_coverage(int missing, const std::string& what) {
  if (missing > 0)
    throw std::runtime_error(what + ": the SDF gives no delay for " + std::to_string(missing) +
                             " cell arcs of the simulated netlist (instance names differ?)");
}

SdfDelays make_sdf(const std::filesystem::path& dir, const std::string& top, double clock_ns, const std::string& what) {
  write_file_atomic(dir / "sdf.tcl", sta_script(flow_script("sdf.tcl"), top, clock_ns));
  const RunResult run =
      run_program({"sta", "-no_init", "-exit", "sdf.tcl"}, {.cwd = dir, .log_file = dir / "sdf.log", .timeout_s = 3600});
  if (!run.ok() || run.output.find("GM_DONE") == std::string::npos || run.output.find("Error") != std::string::npos)
    throw std::runtime_error(what + ": OpenSTA's write_sdf failed (log " + (dir / "sdf.log").string() + ")");
  return parse_sdf(read_file(dir / "net.sdf"), (dir / "net.sdf").string());
}

}  // namespace gm::flow
