#include "models/evo/cgp.hpp"

#include <memory>
#include <sstream>
#include <thread>

#include "models/evo/bit_sim.hpp"

namespace gm::evo {

struct CgpSearch::Worker {
  explicit Worker(const StreamActivity& s) : stream(s) {}
  BitSim sim;
  StreamActivity stream;
  std::vector<int64_t> products;
  std::vector<double> toggles;
  std::vector<uint8_t> active;
};

CgpSearch::CgpSearch(const ErrorEvaluator& error, StreamActivity stream, const GateCosts& costs,
                     const CgpOptions& opt, std::vector<const ErrorEvaluator*> layer_errors)
    : error_(error), layer_errors_(std::move(layer_errors)), costs_(costs), opt_(opt), stream_proto_(std::move(stream)) {
  for (int t = 0; t < std::max(1, opt_.threads); ++t) workers_.push_back(std::make_unique<Worker>(stream_proto_));
}

CgpSearch::~CgpSearch() = default;

Fitness CgpSearch::evaluate_on(const GateNetlist& n, Worker& w) const {
  Fitness f;
  w.sim.products(n, w.products);
  f.error = error_.evaluate(w.products);
  for (const ErrorEvaluator* e : layer_errors_) f.layer_errors.push_back(e->evaluate(w.products));
  f.violation = bound_.violation(f.error, f.layer_errors);
  w.stream.toggle_rates(n, w.toggles);
  mark_active(n, w.active);
  for (size_t k = 0; k < n.gates.size(); ++k) {
    if (!w.active[k]) continue;
    const double a = costs_.area[static_cast<size_t>(n.gates[k].op)];
    f.area += a;
    f.energy += a * w.toggles[k];
    ++f.gates;
  }
  return f;
}

Fitness CgpSearch::evaluate(const GateNetlist& n) { return evaluate_on(n, *workers_[0]); }

bool CgpSearch::better_or_equal(const Fitness& a, const Fitness& b) const {
  if (a.violation != b.violation) return a.violation < b.violation;
  return a.cost(opt_.area_weight) <= b.cost(opt_.area_weight);
}

CgpState CgpSearch::start(const GateNetlist& seed, const ErrorBound& bound, uint64_t random_seed) {
  bound_ = bound;
  CgpState s;
  s.parent = seed;
  s.fitness = evaluate(seed);
  std::mt19937_64 rng(random_seed);
  std::ostringstream os;
  os << rng;
  s.rng = os.str();
  return s;
}

bool CgpSearch::mutate_gene(GateNetlist& n, const std::vector<uint8_t>& active, std::mt19937_64& rng) {
  const size_t gate_genes = 3 * n.gates.size(), genes = gate_genes + n.outputs.size();
  size_t g = 0;
  do {  // the second input of a NOT is not a gene: draw again
    g = std::uniform_int_distribution<size_t>(0, genes - 1)(rng);
  } while (g < gate_genes && g % 3 == 2 && op_is_unary(n.gates[g / 3].op));
  if (g >= gate_genes) {
    uint32_t& out = n.outputs[g - gate_genes];
    const uint32_t old = out;
    while (out == old && n.net_count() > 1)
      out = static_cast<uint32_t>(std::uniform_int_distribution<size_t>(0, n.net_count() - 1)(rng));
    return true;
  }
  const size_t k = g / 3;
  Gate& gate = n.gates[k];
  if (g % 3 == 0) {
    // BUF is never drawn: it only adds a cell.
    const GateOp old = gate.op;
    while (gate.op == old)
      gate.op = static_cast<GateOp>(std::uniform_int_distribution<int>(0, kGateOpCount - 2)(rng));
    if (op_is_unary(gate.op)) gate.in1 = GateNetlist::kConst0;
    return active[k] != 0;
  }
  uint32_t& in = g % 3 == 1 ? gate.in0 : gate.in1;
  const uint32_t limit = n.net_of_gate(k);  // nets before gate k
  const uint32_t old = in;
  while (in == old) in = static_cast<uint32_t>(std::uniform_int_distribution<uint32_t>(0, limit - 1)(rng));
  return active[k] != 0;
}

void CgpSearch::run(CgpState& state, const ErrorBound& bound, const CgpLimits& limits,
                    const std::function<void(const CgpState&)>& checkpoint) {
  bound_ = bound;
  using Clock = std::chrono::steady_clock;
  std::mt19937_64 rng;
  {
    std::istringstream is(state.rng);
    is >> rng;
  }
  const auto save = [&] {
    std::ostringstream os;
    os << rng;
    state.rng = os.str();
    if (checkpoint) checkpoint(state);
  };
  const size_t lambda = static_cast<size_t>(std::max(1, opt_.lambda));
  std::vector<GateNetlist> children(lambda);
  std::vector<Fitness> fit(lambda);
  std::vector<uint8_t> active;
  const double start_seconds = state.seconds;
  const auto t0 = Clock::now();
  auto last_checkpoint = t0;
  const auto done = [&] {
    return (limits.evaluations && state.evaluations >= limits.evaluations) ||
           (limits.seconds > 0 && state.seconds >= limits.seconds);
  };
  while (!done()) {
    mark_active(state.parent, active);
    for (size_t c = 0; c < lambda; ++c) {
      children[c] = state.parent;
      const int h = std::uniform_int_distribution<int>(1, std::max(1, opt_.max_mutations))(rng);
      for (int touched = 0; touched < h;)
        if (mutate_gene(children[c], active, rng)) ++touched;
    }
    // Offspring c goes to worker c % threads; each worker's share is evaluated in order.
    const size_t threads = std::min(workers_.size(), lambda);
    const auto work = [&](size_t t) {
      for (size_t c = t; c < lambda; c += threads) fit[c] = evaluate_on(children[c], *workers_[t]);
    };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    size_t best = 0;  // the first of the best offspring
    for (size_t c = 1; c < lambda; ++c)
      if (!better_or_equal(fit[best], fit[c])) best = c;
    if (better_or_equal(fit[best], state.fitness)) {
      state.parent = std::move(children[best]);
      state.fitness = fit[best];
    }
    ++state.generations;
    state.evaluations += lambda;
    const auto now = Clock::now();
    state.seconds = start_seconds + std::chrono::duration<double>(now - t0).count();
    if (std::chrono::duration<double>(now - last_checkpoint).count() >= limits.checkpoint_seconds) {
      save();
      last_checkpoint = now;
    }
  }
  save();
}

}  // namespace gm::evo
