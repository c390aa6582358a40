#include "synth/timed_sim.hpp"

#include <algorithm>
#include <bit>
#include <climits>
#include <stdexcept>

#include "synth/cycle_activity.hpp"
#include "synth/gate_netlist.hpp"

namespace gm {

namespace {

using gate::Cell;
using gate::Func;

// Evaluates a bound cell function on one assignment: `net_value(net)` for nets, `state` for IQ.
template <class NetValue>
uint8_t eval_func(const Func& f, uint8_t state, NetValue net_value) {
  uint64_t in[64];
  for (size_t v = 0; v < f.vars.size(); ++v) {
    const int var = f.vars[v];
    const uint8_t bit = var >= 0 ? net_value(var) : var == gate::kStateVar ? state : !state;
    in[v] = bit ? ~uint64_t{0} : 0;
  }
  return f.expr->eval(in) & 1;
}

}  // namespace

TimedGateSim::TimedGateSim(const nlohmann::json& netlist, const std::string& top, const Liberty& lib,
                           const std::string& clock_port, const SdfDelays& sdf) {
  gate::Netlist n = gate::load_netlist(netlist, top, lib, clock_port);
  nets_ = n.nets;
  is_clock_.assign(nets_, false);
  gate::BusPorts bus_ports = gate::gather_ports(n.ports, is_clock_);
  ports_ = std::move(bus_ports.ports);
  port_index_ = std::move(bus_ports.index);
  for (const Cell& c : n.cells) flops_ += c.flop;
  const std::vector<int> order = gate::evaluation_order(n.cells, nets_, [](const Cell& c) {
    std::vector<const Func*> reads;
    for (const auto& [net, f] : c.outs) reads.push_back(&f);
    if (c.flop) reads.push_back(&c.clear), reads.push_back(&c.preset);
    return reads;
  });
  if (order.size() != n.cells.size()) throw std::runtime_error("the netlist has a combinational loop");

  next_.resize(flops_);
  // Gates are stored in the netlist's order, which keeps a logic cone's cells (and nets) close in
  // memory (Yosys numbers them as it builds them); the start below walks them in `order`.
  std::vector<int> first_gate(n.cells.size() + 1, 0);
  for (size_t ci = 0; ci < n.cells.size(); ++ci) {
    const Cell& c = n.cells[ci];
    first_gate[ci] = static_cast<int>(gates_.size());
    cells_.push_back({c.name, c.pins});
    // The SDF's instance paths are keyed as Yosys's flatten names cells (sdf.hpp): "pe.u._12_".
    const auto sdf_it = sdf.instances.find(c.name);
    const std::vector<SdfArc>* arcs = sdf_it == sdf.instances.end() ? nullptr : &sdf_it->second;
    const int raw = c.flop ? nets_ + c.state : -1;  // the flop's state, as a pseudo-net
    std::vector<std::string> clock_pins;
    if (c.flop) clock_pins = c.lib->ff.clocked_on.vars();

    // The shortest arc from any pin on `net` (the clock pins for the state) to output pin `out`.
    auto arc = [&](int net, const std::string& out, bool rise) {
      int64_t best = -1;
      auto consider = [&](const std::string& pin) {
        if (!arcs) return;
        for (const SdfArc& a : *arcs)
          if (a.from == pin && a.to == out) {
            const int64_t d = rise ? a.rise_ps : a.fall_ps;
            if (best < 0 || d < best) best = d;
          }
      };
      if (net == raw) {
        for (const auto& p : clock_pins) consider(p);
      } else {
        for (const auto& [pin, pn] : c.pins)
          if (pn == net) consider(pin);
      }
      if (best >= kNoArc) throw std::runtime_error("cell " + c.name + ": an arc delay of 65.535 ns or more");
      return best < 0 ? kNoArc : static_cast<uint16_t>(best);
    };

    // Builds a gate over the sources the functions read; value() gives the gate's output for an
    // assignment (a function of a source-value lookup).
    auto build = [&](const std::vector<const Func*>& funcs, auto value) {
      Gate g;
      std::vector<int> srcs;
      auto add = [&](int net) {
        if (net >= 0 && net < 2) return;  // constants
        if (std::find(srcs.begin(), srcs.end(), net) == srcs.end()) srcs.push_back(net);
      };
      if (raw >= 0) add(raw);
      for (const Func* f : funcs)
        for (int v : f->vars) add(v >= 0 ? v : raw);
      if (srcs.size() > kMaxSrc)
        throw std::runtime_error("cell " + c.name + " (" + c.lib->name +
                                 ") has an output of more than 5 inputs, which the timed simulation does not handle; "
                                 "use --activity-model zero");
      g.nsrc = static_cast<int32_t>(srcs.size());
      for (size_t k = 0; k < srcs.size(); ++k) g.src[k] = srcs[k];
      for (uint32_t a = 0; a < (1u << srcs.size()); ++a) {
        auto net_value = [&](int net) -> uint8_t {
          if (net < 2) return static_cast<uint8_t>(net);
          const size_t k = std::find(srcs.begin(), srcs.end(), net) - srcs.begin();
          return (a >> k) & 1;
        };
        if (value(net_value)) g.tt |= uint32_t{1} << a;
      }
      return g;
    };

    for (size_t o = 0; o < c.outs.size(); ++o) {
      const auto& [out_net, f] = c.outs[o];
      // The output pin's name: load_netlist lists the connected outputs in the library's pin order.
      std::string out_pin;
      size_t seen = 0;
      for (const LibPin& p : c.lib->pins) {
        if (p.direction != "output") continue;
        bool connected = false;
        for (const auto& [pin, pn] : c.pins) connected = connected || pin == p.name;
        if (connected && seen++ == o) out_pin = p.name;
      }
      std::vector<const Func*> funcs{&f};
      if (c.clear.expr) funcs.push_back(&c.clear);
      if (c.preset.expr) funcs.push_back(&c.preset);
      Gate g = build(funcs, [&](auto net_value) {
        uint8_t state = raw >= 0 ? net_value(raw) : 0;
        // As SeqGateSim: clear, then preset, act as levels on the state the outputs show.
        if (c.clear.expr && eval_func(c.clear, state, net_value)) state = 0;
        if (c.preset.expr && eval_func(c.preset, state, net_value)) state = 1;
        return eval_func(f, state, net_value);
      });
      g.out = out_net;
      Arcs d;
      for (int k = 0; k < g.nsrc; ++k) {
        d.rise[k] = arc(g.src[k], out_pin, true);
        d.fall[k] = arc(g.src[k], out_pin, false);
        if (d.rise[k] == kNoArc && d.fall[k] == kNoArc) ++missing_arcs_;
      }
      gates_.push_back(g);
      arcs_.push_back(d);
    }
    if (c.flop) {
      Gate g = build({&c.next_state}, [&](auto net_value) { return eval_func(c.next_state, net_value(raw), net_value); });
      g.out = raw;
      next_[c.state] = g;
    }
  }

  const int total = nets_ + flops_;
  val_.assign(total, 0);
  val_[1] = 1;
  res_ = val_;
  // Fanout, CSR.
  fan_begin_.assign(total + 1, 0);
  for (const Gate& g : gates_)
    for (int k = 0; k < g.nsrc; ++k) ++fan_begin_[g.src[k] + 1];
  for (int i = 0; i < total; ++i) fan_begin_[i + 1] += fan_begin_[i];
  fan_.resize(fan_begin_[total]);
  std::vector<int32_t> fill(fan_begin_.begin(), fan_begin_.end() - 1);
  for (size_t gi = 0; gi < gates_.size(); ++gi)
    for (int k = 0; k < gates_[gi].nsrc; ++k) fan_[fill[gates_[gi].src[k]]++] = static_cast<int32_t>(gi << 3 | k);

  // A consistent start: every output evaluated once, in order, with zero delay (flop states 0).
  first_gate[n.cells.size()] = static_cast<int>(gates_.size());
  for (const int ci : order)
    for (int gi = first_gate[ci]; gi < first_gate[ci + 1]; ++gi) val_[gates_[gi].out] = res_[gates_[gi].out] = eval(gates_[gi]);

  int64_t span = 64;
  while (span <= sdf.max_delay_ps() + 1) span <<= 1;
  head_.assign(span, -1);
  busy_.assign(span / 64, 0);
  mask_ = span - 1;
  dirty_.assign(gates_.size(), 0);
  next_state_.assign(flops_, 0);
  pend_.assign(nets_, 0);
  timed_.assign(nets_, 0);
  zero_.assign(nets_, 0);
  ones_.assign(nets_, 0);
  since_.assign(nets_, 0);
  last_.assign(nets_, 0);
}

int TimedGateSim::port(const std::string& bus) const {
  const auto it = port_index_.find(bus);
  if (it == port_index_.end()) throw std::runtime_error("the netlist has no port '" + bus + "'");
  return it->second;
}

void TimedGateSim::schedule(int32_t net, int64_t at) {
  const int64_t b = at & mask_;
  int32_t e = free_;
  if (e >= 0) {
    free_ = ev_next_[e];
  } else {
    e = static_cast<int32_t>(ev_net_.size());
    ev_net_.push_back(0);
    ev_next_.push_back(0);
  }
  ev_net_[e] = net;
  ev_next_[e] = head_[b];
  head_[b] = e;
  busy_[b >> 6] |= uint64_t{1} << (b & 63);
  ++pending_;
}

void TimedGateSim::drive_input(int net, uint8_t v) {
  if (net < 2 || res_[net] == v) return;
  res_[net] = v;
  schedule(net, now_);
}

void TimedGateSim::set_input(int port, const std::vector<uint8_t>& bits) {
  const Port& p = ports_[port];
  for (size_t k = 0; k < p.nets.size(); ++k) drive_input(p.nets[k], k < bits.size() && bits[k] ? 1 : 0);
}

void TimedGateSim::set_input(int port, uint64_t value) {
  const Port& p = ports_[port];
  for (size_t k = 0; k < p.nets.size(); ++k) drive_input(p.nets[k], k < 64 ? (value >> k) & 1 : 0);
}

void TimedGateSim::net_changed(int32_t net) {
  for (int32_t i = fan_begin_[net], e = fan_begin_[net + 1]; i < e; ++i) {
    const int32_t g = fan_[i] >> 3;
    if (!dirty_[g]) dirty_list_.push_back(g);
    dirty_[g] |= static_cast<uint8_t>(1u << (fan_[i] & 7));
  }
}

void TimedGateSim::evaluate_dirty() {
  evaluations_ += dirty_list_.size();
  const size_t n = dirty_list_.size();
  for (size_t i = 0; i < n; ++i) {
    // The gates are known ahead: fetch a few in advance (the netlist does not fit in L2).
    if (i + 4 < n) __builtin_prefetch(&gates_[dirty_list_[i + 4]]);
    const int32_t gi = dirty_list_[i];
    const Gate& g = gates_[gi];
    const uint8_t changed = dirty_[gi];
    dirty_[gi] = 0;
    const uint8_t v = eval(g);
    if (v == res_[g.out]) continue;
    res_[g.out] = v;
    // The arc of the input that changed now; of several, the shortest (Icarus: the latest wake
    // time, then the smallest delay). kNoArc is the largest uint16: any arc wins over it.
    const uint16_t* arcs = v ? arcs_[gi].rise : arcs_[gi].fall;
    uint32_t d = kNoArc;
    for (uint32_t m = changed; m; m &= m - 1) d = std::min<uint32_t>(d, arcs[std::countr_zero(m)]);
    schedule(g.out, now_ + (d == kNoArc ? 0 : d));
  }
  dirty_list_.clear();
}

int64_t TimedGateSim::next_event_time() const {
  const int64_t pos = now_ & mask_;
  const size_t words = busy_.size();
  size_t w = static_cast<size_t>(pos >> 6);
  uint64_t bits = busy_[w] & (~uint64_t{0} << (pos & 63));
  while (!bits) {
    w = (w + 1) & (words - 1);
    bits = busy_[w];
  }
  const int64_t b = static_cast<int64_t>(w << 6) | std::countr_zero(bits);
  return now_ + ((b - pos) & mask_);
}

void TimedGateSim::settle() {
  while (pending_ > 0) {
    now_ = next_event_time();
    const int64_t b = now_ & mask_;
    // Every event of this instant, including those that zero-delay arcs add while it runs.
    while (head_[b] >= 0) {
      int32_t e = head_[b];
      head_[b] = -1;
      while (e >= 0) {
        const int32_t net = ev_net_[e], next = ev_next_[e];
        ev_next_[e] = free_;
        free_ = e;
        e = next;
        --pending_;
        ++events_;
        if (val_[net] == res_[net]) continue;
        val_[net] = res_[net];
        if (net < nets_ && pend_[net]++ == 0) touched_list_.push_back(net);
        net_changed(net);
      }
      evaluate_dirty();
    }
    busy_[b >> 6] &= ~(uint64_t{1} << (b & 63));
    max_settle_ps_ = std::max(max_settle_ps_, now_);
  }
}

std::vector<uint8_t> TimedGateSim::output(int port) const {
  const Port& p = ports_[port];
  std::vector<uint8_t> bits(p.nets.size());
  for (size_t k = 0; k < bits.size(); ++k) bits[k] = val_[p.nets[k]];
  return bits;
}

bool TimedGateSim::output_bit(int port, int bit) const { return val_[ports_[port].nets.at(bit)]; }

void TimedGateSim::sample() {
  if (pending_) settle();
  if (samples_ == 0) {
    // Counting starts here: what happened before (the start from all-zero) is not a cycle.
    for (const int32_t net : touched_list_) pend_[net] = 0;
    touched_list_.clear();
    for (int net = 0; net < nets_; ++net) last_[net] = val_[net], since_[net] = 0;
    samples_ = 1;
    return;
  }
  const uint64_t s = samples_;
  for (const int32_t net : touched_list_) {
    timed_[net] += pend_[net];
    pend_[net] = 0;
    const uint8_t v = val_[net];
    if (v != last_[net]) {
      ++zero_[net];
      if (last_[net]) ones_[net] += s - since_[net];
      last_[net] = v;
      since_[net] = s;
    }
  }
  touched_list_.clear();
  ++samples_;
}

void TimedGateSim::clock() {
  if (pending_) settle();
  // Two phases: every flop reads the settled nets before any state changes.
  std::vector<uint8_t>& next = next_state_;
  for (int f = 0; f < flops_; ++f) next[f] = eval(next_[f]);
  now_ = 0;  // the queue is empty: the new cycle starts at the clock edge
  for (int f = 0; f < flops_; ++f) {
    const int raw = nets_ + f;
    if (next[f] == val_[raw]) continue;
    val_[raw] = res_[raw] = next[f];
    net_changed(raw);
  }
  evaluate_dirty();
}

GateSimResult TimedGateSim::activity() const {
  CycleActivity tally({samples_, &timed_, &zero_, &is_clock_,
                       [&](int net) { return ones_[net] + (last_[net] ? samples_ - since_[net] : 0); }, true});
  for (const CellPins& c : cells_)
    for (const auto& [pin, net] : c.pins) tally.pin(c.name, pin, net);
  for (const Port& p : ports_)
    if (p.input)
      for (size_t k = 0; k < p.nets.size(); ++k) tally.input(p.bit_names[k], p.nets[k]);
  for (const Gate& g : gates_) tally.driven(g.out);
  return tally.finish();
}

std::map<std::string, TimedGateSim::NetCount> TimedGateSim::net_counts(const nlohmann::json& netlist,
                                                                       const std::string& top) const {
  std::map<std::string, NetCount> out;
  for (const auto& [name, nn] : netlist.at("modules").at(top).at("netnames").items()) {
    const auto& bits = nn.at("bits");
    for (size_t k = 0; k < bits.size(); ++k) {
      if (!bits[k].is_number_integer()) continue;
      const int net = bits[k].get<int>();
      if (net < 2 || net >= nets_) continue;
      out[bits.size() == 1 ? name : name + "[" + std::to_string(k) + "]"] = {timed_[net], zero_[net]};
    }
  }
  return out;
}

}  // namespace gm
