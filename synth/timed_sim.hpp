// Event-driven, timed simulation of a mapped gate-level netlist with the delays of an SDF
// (sdf.hpp, OpenSTA's `write_sdf`), for switching activity WITH glitches: every transition of every
// net inside every clock cycle is counted, and so are the zero-delay transitions (the settled value
// against the previous cycle's), so that glitch_share = 1 - zero_delay / timed.
//
// Delay model: the one of a Verilog module path (specify block), as Icarus Verilog runs it with
// -gspecify and $sdf_annotate, so the two can be compared net by net (tests/synth/timed_icarus_test):
//   - a cell's function is evaluated with zero delay whenever one of its inputs changes;
//   - when the result differs from the last result (not the visible output), an output event is
//     scheduled after the arc delay of the input that changed (rise or fall by the new value; of
//     inputs changing at the same instant, the smallest delay);
//   - an output event sets the net to the cell's LAST result. So a pulse at a cell's inputs that is
//     over before its output event matures never reaches the output: inertial filtering, with the
//     arc delay as the reject limit.
// Flip-flops take next_state at clock() (two phases: all read the settled nets first) and their
// outputs follow after the CLK->Q arc; asynchronous clear/preset act as levels through their own
// arcs. Primary inputs change at the start of a cycle, when set_input is called before settle().
// Times are integer picoseconds; a cycle starts at 0 at the clock edge. settle() runs the events
// until none is left (even past the clock period: max_settle_ps() tells when that happened).
// Interconnect delays, slews of glitches, IR drop and the clock tree are not modelled.
//
// Speed: a timing wheel of per-picosecond buckets (a power of two longer than the largest arc
// delay) with a bitmap of the non-empty ones; events are entries of a recycled pool (no allocation
// per event); every cell output is a 32-byte record with a truth table of at most 5 inputs.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "synth/gate_sim.hpp"
#include "synth/liberty.hpp"
#include "synth/sdf.hpp"

namespace gm {

class TimedGateSim final : public CycleGateSim {
 public:
  // Throws std::runtime_error like SeqGateSim (cell not in the library, latch, combinational loop),
  // and for a cell output with more than 5 inputs. Arcs missing in `sdf` have delay 0
  // (missing_arcs() counts them; the flows refuse a netlist with any). An instance is looked up by
  // its name, as SdfDelays keys it (a flattened hierarchy's "g_col[0].u_lane._12_").
  TimedGateSim(const nlohmann::json& netlist, const std::string& top, const Liberty& lib,
               const std::string& clock_port, const SdfDelays& sdf);

  int port(const std::string& bus) const override;
  int port_width(int port) const override { return static_cast<int>(ports_[port].nets.size()); }
  void set_input(int port, const std::vector<uint8_t>& bits) override;
  void set_input(int port, uint64_t value) override;
  void settle() override;
  std::vector<uint8_t> output(int port) const override;
  bool output_bit(int port, int bit = 0) const override;
  void sample() override;
  void clock() override;
  // Per-pin activity = timed transitions per cycle (glitches included).
  GateSimResult activity() const override;

  // Per net (by its name in the netlist, e.g. "_123_" or "a_i[3]"): timed and zero-delay
  // transitions over the sampled periods. For the cross-check against Icarus.
  struct NetCount {
    uint64_t timed = 0, zero_delay = 0;
  };
  std::map<std::string, NetCount> net_counts(const nlohmann::json& netlist, const std::string& top) const;

  // Per net id (gate::load_netlist's numbering, as SeqGateSim's): timed and zero-delay transitions.
  uint64_t net_timed(int net) const { return timed_[net]; }
  uint64_t net_zero_delay(int net) const { return zero_[net]; }
  int nets() const { return nets_; }

  uint64_t events() const { return events_; }            // output events run (net updates tried)
  uint64_t evaluations() const { return evaluations_; }  // cell outputs evaluated
  int64_t max_settle_ps() const { return max_settle_ps_; }  // latest event of any cycle
  int missing_arcs() const { return missing_arcs_; }

 private:
  // OSU018's widest cell output reads 4 inputs (AOI22, OAI22); a flop output reads its state and
  // clear/preset. Five keeps a gate in 32 bytes.
  static constexpr int kMaxSrc = 5;
  static constexpr uint16_t kNoArc = 0xFFFF;
  // One cell output: out = bit (index of the source values) of tt. Read on every evaluation.
  struct alignas(32) Gate {
    uint32_t tt = 0;
    int32_t out = 0;
    int32_t src[kMaxSrc] = {};
    int32_t nsrc = 0;
  };
  // Its arc delays from each source, ps (kNoArc: none). Read only when the output changes.
  struct Arcs {
    uint16_t rise[kMaxSrc] = {}, fall[kMaxSrc] = {};
  };
  using Port = gate::BusPort;
  struct CellPins {
    std::string name;
    std::vector<std::pair<std::string, int>> pins;
  };

  uint8_t eval(const Gate& g) const {
    uint32_t idx = 0;
    for (int k = 0; k < g.nsrc; ++k) idx |= static_cast<uint32_t>(val_[g.src[k]]) << k;
    return (g.tt >> idx) & 1;
  }
  void schedule(int32_t net, int64_t at);
  void drive_input(int net, uint8_t v);
  void net_changed(int32_t net);  // marks the fanout gates dirty
  void evaluate_dirty();
  int64_t next_event_time() const;

  std::vector<Gate> gates_;         // cell outputs, in the netlist's cell order
  std::vector<Arcs> arcs_;          // by gate
  std::vector<Gate> next_;          // per flop: its next_state
  std::vector<int32_t> fan_begin_;  // CSR by net: (gate << 3 | source index)
  std::vector<int32_t> fan_;
  std::vector<uint8_t> val_;        // visible value per net (flops' raw states after the nets)
  std::vector<uint8_t> res_;        // last result of each net's driver (inputs: the set value)
  int nets_ = 2;                    // real nets; flop state k is net nets_ + k
  int flops_ = 0;

  // Event queue.
  // Bucket b holds the events due at times = b (mod its size), as a list through a pool of
  // (net, next) entries recycled LIFO, so the entries in use stay in cache.
  std::vector<int32_t> head_;                 // per bucket: first entry, -1 when empty
  std::vector<int32_t> ev_net_, ev_next_;     // the pool
  int32_t free_ = -1;                         // recycled entries
  std::vector<uint64_t> busy_;  // bitmap of non-empty buckets
  int64_t mask_ = 0, now_ = 0, pending_ = 0;
  std::vector<uint8_t> dirty_;  // per gate: bit k = source k changed at now_ (0: not dirty)
  std::vector<int32_t> dirty_list_;
  std::vector<uint8_t> next_state_;  // clock(): the flops' next states

  // Counting.
  std::vector<uint32_t> pend_;     // transitions since the last sample
  std::vector<int32_t> touched_list_;  // the nets with pend_ > 0
  std::vector<uint64_t> timed_, zero_, ones_, since_;
  std::vector<uint8_t> last_;
  uint64_t samples_ = 0;

  std::vector<Port> ports_;
  std::map<std::string, int> port_index_;
  std::vector<bool> is_clock_;
  std::vector<CellPins> cells_;
  uint64_t events_ = 0, evaluations_ = 0;
  int64_t max_settle_ps_ = 0;
  int missing_arcs_ = 0;
};

}  // namespace gm
