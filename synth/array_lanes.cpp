#include "synth/array_lanes.hpp"

#include <bit>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "models/files.hpp"
#include "synth/array_ports.hpp"
#include "synth/flow.hpp"
#include "tb/array_stream.hpp"
#include "tb/process.hpp"

namespace gm {

namespace {

// The lane-parallel adapter: control ports from lane 0's ArrayInputs (checked equal in every lane),
// data buses transposed from each lane's packed words into one word per bus bit.
class LaneGateSimPort {
 public:
  LaneGateSimPort(SeqGateSim& sim, const ArrayShape& shape)
      : sim_(sim),
        shape_(shape),
        p_(sim, shape),
        y_bits_(sim.port_width(p_.yd)),
        y_words_(sim.lanes(), std::vector<uint32_t>(bus_words(shape.cols * shape.acc), 0u)) {}

  void drive(const ArrayInputs& in, const std::vector<std::unique_ptr<ArrayStream>>& s) {
    p_.drive_control(sim_, in);
    if (in.w_new) set_data(p_.wd, s, &ArrayStream::w_data);
    if (in.x_new) set_data(p_.xd, s, &ArrayStream::x_data);
    if (p_.pd >= 0 && in.p_new) set_data(p_.pd, s, &ArrayStream::p_data);
  }
  void settle() { sim_.settle(); }
  // The handshake outputs, the same in every lane (else throws).
  ArrayOutputs outputs(uint64_t cycle) const {
    ArrayOutputs out{same(p_.wr, "w_ready_o", cycle), same(p_.xr, "x_ready_o", cycle),
                     same(p_.yv, "y_valid_o", cycle), same(p_.yl, "y_last_o", cycle)};
    out.p_ready = p_.pr >= 0 && same(p_.pr, "p_ready_o", cycle);
    return out;
  }
  // y_data_o of every lane as words (lane j: y_words_[j]).
  void read_y() {
    for (auto& w : y_words_) std::fill(w.begin(), w.end(), 0u);
    for (int i = 0; i < y_bits_ && i / 32 < static_cast<int>(y_words_[0].size()); ++i)
      for (uint64_t v = sim_.output_lanes(p_.yd, i); v; v &= v - 1)
        y_words_[std::countr_zero(v)][i / 32] |= uint32_t{1} << (i % 32);
  }
  const uint32_t* y_data(int lane) const { return y_words_[lane].data(); }
  void clock(const ArrayInputs& in) {
    if (in.rst_n) sim_.sample();
    sim_.clock();
  }

 private:
  bool same(int port, const char* name, uint64_t cycle) const {
    const uint64_t v = sim_.output_lanes(port, 0);
    if (v != 0 && v != sim_.lane_mask())
      throw std::runtime_error(std::string("array netlist lanes: ") + name + " differs between lanes at cycle " +
                               std::to_string(cycle) + " (lanes at 1: 0x" + hex(v) + ")");
    return v != 0;
  }
  static std::string hex(uint64_t v) {
    static const char* d = "0123456789abcdef";
    std::string s;
    do s.insert(s.begin(), d[v & 15]), v >>= 4;
    while (v);
    return s;
  }
  void set_data(int port, const std::vector<std::unique_ptr<ArrayStream>>& s,
                const std::vector<uint32_t>& (ArrayStream::*data)() const) {
    const int width = sim_.port_width(port);
    words_.assign(width, 0);
    for (size_t j = 0; j < s.size(); ++j) {
      const std::vector<uint32_t>& w = ((*s[j]).*data)();
      for (int i = 0; i < width && i / 32 < static_cast<int>(w.size()); ++i)
        words_[i] |= static_cast<uint64_t>((w[i / 32] >> (i % 32)) & 1) << j;
    }
    sim_.set_input_lanes(port, words_.data());
  }

