#include "models/evo/stream_activity.hpp"

#include <algorithm>
#include <bit>

#include "models/evo/gate_eval.hpp"

namespace gm::evo {

bool activity_delay_from_name(const std::string& name, ActivityDelay& d) {
  if (name == "zero") d = ActivityDelay::kZero;
  else if (name == "unit") d = ActivityDelay::kUnit;
  else return false;
  return true;
}

const char* activity_delay_name(ActivityDelay d) { return d == ActivityDelay::kUnit ? "unit" : "zero"; }

StreamActivity::StreamActivity(const std::vector<std::pair<int64_t, int64_t>>& pairs, int w, ActivityDelay delay)
    : w_(w), delay_(delay) {
  pairs_ = std::min(pairs.size(), kMaxPairs);
  words_ = (pairs_ + 63) / 64;
  inputs_.assign(2 * static_cast<size_t>(w) * words_, 0);
  for (size_t k = 0; k < pairs_; ++k) {
    const uint64_t a = static_cast<uint64_t>(pairs[k].first), b = static_cast<uint64_t>(pairs[k].second);
    for (int i = 0; i < w; ++i) {
      inputs_[static_cast<size_t>(i) * words_ + k / 64] |= ((a >> i) & 1) << (k % 64);
      inputs_[static_cast<size_t>(w + i) * words_ + k / 64] |= ((b >> i) & 1) << (k % 64);
    }
  }
  // Past the stream's end a net holds its last value, so the padding bits add no transitions.
  if (pairs_ % 64 != 0)
    for (size_t j = 0; j < 2 * static_cast<size_t>(w); ++j) {
      uint64_t& last = inputs_[j * words_ + words_ - 1];
      const unsigned top = static_cast<unsigned>(pairs_ % 64) - 1;
      if ((last >> top) & 1) last |= ~uint64_t{0} << top;
    }
}

namespace {

// Bit p of the result is the value under pair p - 1 (bit 0 keeps pair 0's): each lane then holds
// the value its transition starts from.
inline uint64_t previous_pair(const uint64_t* v, size_t t) {
  return (v[t] << 1) | (t == 0 ? v[0] & 1 : v[t - 1] >> 63);
}

}  // namespace

void StreamActivity::settle(const GateNetlist& n, std::vector<double>* zero_delay_toggles) {
  const size_t b = words_;
  const uint32_t first = n.first_gate_net();
  scratch_.resize(n.net_count() * b);
  uint64_t* s = scratch_.data();
  std::fill(s, s + b, uint64_t{0});
  std::fill(s + b, s + 2 * b, ~uint64_t{0});
  std::copy(inputs_.begin(), inputs_.end(), s + 2 * b);
  mark_active(n, active_);
  const double per_cycle = 1.0 / static_cast<double>(pairs_ - 1);
  for (size_t k = 0; k < n.gates.size(); ++k) {
    if (!active_[k]) continue;
    const Gate& g = n.gates[k];
    uint64_t* o = s + (first + k) * b;
    eval_gate(g.op, s + g.in0 * b, s + g.in1 * b, o, b);
    if (!zero_delay_toggles) continue;
    // Transitions between pair p-1 and p, for p >= 1.
    uint64_t count = 0;
    for (size_t t = 0; t < b; ++t) count += static_cast<uint64_t>(std::popcount(o[t] ^ previous_pair(o, t)));
    (*zero_delay_toggles)[k] = static_cast<double>(count) * per_cycle;
  }
}

void StreamActivity::toggle_rates(const GateNetlist& n, std::vector<double>& toggles) {
  toggles.assign(n.gates.size(), 0.0);
  if (pairs_ < 2) return;
  if (delay_ == ActivityDelay::kZero) return settle(n, &toggles);
  settle(n, nullptr);
  unit_delay_toggles(n, toggles);
}

// Step 0 holds every gate at its value under the previous pair, the operands at the new one; step t
// recomputes the gates of level >= t from step t-1. A gate of level L is settled from step L on, so
// after step L + 1 both buffers hold its settled value and it is left alone.
void StreamActivity::unit_delay_toggles(const GateNetlist& n, std::vector<double>& toggles) {
  const size_t b = words_, gates = n.gates.size();
  const uint32_t first = n.first_gate_net();
  const uint64_t* settled = scratch_.data();
  level_.assign(gates, 0);
  uint32_t depth = 0;  // up to kMaxGates: a chain of every gate
  const auto level_of = [&](uint32_t net) -> uint32_t { return net < first ? 0 : level_[net - first]; };
  for (size_t k = 0; k < gates; ++k) {
    if (!active_[k]) continue;
    const Gate& g = n.gates[k];
    level_[k] = 1 + std::max(level_of(g.in0), op_is_unary(g.op) ? 0u : level_of(g.in1));
    depth = std::max(depth, level_[k]);
  }
  before_.resize(n.net_count() * b);
  after_.resize(n.net_count() * b);
  // Constants and operands hold their new values at every step.
  std::copy(settled, settled + first * b, before_.begin());
  std::copy(settled, settled + first * b, after_.begin());
  for (size_t k = 0; k < gates; ++k)
    if (active_[k])
      for (size_t t = 0; t < b; ++t) before_[(first + k) * b + t] = previous_pair(settled + (first + k) * b, t);
  counts_.assign(gates, 0);
  uint64_t* prev = before_.data();
  uint64_t* next = after_.data();
  for (uint32_t step = 1; step <= depth + 1; ++step) {
    for (size_t k = 0; k < gates; ++k) {
      if (!active_[k] || level_[k] + 1 < step) continue;
      uint64_t* o = next + (first + k) * b;
      const uint64_t* was = prev + (first + k) * b;
      if (level_[k] + 1 == step) {  // settled one step ago: the other buffer catches up
        std::copy(was, was + b, o);
        continue;
      }
      const Gate& g = n.gates[k];
      eval_gate(g.op, prev + g.in0 * b, prev + g.in1 * b, o, b);
      for (size_t t = 0; t < b; ++t) counts_[k] += static_cast<uint64_t>(std::popcount(o[t] ^ was[t]));
    }
    std::swap(prev, next);
  }
  const double per_cycle = 1.0 / static_cast<double>(pairs_ - 1);
  for (size_t k = 0; k < gates; ++k) toggles[k] = static_cast<double>(counts_[k]) * per_cycle;
}

}  // namespace gm::evo
