#include "synth/gate_sim.hpp"

#include <bit>
#include <stdexcept>

namespace gm {

GateSim::GateSim(const nlohmann::json& netlist, const std::string& top, const Liberty& lib,
                 const std::string& clock_port) {
  gate::Netlist n = gate::load_netlist(netlist, top, lib, clock_port);
  nets_ = n.nets;
  is_clock_.assign(nets_, false);
  for (PortBit& pb : n.ports) {
    if (pb.direction == "input" && pb.clock) is_clock_[pb.net] = true;
    else if (pb.direction == "input") inputs_.push_back(pb);
    if (pb.direction == "output") outputs_.push_back(pb);
  }

  // Evaluation order (Kahn): a cell waits for the drivers of the nets it reads. A flop reads its D
  // (and clear/preset) inputs only: its state is D shifted by one cycle within the same word.
  const std::vector<int> order = gate::evaluation_order(n.cells, nets_, [](const Cell& c) {
    std::vector<const Func*> reads;
    if (c.flop) reads = {&c.next_state, &c.clear, &c.preset};  // outputs may read inputs directly too
    for (const auto& [net, f] : c.outs) reads.push_back(&f);
    return reads;
  });
  if (order.size() != n.cells.size())
    throw std::runtime_error("the netlist has a loop (feedback through logic or flip-flops); gate_sim handles "
                             "feed-forward pipelines only");
  for (int k : order) cells_.push_back(std::move(n.cells[k]));
}

GateSimResult GateSim::run(const std::map<std::string, std::vector<uint64_t>>& inputs, bool record_outputs) const {
  size_t cycles = 0;
  for (const PortBit& p : inputs_) {
    const auto it = inputs.find(p.bus);
    if (it == inputs.end()) throw std::runtime_error("no stimulus for input '" + p.bus + "'");
    if (cycles && it->second.size() != cycles) throw std::runtime_error("stimulus lengths differ");
    cycles = it->second.size();
  }
  if (cycles < 2) throw std::runtime_error("need at least 2 cycles of stimulus");

  std::vector<uint64_t> word(nets_, 0), last(nets_, 0), toggles(nets_, 0), ones(nets_, 0);
  word[1] = ~uint64_t{0};
  std::vector<uint64_t> carry(cells_.size(), 0);  // a flop's D in the last cycle of the previous block
  std::vector<uint64_t> in(64);
  GateSimResult res;
  res.cycles = cycles;
  if (record_outputs)
    for (const PortBit& p : outputs_) res.outputs[p.bus].assign(cycles, 0);

  auto eval = [&](const Func& f, uint64_t state) {
    for (size_t v = 0; v < f.vars.size(); ++v)
      in[v] = f.vars[v] >= 0 ? word[f.vars[v]] : f.vars[v] == kStateVar ? state : ~state;
    return f.expr->eval(in.data());
  };

  for (size_t t0 = 0; t0 < cycles; t0 += 64) {
    const size_t n = std::min<size_t>(64, cycles - t0);
    const uint64_t valid = n == 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
    for (const PortBit& p : inputs_) {
      const auto& v = inputs.at(p.bus);
      uint64_t w = 0;
      for (size_t j = 0; j < n; ++j) w |= ((v[t0 + j] >> p.bit) & 1) << j;
      word[p.net] = w;
    }
    for (size_t k = 0; k < cells_.size(); ++k) {
      const Cell& c = cells_[k];
      uint64_t state = 0;
      if (c.flop) {
        const uint64_t d = eval(c.next_state, 0);
        state = (d << 1) | carry[k];  // Q in cycle t = D in cycle t-1
        carry[k] = (d >> (n - 1)) & 1;
        if (c.clear.expr) state &= ~eval(c.clear, 0);
        if (c.preset.expr) state |= eval(c.preset, 0);
      }
      for (const auto& [net, f] : c.outs) word[net] = eval(f, state);
    }
    // Toggles: bit j differs from bit j-1 (bit 0 from the previous block's last cycle).
    const uint64_t counted = t0 == 0 ? valid & ~uint64_t{1} : valid;
    for (int net = 2; net < nets_; ++net) {
      const uint64_t w = word[net];
      toggles[net] += std::popcount((w ^ ((w << 1) | last[net])) & counted);
      ones[net] += std::popcount(w & valid);
      last[net] = (w >> (n - 1)) & 1;
    }
    if (record_outputs)
      for (const PortBit& p : outputs_) {
        auto& out = res.outputs[p.bus];
        const uint64_t w = word[p.net];
        for (size_t j = 0; j < n; ++j) out[t0 + j] |= ((w >> j) & 1) << p.bit;
      }
  }

  const double periods = static_cast<double>(cycles - 1);
  auto activity = [&](int net) { return net < 2 ? 0.0 : toggles[net] / periods; };
  auto duty = [&](int net) { return net == 1 ? 1.0 : net == 0 ? 0.0 : static_cast<double>(ones[net]) / cycles; };
  for (const Cell& c : cells_)
    for (const auto& [pin, net] : c.pins)
      if (!is_clock_[net]) res.pins.push_back({c.name, pin, activity(net), duty(net)});
  for (const PortBit& p : inputs_) res.input_ports.push_back({p.name, activity(p.net), duty(p.net)});
  double sum = 0;
  int counted_nets = 0;
  std::vector<bool> seen(nets_, false);
  auto add = [&](int net) {
    if (net < 2 || is_clock_[net] || seen[net]) return;
    seen[net] = true;
    sum += activity(net);
    ++counted_nets;
  };
  for (const PortBit& p : inputs_) add(p.net);
  for (const Cell& c : cells_)
    for (const auto& [net, f] : c.outs) add(net);
  res.mean_net_activity = counted_nets ? sum / counted_nets : 0;
  return res;
}

}  // namespace gm

