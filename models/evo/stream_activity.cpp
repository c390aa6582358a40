#include "models/evo/stream_activity.hpp"

#include <algorithm>
#include <bit>

#include "models/evo/gate_eval.hpp"

namespace gm::evo {

StreamActivity::StreamActivity(const std::vector<std::pair<int64_t, int64_t>>& pairs, int w) : w_(w) {
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

void StreamActivity::toggle_rates(const GateNetlist& n, std::vector<double>& toggles) {
  toggles.assign(n.gates.size(), 0.0);
  if (pairs_ < 2) return;
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
    // Transitions between pair p-1 and p, for p >= 1: bit p of word ^ (word << 1 | previous top bit).
    uint64_t count = 0, carry = o[0] & 1;
    for (size_t t = 0; t < b; ++t) {
      count += static_cast<uint64_t>(std::popcount(o[t] ^ ((o[t] << 1) | carry)));
      carry = o[t] >> 63;
    }
    toggles[k] = static_cast<double>(count) * per_cycle;
  }
}

}  // namespace gm::evo
