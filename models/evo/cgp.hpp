// The evolutionary search of `greenmac evolve`: Cartesian genetic programming (Miller), a (1 + lambda)
// strategy over the gate netlist (gate_netlist.hpp, one row, any gate may read any earlier one),
// as EvoApproxLib's circuits were evolved (Vasicek and Sekanina, IEEE TEVC 2015; Mrazek et al., DATE
// 2017), with the error weighted by the network's operands (Mrazek et al., ICCAD 2016).
//
// Each generation makes lambda offspring of the parent by point mutations. A mutation changes one
// gene (a gate's op or an input, or an output's net) to another random value; an offspring gets h
// mutations that touch the active circuit, h drawn from 1..max_mutations, and inactive genes mutate
// along the way for free (Goldman and Punch, 2013: no evaluation is spent on an offspring whose
// active circuit equals its parent's). Offspring are evaluated exhaustively on every operand pair
// (BitSim) and on the operand stream (StreamActivity), in parallel. The best offspring replaces the
// parent when it is at least as good (neutral drift, which CGP needs to move across plateaus):
//
//     better = less bound violation (summed over the whole network's distribution and any layer's);
//              at equal violation (0 inside the bound everywhere), less cost
//     cost   = sum over active gates of area(op) x toggle rate  +  area_weight x sum of area(op)
//
// The first term estimates dynamic energy per operation under the stream (area standing in for
// the cell's switched capacitance, an ESTIMATE); the second keeps gates that never switch from
// piling up. Ties between offspring go to the lowest index, so a run is a function of the seed
// netlist, the options and the random seed, not of the thread count or the machine.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "models/evo/gate_netlist.hpp"
#include "models/evo/stream_activity.hpp"
#include "models/evo/weighted_error.hpp"

namespace gm::evo {

// The cost of each op in one cell library: µm² of the cheapest realisation (synth/evo_cell_costs.hpp).
struct GateCosts {
  std::array<double, kGateOpCount> area{};
  std::string library;  // where the figures come from
};

struct CgpOptions {
  int lambda = 4;
  int max_mutations = 5;
  double area_weight = 0.02;
  int threads = 1;
};

struct Fitness {
  WeightedError error;
  std::vector<WeightedError> layer_errors;  // under each extra distribution (evolve --dist-layer), in order
  double violation = 0;                     // over `error` and every layer_errors entry, summed
  double energy = 0;  // sum of area x toggle rate: µm² x transitions per cycle (estimate)
  double area = 0;    // µm² of the active gates
  int gates = 0;      // active gates
  double cost(double area_weight) const { return energy + area_weight * area; }
};

// Everything a run needs to continue where it stopped (a checkpoint).
struct CgpState {
  GateNetlist parent;
  Fitness fitness;
  uint64_t generations = 0, evaluations = 0;
  double seconds = 0;  // search time spent so far, over every resumed part
  std::string rng;     // std::mt19937_64 state as its operator<< writes it
};

struct CgpLimits {
  uint64_t evaluations = 0;  // stop after this many in all (0: no limit)
  double seconds = 0;        // stop after this much search time in all (0: no limit)
  double checkpoint_seconds = 30;
};

class CgpSearch {
 public:
  // layer_errors: extra distributions the bound must also hold on (one layer's operands each), so
  // that a circuit within the bound on the whole network's mix is not far off on a layer whose mix
  // is rare in it. They change the violation only, never the cost.
  CgpSearch(const ErrorEvaluator& error, StreamActivity stream, const GateCosts& costs, const CgpOptions& opt,
            std::vector<const ErrorEvaluator*> layer_errors = {});
  ~CgpSearch();

  Fitness evaluate(const GateNetlist& n);  // one candidate, on this thread's buffers

  // A fresh state from a seed netlist and a random seed.
  CgpState start(const GateNetlist& seed, const ErrorBound& bound, uint64_t random_seed);

  // Runs generations until a limit; calls `checkpoint` about every limits.checkpoint_seconds and
  // at the end. The state's counters and time include earlier parts of a resumed run.
  void run(CgpState& state, const ErrorBound& bound, const CgpLimits& limits,
           const std::function<void(const CgpState&)>& checkpoint);

  // The gene mutation: changes `n` in place; true when a gene of the active circuit changed.
  static bool mutate_gene(GateNetlist& n, const std::vector<uint8_t>& active, std::mt19937_64& rng);

 private:
  struct Worker;
  Fitness evaluate_on(const GateNetlist& n, Worker& w) const;
  bool better_or_equal(const Fitness& a, const Fitness& b) const;

  const ErrorEvaluator& error_;
  std::vector<const ErrorEvaluator*> layer_errors_;
  const GateCosts& costs_;
  CgpOptions opt_;
  StreamActivity stream_proto_;
  std::vector<std::unique_ptr<Worker>> workers_;
  ErrorBound bound_;
};

}  // namespace gm::evo
