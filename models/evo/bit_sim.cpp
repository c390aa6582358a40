#include "models/evo/bit_sim.hpp"

#include <array>

#include "models/evo/gate_eval.hpp"

namespace gm::evo {
namespace {

constexpr size_t kBlock = 8;  // words per net in one pass: 512 pairs, one cache line per net

// kSpread[m]: bit l of the nibble m moved to bit 16 l, i.e. to the low bit of 16-bit lane l.
constexpr std::array<uint64_t, 16> kSpread = [] {
  std::array<uint64_t, 16> t{};
  for (size_t m = 0; m < 16; ++m)
    for (size_t l = 0; l < 4; ++l)
      if ((m >> l) & 1) t[m] |= uint64_t{1} << (16 * l);
  return t;
}();

// Word t of pair-index bit j: bit p of the word is bit j of k = 64 t + p.
uint64_t index_bit_word(int j, size_t t) {
  if (j >= 6) return ((t >> (j - 6)) & 1) ? ~uint64_t{0} : 0;
  uint64_t word = 0;
  for (int p = 0; p < 64; ++p)
    if ((p >> j) & 1) word |= uint64_t{1} << p;
  return word;
}

}  // namespace

void BitSim::prepare(const GateNetlist& n) {
  const size_t words = BitSim::words(n.w);
  if (n.w != w_) {
    w_ = n.w;
    inputs_.resize(2 * static_cast<size_t>(w_) * words);
    // a_i is pair-index bit w + i, b_i is bit i; slots in net order (a bits, then b bits).
    for (int i = 0; i < w_; ++i)
      for (size_t t = 0; t < words; ++t) {
        inputs_[static_cast<size_t>(i) * words + t] = index_bit_word(w_ + i, t);
        inputs_[static_cast<size_t>(w_ + i) * words + t] = index_bit_word(i, t);
      }
  }
  mark_active(n, active_);
  order_.clear();
  for (size_t k = 0; k < n.gates.size(); ++k)
    if (active_[k]) order_.push_back(static_cast<uint32_t>(k));
}

template <size_t B>
void BitSim::run_blocks(const GateNetlist& n, std::vector<uint64_t>& planes) {
  const size_t words = BitSim::words(w_), outs = 2 * static_cast<size_t>(w_);
  const uint32_t first = n.first_gate_net();
  planes.resize(outs * words);
  scratch_.resize(n.net_count() * B);
  uint64_t* s = scratch_.data();
  for (size_t j = 0; j < B; ++j) {
    s[GateNetlist::kConst0 * B + j] = 0;
    s[GateNetlist::kConst1 * B + j] = ~uint64_t{0};
  }
  for (size_t t0 = 0; t0 < words; t0 += B) {
    for (uint32_t net = 2; net < first; ++net)
      for (size_t j = 0; j < B; ++j) s[net * B + j] = inputs_[(net - 2) * words + t0 + j];
    for (const uint32_t k : order_) {
      const Gate& g = n.gates[k];
      uint64_t* o = s + (first + k) * B;
      const uint64_t* x = s + g.in0 * B;
      const uint64_t* y = s + g.in1 * B;
      eval_gate(g.op, x, y, o, B);
    }
    for (size_t i = 0; i < outs; ++i)
      for (size_t j = 0; j < B; ++j) planes[i * words + t0 + j] = s[n.outputs[i] * B + j];
  }
}

void BitSim::planes(const GateNetlist& n, std::vector<uint64_t>& planes) {
  prepare(n);
  if (BitSim::words(w_) >= kBlock)
    run_blocks<kBlock>(n, planes);
  else
    run_blocks<1>(n, planes);
}

void BitSim::products(const GateNetlist& n, std::vector<int64_t>& out) {
  planes(n, planes_);
  const size_t words = BitSim::words(w_), outs = 2 * static_cast<size_t>(w_);
  const size_t pairs = size_t{1} << outs;
  const uint64_t sign = n.is_signed ? uint64_t{1} << (outs - 1) : 0;
  out.resize(pairs);
  for (size_t t = 0; t < words; ++t) {
    // Four pairs per accumulator, one 16-bit lane each (2w <= 16).
    std::array<uint64_t, 16> acc{};
    for (size_t i = 0; i < outs; ++i) {
      const uint64_t word = planes_[i * words + t];
      for (size_t q = 0; q < 16; ++q) acc[q] |= kSpread[(word >> (4 * q)) & 15] << i;
    }
    const size_t count = std::min<size_t>(64, pairs - 64 * t);
    for (size_t p = 0; p < count; ++p) {
      const uint64_t v = (acc[p >> 2] >> (16 * (p & 3))) & 0xffff;
      out[64 * t + p] = static_cast<int64_t>(v ^ sign) - static_cast<int64_t>(sign);  // sign-extends when signed
    }
  }
}

}  // namespace gm::evo
