#include "synth/gate_import.hpp"

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "generator/registry.hpp"
#include "models/cache/cache_key.hpp"
#include "models/cache/cache_store.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "synth/flow.hpp"
#include "tb/process.hpp"
#include "tb/tool_version.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace gm {
namespace {

using evo::GateNetlist;
using evo::GateOp;

// Yosys's internal gate cells (the output of `abc -g`) and the netlist op each is. The inputs keep
// their order: $_ANDNOT_ is A & ~B and $_ORNOT_ is A | ~B (Yosys's simcells.v), which are
// GateOp::kAndNot and kOrNot with in0 = A, in1 = B.
const std::map<std::string, GateOp>& cell_ops() {
  static const std::map<std::string, GateOp> ops = {
      {"$_AND_", GateOp::kAnd},       {"$_OR_", GateOp::kOr},       {"$_XOR_", GateOp::kXor},
      {"$_NAND_", GateOp::kNand},     {"$_NOR_", GateOp::kNor},     {"$_XNOR_", GateOp::kXnor},
      {"$_ANDNOT_", GateOp::kAndNot}, {"$_ORNOT_", GateOp::kOrNot}, {"$_NOT_", GateOp::kNot},
      {"$_BUF_", GateOp::kBuf}};
  return ops;
}

// A bit in Yosys JSON: a net number, or a constant "0", "1", "x", "z".
using Bit = std::variant<int64_t, std::string>;

Bit bit_of(const json& b) {
  if (b.is_number_integer()) return b.get<int64_t>();
  return b.get<std::string>();
}

struct PendingGate {
  std::string name;  // Yosys's cell name, for messages
  GateOp op;
  std::vector<Bit> in;  // A (and B)
  int64_t out;          // Y
};

class JsonImport {
 public:
  JsonImport(const json& module, int w, bool is_signed, const std::string& origin)
      : mod_(module), origin_(origin) {
    n_.w = w;
    n_.is_signed = is_signed;
  }

  GateNetlist run() {
    read_ports();
    read_cells();
    place_gates_in_order();
    for (size_t i = 0; i < y_bits_.size(); ++i) n_.outputs.push_back(net_of(y_bits_[i], "product bit y" + std::to_string(i)));
    GateNetlist out = evo::compacted(n_);
    if (out.gates.size() > static_cast<size_t>(evo::kMaxGates))
      fail("has " + std::to_string(out.gates.size()) + " gates, more than a netlist holds (" +
           std::to_string(evo::kMaxGates) + "); seed from a smaller design");
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw UserError(origin_ + ": the gate netlist " + what); }

  // Exactly a_i[w], b_i[w] in and y_o[2w] out: the ports every generated multiplier has.
  void read_ports() {
    const json& ports = mod_.at("ports");
    auto port = [&](const char* name, const char* dir, int width) -> const json& {
      if (!ports.contains(name) || ports[name].at("direction") != dir || static_cast<int>(ports[name].at("bits").size()) != width)
        fail(std::string("has no ") + std::to_string(width) + "-bit " + dir + " port " + name +
             "; give a multiplier with greenmac's ports a_i, b_i and y_o");
      return ports[name].at("bits");
    };
    for (const auto& [name, p] : ports.items())
      if (name != "a_i" && name != "b_i" && name != "y_o")
        fail("has an extra port '" + name + "'; only a_i, b_i and y_o can become a netlist");
    const json& a = port("a_i", "input", n_.w);
    const json& b = port("b_i", "input", n_.w);
    for (int i = 0; i < n_.w; ++i) {
      drive(bit_of(a[i]), n_.net_a(i), "operand bit a" + std::to_string(i));
      drive(bit_of(b[i]), n_.net_b(i), "operand bit b" + std::to_string(i));
    }
    for (const json& y : port("y_o", "output", 2 * n_.w)) y_bits_.push_back(bit_of(y));
  }

  // Records the net a Yosys bit stands for; a bit driven twice (two cells, or a cell and an input)
  // is no netlist.
  void drive(const Bit& bit, uint32_t net, const std::string& by) {
    if (!std::holds_alternative<int64_t>(bit)) fail("has " + by + " tied to a constant; give operand ports Yosys keeps");
    if (!net_of_bit_.emplace(std::get<int64_t>(bit), net).second)
      fail("drives net " + bit_name(std::get<int64_t>(bit)) + " twice (" + by + " and another driver); give a design with one driver per net");
  }