  SeqGateSim& sim_;
  ArrayShape shape_;
  ArrayPortIds p_;
  int y_bits_;
  std::vector<std::vector<uint32_t>> y_words_;
  std::vector<uint64_t> words_;
};

bool same_control(const ArrayInputs& a, const ArrayInputs& b) {
  return a.rst_n == b.rst_n && a.w_valid == b.w_valid && a.w_pad == b.w_pad && a.x_valid == b.x_valid &&
         a.x_last == b.x_last && a.x_first_k == b.x_first_k && a.x_last_k == b.x_last_k && a.p_valid == b.p_valid &&
         a.y_ready == b.y_ready && a.w_new == b.w_new && a.x_new == b.x_new && a.p_new == b.p_new;
}

}  // namespace

std::vector<ArrayDriveResult> drive_array_gemm_lanes(SeqGateSim& sim, const ArrayConfig& cfg,
                                                     const std::vector<const GemmProblem*>& problems) {
  if (static_cast<int>(problems.size()) != sim.lanes())
    throw std::logic_error("drive_array_gemm_lanes: one GEMM per lane");
  const ArrayShape shape = array_shape(cfg);
  std::vector<std::unique_ptr<ArrayStream>> streams;
  for (const GemmProblem* p : problems)
    streams.push_back(std::make_unique<ArrayStream>(
        shape, StreamJob{p->m, p->k, p->n, p->stall_seed, p->x.data(), p->w.data(),
                         p->params.empty() ? nullptr : p->params.data()}));
  LaneGateSimPort port(sim, shape);
  const size_t lanes = streams.size();
  std::vector<ArrayInputs> in(lanes);
  uint64_t cycle = 0;
  // run_array_stream (tb/array_stream.hpp), every lane in step.
  auto check_running = [&] {
    for (size_t j = 1; j < lanes; ++j)
      if (streams[j]->running() != streams[0]->running())
        throw std::runtime_error("array netlist lanes: lane " + std::to_string(j) + " finished at a different cycle (" +
                                 std::to_string(cycle) + ") than lane 0");
  };
  while (streams[0]->running()) {
    check_running();
    for (size_t j = 0; j < lanes; ++j) {
      in[j] = streams[j]->drive();
      if (j && !same_control(in[j], in[0]))
        throw std::runtime_error("array netlist lanes: lane " + std::to_string(j) +
                                 " drives other control than lane 0 at cycle " + std::to_string(cycle) +
                                 " (GEMMs of different shapes?)");
    }
    port.drive(in[0], streams);
    port.settle();
    const ArrayOutputs out = port.outputs(cycle);
    bool read = false;
    for (size_t j = 0; j < lanes; ++j)
      if (streams[j]->sense(out)) {
        if (!read) port.read_y(), read = true;
        streams[j]->take_result(port.y_data(static_cast<int>(j)));
      }
    check_running();
    if (!streams[0]->running()) break;
    port.clock(in[0]);
    for (auto& s : streams) s->clocked();
    ++cycle;
  }
  std::vector<ArrayDriveResult> res;
  for (size_t j = 0; j < lanes; ++j) {
    if (!streams[j]->ok()) throw std::runtime_error("array netlist (lane " + std::to_string(j) + "): " + streams[j]->error());
    res.push_back({streams[j]->y(), streams[j]->cycles()});
  }
  return res;
}

nlohmann::json read_mapped_netlist(const std::filesystem::path& dir, const std::string& top,
                                   const std::filesystem::path& lib_path, const Liberty& lib) {
  namespace fs = std::filesystem;
  fs::remove(dir / flow::kLinkedLiberty);
  fs::create_symlink(fs::absolute(lib_path), dir / flow::kLinkedLiberty);
  const std::string script = std::string("read_liberty -lib ") + flow::kLinkedLiberty +
                             "; read_verilog net.v; hierarchy -check -top " + top +
                             "; flatten; write_json net_sim.json";
  const RunResult r = run_program({"yosys", "-q", "-p", script}, {.cwd = dir, .timeout_s = 3600});
  fs::remove(dir / flow::kLinkedLiberty);
  if (!r.ok()) throw std::runtime_error("Yosys could not read back the mapped netlist: " + r.output.substr(0, 400));
  auto j = nlohmann::json::parse(read_file(dir / "net_sim.json"));
  fs::remove(dir / "net_sim.json");
  // Open-input tie cells: their input reads constant 0, so the 0 tie (a buffer) gives 0 and the 1
  // tie (an inverter) gives 1; at most one of each per module scope (instance prefix).
  std::map<std::string, std::string> ties;  // scope + cell type -> the tie cell
  for (auto& [name, cell] : j.at("modules").at(top).at("cells").items()) {
    const LibCell* lc = lib.cell(cell.at("type").get<std::string>());
    if (!lc || lc->has_ff) continue;
    auto& conn = cell["connections"];
    std::vector<std::string> open;
    size_t inputs = 0;
    for (const LibPin& p : lc->pins) {
      if (p.direction != "input") continue;
      ++inputs;
      if (!conn.contains(p.name)) open.push_back(p.name);
    }
    if (open.empty()) continue;
    if (inputs != 1)
      throw std::runtime_error("mapped netlist: cell " + name + " (" + lc->name + ") has an unconnected input");
    const size_t dot = name.rfind('.');
    const std::string scope = dot == std::string::npos ? "" : name.substr(0, dot);
    const std::string key = scope + " " + lc->name;
    if (!ties.emplace(key, name).second)
      throw std::runtime_error("mapped netlist: two open-input " + lc->name + " tie cells in '" +
                               (scope.empty() ? top : scope) + "' (" + ties[key] + ", " + name +
                               "): net.v cannot tell the 1 tie from the 0 tie (the library has no inverter)");
    conn[open.front()] = nlohmann::json::array({"0"});
  }
  return j;
}

}  // namespace gm