namespace gm {

SeqGateSim::SeqGateSim(const nlohmann::json& netlist, const std::string& top, const Liberty& lib,
                       const std::string& clock_port, int lanes) {
  if (lanes < 1 || lanes > kMaxLanes) throw std::runtime_error("SeqGateSim: lanes must be 1..64");
  lanes_ = lanes;
  mask_ = lanes == 64 ? ~uint64_t{0} : (uint64_t{1} << lanes) - 1;
  gate::Netlist n = gate::load_netlist(netlist, top, lib, clock_port);
  nets_ = n.nets;
  is_clock_.assign(nets_, false);

  gate::BusPorts bus_ports = gate::gather_ports(n.ports, is_clock_);
  ports_ = std::move(bus_ports.ports);
  port_index_ = std::move(bus_ports.index);
  int flops = 0;
  for (const Cell& c : n.cells) flops += c.flop;

  // Combinational order (Kahn). A flop's outputs read its state (and clear/preset, which act as
  // levels); its D input is read only at the clock edge, so flops break every sequential loop.
  const std::vector<int> order = gate::evaluation_order(n.cells, nets_, [](const Cell& c) {
    std::vector<const Func*> reads;
    for (const auto& [net, f] : c.outs) reads.push_back(&f);
    if (c.flop) reads.push_back(&c.clear), reads.push_back(&c.preset);
    return reads;
  });
  if (order.size() != n.cells.size()) throw std::runtime_error("the netlist has a combinational loop");
  for (int k : order) cells_.push_back(std::move(n.cells[k]));

  flops_ = flops;

  // The compiled programs. A flop's outputs read its effective state (the stored state under the
  // asynchronous clear/preset levels); clear/preset and next_state read the stored state.
  uint32_t temp = static_cast<uint32_t>(nets_ + flops_);
  auto slots = [&](const Func& f, uint32_t state, std::vector<gate::Ins>& prog) {
    std::vector<uint32_t> v;
    for (int var : f.vars)
      if (var >= 0)
        v.push_back(static_cast<uint32_t>(var));
      else if (var == kStateVar)
        v.push_back(state);
      else {
        const uint32_t t = temp++;
        prog.push_back({gate::Op::Inv, t, state, 0, 0, 0});
        v.push_back(t);
      }
    return v;
  };
  for (const Cell& c : cells_) {
    uint32_t eff = 0;
    if (c.flop) {
      const uint32_t stored = static_cast<uint32_t>(nets_ + c.state);
      eff = stored;
      if (c.clear.expr || c.preset.expr) {
        uint32_t clr = 0, pre = 0;  // slot 0: constant 0
        if (c.clear.expr) clr = temp++, gate::compile_function(*c.clear.expr, slots(c.clear, stored, comb_), clr, comb_, temp);
        if (c.preset.expr)
          pre = temp++, gate::compile_function(*c.preset.expr, slots(c.preset, stored, comb_), pre, comb_, temp);
        eff = temp++;
        comb_.push_back({gate::Op::ClrPre, eff, stored, clr, pre, 0});
      }
      const uint32_t next = temp++;
      gate::compile_function(*c.next_state.expr, slots(c.next_state, stored, next_), next, next_, temp);
      latch_.emplace_back(stored, next);
    }
    for (const auto& [net, f] : c.outs)
      gate::compile_function(*f.expr, slots(f, eff, comb_), static_cast<uint32_t>(net), comb_, temp);
  }
  net_.assign(temp, 0);
  net_[1] = ~uint64_t{0};
  last_.assign(nets_, 0);
  last_[1] = ~uint64_t{0};
  toggles_.assign(nets_, 0);
  ones_.assign(nets_, 0);
  in_.resize(64);
}

int SeqGateSim::port(const std::string& bus) const {
  const auto it = port_index_.find(bus);
  if (it == port_index_.end()) throw std::runtime_error("the netlist has no port '" + bus + "'");
  return it->second;
}

void SeqGateSim::set_input(int port, const std::vector<uint8_t>& bits) {
  const Port& p = ports_[port];
  for (size_t k = 0; k < p.nets.size(); ++k)
    if (p.nets[k] >= 2) net_[p.nets[k]] = k < bits.size() && bits[k] ? ~uint64_t{0} : 0;
}

void SeqGateSim::set_input(int port, uint64_t value) {
  const Port& p = ports_[port];
  for (size_t k = 0; k < p.nets.size() && k < 64; ++k)
    if (p.nets[k] >= 2) net_[p.nets[k]] = (value >> k) & 1 ? ~uint64_t{0} : 0;
}

void SeqGateSim::set_input_lanes(int port, const uint64_t* words) {
  const Port& p = ports_[port];
  for (size_t k = 0; k < p.nets.size(); ++k)
    if (p.nets[k] >= 2) net_[p.nets[k]] = words[k] & mask_;
}

uint64_t SeqGateSim::output_lanes(int port, int bit) const { return net_[ports_[port].nets.at(bit)] & mask_; }

uint64_t SeqGateSim::eval(const Func& f, uint64_t state) const {
  for (size_t v = 0; v < f.vars.size(); ++v)
    in_[v] = f.vars[v] >= 0 ? net_[f.vars[v]] : f.vars[v] == kStateVar ? state : ~state;
  return f.expr->eval(in_.data());
}

void SeqGateSim::settle() {
  if (compiled_) {
    gate::run_program(comb_.data(), comb_.data() + comb_.size(), net_.data());
    return;
  }
  for (const Cell& c : cells_) {
    uint64_t state = 0;
    if (c.flop) {
      state = net_[nets_ + c.state];
      if (c.clear.expr) state &= ~eval(c.clear, state);
      if (c.preset.expr) state |= eval(c.preset, state);
    }
    for (const auto& [net, f] : c.outs) net_[net] = eval(f, state);
  }
}

std::vector<uint8_t> SeqGateSim::output(int port) const {
  const Port& p = ports_[port];
  std::vector<uint8_t> bits(p.nets.size());
  for (size_t k = 0; k < bits.size(); ++k) bits[k] = net_[p.nets[k]] & 1;
  return bits;
}

bool SeqGateSim::output_bit(int port, int bit) const { return net_[ports_[port].nets.at(bit)] & 1; }

namespace {

// The sampling loop over every net, built twice (the popcnt instruction where the CPU has it, a
// library call otherwise; GCC picks one at load time). Per-lane totals: a toggle word with one or
// two lanes set adds to those lanes; a denser one to every lane, multiplied by its bit (no
// data-dependent branch per lane).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
void sample_nets(const uint64_t* net, uint64_t* last, uint64_t* ones, uint64_t* toggles, int nets, uint64_t mask,
                 bool first, const std::array<double, 2>* weights, double* la, double* lb, int lanes) {
  if (first) {
    for (int n = 2; n < nets; ++n) {
      last[n] = net[n] & mask;
      ones[n] += std::popcount(last[n]);
    }
    return;
  }
  for (int n = 2; n < nets; ++n) {
    const uint64_t v = net[n] & mask;
    const uint64_t x = v ^ last[n];
    ones[n] += std::popcount(v);
    if (!x) continue;
    last[n] = v;
    const int count = std::popcount(x);
    toggles[n] += count;
    if (!weights) continue;
    const double a = weights[n][0], b = weights[n][1];
    if (count <= 2) {
      for (uint64_t w = x; w; w &= w - 1) {
        const int j = std::countr_zero(w);
        la[j] += a, lb[j] += b;
      }
    } else {
      for (int j = 0; j < lanes; ++j) {
        const double bit = static_cast<double>((x >> j) & 1);
        la[j] += a * bit, lb[j] += b * bit;
      }
    }
  }
}

}  // namespace

void SeqGateSim::sample() {
  sample_nets(net_.data(), last_.data(), ones_.data(), toggles_.data(), nets_, mask_, samples_ == 0,
              weights_.empty() ? nullptr : weights_.data(), lane_a_.data(), lane_b_.data(), lanes_);
  ++samples_;
}

void SeqGateSim::set_lane_weights(std::vector<double> a, std::vector<double> b) {
  if (samples_) throw std::logic_error("SeqGateSim: set_lane_weights after the first sample");
  if (a.size() != static_cast<size_t>(nets_) || b.size() != static_cast<size_t>(nets_))
    throw std::logic_error("SeqGateSim: one lane weight per net");
  weights_.resize(nets_);
  for (int n = 0; n < nets_; ++n) weights_[n] = {a[n], b[n]};
  lane_a_.fill(0.0), lane_b_.fill(0.0);
}

std::vector<std::array<double, 2>> SeqGateSim::take_lane_totals() {
  if (weights_.empty()) throw std::logic_error("SeqGateSim: take_lane_totals without set_lane_weights");
  std::vector<std::array<double, 2>> t(lanes_);
  for (int j = 0; j < lanes_; ++j) t[j] = {lane_a_[j], lane_b_[j]};
  lane_a_.fill(0.0), lane_b_.fill(0.0);
  return t;
}

std::vector<SeqGateSim::SimPin> SeqGateSim::pins() const {
  std::vector<SimPin> pins;
  for (const Cell& c : cells_)
    for (const auto& [pin, net] : c.pins)
      if (!is_clock_[net]) pins.push_back({c.name, pin, net});
  return pins;
}

void SeqGateSim::clock() {
  // Two phases: every flop reads the settled nets before any state changes.
  if (compiled_) {
    gate::run_program(next_.data(), next_.data() + next_.size(), net_.data());
    for (const auto& [stored, next] : latch_) net_[stored] = net_[next];
    return;
  }
  std::vector<std::pair<int, uint64_t>> next;
  next.reserve(flops_);
  for (const Cell& c : cells_)
    if (c.flop) next.emplace_back(nets_ + c.state, eval(c.next_state, net_[nets_ + c.state]));
  for (const auto& [k, v] : next) net_[k] = v;
}

GateSimResult SeqGateSim::activity() const {
  if (samples_ < 2) throw std::runtime_error("need at least 2 sampled cycles for the activity");
  GateSimResult res;
  res.cycles = samples_;
  const double periods = static_cast<double>(samples_ - 1) * lanes_;
  const double samples = static_cast<double>(samples_) * lanes_;
  auto activity = [&](int net) { return net < 2 ? 0.0 : toggles_[net] / periods; };
  auto duty = [&](int net) { return net == 1 ? 1.0 : net == 0 ? 0.0 : static_cast<double>(ones_[net]) / samples; };
  for (const Cell& c : cells_)
    for (const auto& [pin, net] : c.pins)
      if (!is_clock_[net]) res.pins.push_back({c.name, pin, activity(net), duty(net)});
  std::vector<bool> seen(nets_, false);
  double sum = 0;
  int counted = 0;
  auto add = [&](int net) {
    if (net < 2 || is_clock_[net] || seen[net]) return;
    seen[net] = true;
    sum += activity(net);
    res.zero_delay_transitions += toggles_[net];
    ++counted;
  };
  for (const Port& p : ports_)
    if (p.input)
      for (size_t k = 0; k < p.nets.size(); ++k) {
        res.input_ports.push_back({p.bit_names[k], activity(p.nets[k]), duty(p.nets[k])});
        add(p.nets[k]);
      }
  for (const Cell& c : cells_)
    for (const auto& [net, f] : c.outs) add(net);
  res.mean_net_activity = counted ? sum / counted : 0;
  res.timed_transitions = res.zero_delay_transitions;  // no glitches at zero delay
  return res;
}

}  // namespace gm