  void read_cells() {
    for (const auto& [name, cell] : mod_.at("cells").items()) {
      const std::string type = cell.at("type");
      const auto op = cell_ops().find(type);
      if (op == cell_ops().end())
        fail("has a cell '" + name + "' of type " + type +
             ", which is no gate of a .gmnet netlist (AND, OR, XOR, NAND, NOR, XNOR, ANDNOT, ORNOT, NOT, BUF); "
             "seed from a combinational design");
      const json& c = cell.at("connections");
      PendingGate g{name, op->second, {bit_of(c.at("A").at(0))}, 0};
      if (!evo::op_is_unary(g.op)) g.in.push_back(bit_of(c.at("B").at(0)));
      const Bit y = bit_of(c.at("Y").at(0));
      if (!std::holds_alternative<int64_t>(y)) fail("has a cell '" + name + "' whose output is a constant");
      g.out = std::get<int64_t>(y);
      if (net_of_bit_.count(g.out) || !driver_.emplace(g.out, pending_.size()).second)
        fail("drives net " + bit_name(g.out) + " twice; give a design with one driver per net");
      pending_.push_back(std::move(g));
    }
  }

  // Kahn's algorithm: a gate is placed once every gate it reads is. Gates left over sit on a
  // combinational loop or behind one.
  void place_gates_in_order() {
    std::vector<int> waiting(pending_.size(), 0);
    std::vector<std::vector<size_t>> readers(pending_.size());
    for (size_t k = 0; k < pending_.size(); ++k)
      for (const Bit& in : pending_[k].in)
        if (const auto d = driver_of(in)) {
          ++waiting[k];
          readers[*d].push_back(k);
        }
    std::deque<size_t> ready;
    for (size_t k = 0; k < pending_.size(); ++k)
      if (waiting[k] == 0) ready.push_back(k);
    size_t placed = 0;
    while (!ready.empty()) {
      const size_t k = ready.front();
      ready.pop_front();
      const PendingGate& g = pending_[k];
      const uint32_t in0 = net_of(g.in[0], "gate " + g.name);
      const uint32_t in1 = g.in.size() > 1 ? net_of(g.in[1], "gate " + g.name) : GateNetlist::kConst0;
      net_of_bit_[g.out] = n_.add(g.op, in0, in1);
      ++placed;
      for (const size_t r : readers[k])
        if (--waiting[r] == 0) ready.push_back(r);
    }
    if (placed < pending_.size()) fail_on_loop(waiting);
  }

  // Walks back from a gate left waiting, always through an input driven by another waiting gate,
  // until a gate repeats: that gate is on the loop.
  [[noreturn]] void fail_on_loop(const std::vector<int>& waiting) const {
    size_t k = 0;
    while (waiting[k] == 0) ++k;
    std::unordered_set<size_t> seen;
    while (seen.insert(k).second)
      for (const Bit& in : pending_[k].in)
        if (const auto d = driver_of(in); d && waiting[*d] > 0) {
          k = *d;
          break;
        }
    fail("has a combinational loop through net " + bit_name(pending_[k].out) +
         "; a netlist is a DAG: seed from a design without feedback");
  }

  std::optional<size_t> driver_of(const Bit& bit) const {
    if (!std::holds_alternative<int64_t>(bit)) return std::nullopt;
    const auto it = driver_.find(std::get<int64_t>(bit));
    return it == driver_.end() ? std::nullopt : std::optional<size_t>(it->second);
  }

  uint32_t net_of(const Bit& bit, const std::string& reader) const {
    if (const auto* c = std::get_if<std::string>(&bit)) {
      if (*c == "0") return GateNetlist::kConst0;
      if (*c == "1") return GateNetlist::kConst1;
      fail("leaves " + reader + " undriven ('" + *c + "'); drive every product bit and every gate input");
    }
    const auto it = net_of_bit_.find(std::get<int64_t>(bit));
    if (it == net_of_bit_.end())
      fail("leaves " + reader + " reading net " + bit_name(std::get<int64_t>(bit)) +
           ", which nothing drives; drive every product bit and every gate input");
    return it->second;
  }

  // A Yosys net's name for messages: a user-visible name when it has one.
  std::string bit_name(int64_t bit) const {
    std::string hidden;
    for (const auto& [name, net] : mod_.at("netnames").items())
      for (const json& b : net.at("bits"))
        if (b.is_number_integer() && b.get<int64_t>() == bit) {
          if (net.value("hide_name", 0) == 0) return "'" + name + "'";
          if (hidden.empty()) hidden = "'" + name + "'";
        }
    return hidden.empty() ? std::to_string(bit) : hidden;
  }

  const json& mod_;
  const std::string& origin_;
  GateNetlist n_;
  std::vector<Bit> y_bits_;
  std::vector<PendingGate> pending_;
  std::unordered_map<int64_t, uint32_t> net_of_bit_;  // operand bits, then the gates as placed
  std::unordered_map<int64_t, size_t> driver_;       // net -> the pending gate driving it
};

// Yosys on the design's Verilog in `dir`; the netlist it wrote, converted.
GateNetlist run_yosys(const Spec& spec, const std::string& rtl, const std::string& script, const std::string& yosys,
                      const GateImportOptions& opt, const fs::path& dir) {
  write_file_atomic(dir / "dut.v", rtl);
  write_file_atomic(dir / "gates.ys", script);
  const RunResult r = run_program({yosys, "-q", "-l", "yosys.log", "-s", "gates.ys"}, {.cwd = dir, .timeout_s = opt.timeout_s});
  if (!r.ok())
    throw std::runtime_error(spec.name() + ": Yosys failed to map the design onto gates" +
                             (r.timed_out ? " (timed out after " + std::to_string(opt.timeout_s) + " s)" : "") + ": " +
                             r.output.substr(0, 400));
  const GateNetlist n =
      gate_netlist_from_yosys_json(json::parse(read_file(dir / "gates.json")), spec.name(), spec.w, spec.is_signed, spec.name());
  fs::remove(dir / "gates.json");  // the .gmnet holds what it says
  return n;
}

// The cached netlist, when it parses and has the design's width and signedness.
bool read_cached(const fs::path& dir, const Spec& spec, GateNetlist& out) {
  try {
    const fs::path file = dir / "netlist.gmnet";
    out = evo::parse_gate_netlist(read_file(file), file.string());
    return out.w == spec.w && out.is_signed == spec.is_signed;
  } catch (const UserError&) {
    return false;
  }
}

}  // namespace

GateNetlist gate_netlist_from_yosys_json(const json& netlist, const std::string& top, int w, bool is_signed,
                                         const std::string& origin) {
  if (!netlist.contains("modules") || !netlist["modules"].contains(top))
    throw UserError(origin + ": the Yosys netlist has no module '" + top + "'; give the design's top module");
  try {
    return JsonImport(netlist["modules"][top], w, is_signed, origin).run();
  } catch (const json::exception& e) {
    throw UserError(origin + ": the Yosys netlist of module '" + top + "' is malformed (" + e.what() + "); write it with write_json");
  }
}

GateNetlist import_gate_netlist(const Spec& spec, const GateImportOptions& opt, GateImportStats* stats) {
  const auto t0 = std::chrono::steady_clock::now();
  if (spec.w < evo::kMinWidth || spec.w > evo::kMaxWidth)
    throw UserError(spec.name() + ": an evo netlist has operands of " + std::to_string(evo::kMinWidth) + ".." +
                    std::to_string(evo::kMaxWidth) + " bits, this design w=" + std::to_string(spec.w) +
                    "; seed from a design with w <= " + std::to_string(evo::kMaxWidth));
  const auto yosys = find_on_path(opt.yosys);
  if (!yosys)
    throw UserError("yosys (" + opt.yosys + ") is not installed or not executable; install it with `apt-get install yosys`" +
                    " or give the path of the yosys program");
  const std::string rtl = rtl::generate_verilog(spec);
  const std::string script = flow::replace_all(flow::flow_script("gates.ys"), "{TOP}", spec.name());

  GateNetlist n;
  bool cached = false;
  if (!opt.use_cache) {
    const ScratchDir dir("gm-gate-import");
    n = run_yosys(spec, rtl, script, yosys->string(), opt, dir.path());
  } else {
    CacheKey key;
    key.add("rtl", rtl).add("module", spec.name()).add("w", std::to_string(spec.w));
    key.add("s", spec.is_signed ? "1" : "0").add("gates.ys", flow::flow_script("gates.ys"));
    key.add("tool yosys", tool_version(yosys->string())).add_build_id();
    const auto entry = CacheStore("gate-import").get_or_make(
        key.hex(), [&](const fs::path& dir) { return read_cached(dir, spec, n); },
        [&](const fs::path& dir) {
          n = run_yosys(spec, rtl, script, yosys->string(), opt, dir);
          write_file_atomic(dir / "netlist.gmnet", evo::canonical_text(n));
        });
    cached = entry.cached;
  }
  if (stats) {
    stats->cached = cached;
    stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  return n;
}

}  // namespace gm
