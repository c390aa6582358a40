// The array's stream protocol (tb/array_stream.hpp) against a small pure-C++ fake of the array's
// stream interface: no simulator runs. The fake has its own bit packing (bit by bit) and its own
// arithmetic, and the expected Y is a plain integer matrix product computed here, so a slip in the
// protocol's packing, tiling, handshakes, padding correction or K-slice sums shows up as a wrong Y.
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "tb/array_stream.hpp"

namespace gm {
namespace {

// Bit `i` of a word vector, and the reverse, written out bit by bit (not the protocol's packing).
int bit_of(const std::vector<uint32_t>& words, int i) { return (words[i / 32] >> (i % 32)) & 1; }

int64_t field_of(const std::vector<uint32_t>& words, int index, int width) {
  int64_t v = 0;
  for (int b = 0; b < width; ++b) v |= static_cast<int64_t>(bit_of(words, index * width + b)) << b;
  if (width < 64 && ((v >> (width - 1)) & 1)) v -= int64_t{1} << width;  // two's complement
  return v;
}

// A fake R x C array with the real array's ports. Its multiplier of PE (r, c) is x * w + bias(r, c),
// so M(0, 0) = bias != 0 and the host's padding correction matters. Timing (documented so a cycle
// count can be derived by hand):
//   weights     a beat is accepted (w_ready) while a bank is free; R beats fill a bank.
//   activations a beat is accepted (x_ready) while a bank is full and fewer than kQueue results wait;
//               its result row is offered from the `latency`-th cycle after the accepting one (latency
//               >= 1); x_last frees the bank.
//   results     y_valid while the oldest result is ready; it leaves on an edge with y_ready.
class FakeArray {
 public:
  static constexpr size_t kQueue = 4;
  enum class Fault { kNone, kNoYLast, kNeverAnswers };

  FakeArray(const ArrayShape& s, int latency, Fault fault = Fault::kNone) : s_(s), latency_(latency), fault_(fault) {
    banks_.assign(2, std::vector<int64_t>(s.rows * s.cols, 0));
    w_bus_.assign(bus_words(s.cols * s.w), 0);
    x_bus_.assign(bus_words(s.rows * s.w), 0);
  }
  static int64_t bias(int r, int c) { return 3 * r - 2 * c + 1; }

  // The adapter interface of run_array_stream.
  void drive(const ArrayInputs& in, const ArrayStream& st) {
    if (!in.rst_n) {
      EXPECT_FALSE(in.w_valid || in.x_valid || in.x_last) << "a valid during reset";
    }
    if (in.x_last) {
      EXPECT_TRUE(in.x_valid) << "x_last_i without x_valid_i";
    }
    if (in.w_new) {
      EXPECT_TRUE(in.w_valid) << "a new weight beat without w_valid_i";
    }
    if (in.x_new) {
      EXPECT_TRUE(in.x_valid) << "a new activation beat without x_valid_i";
    }
    in_ = in;
    if (in.w_new) w_bus_ = st.w_data();
    if (in.x_new) x_bus_ = st.x_data();
  }
  void settle() {
    out_.w_ready = full_count() < 2 && in_.rst_n;
    out_.x_ready = in_.rst_n && full_[compute_] && queue_.size() < kQueue;
    out_.y_valid = in_.rst_n && !queue_.empty() && queue_.front().ready_at <= now_ && fault_ != Fault::kNeverAnswers;
    out_.y_last = out_.y_valid && queue_.front().last && fault_ != Fault::kNoYLast;
  }
  ArrayOutputs outputs() const { return out_; }
  const uint32_t* y_data() {
    const auto& row = queue_.front().y;
    y_bus_.assign(bus_words(s_.cols * s_.acc), 0);
    for (int c = 0; c < s_.cols; ++c)
      for (int b = 0; b < s_.acc; ++b)
        y_bus_[(c * s_.acc + b) / 32] |= static_cast<uint32_t>((static_cast<uint64_t>(row[c]) >> b) & 1)
                                         << ((c * s_.acc + b) % 32);
    return y_bus_.data();
  }
  void clock(const ArrayInputs&) {
    if (!in_.rst_n) {
      ++reset_edges_;
      EXPECT_EQ(now_, 0u) << "reset after the streams started";
      return;
    }
    ++now_;
    const bool w_fire = in_.w_valid && out_.w_ready, x_fire = in_.x_valid && out_.x_ready;
    const bool y_fire = out_.y_valid && in_.y_ready;
    if (y_fire) queue_.pop_front();
    if (x_fire) {
      Result res{std::vector<int64_t>(s_.cols, 0), now_ + latency_ - 1, in_.x_last};
      for (int c = 0; c < s_.cols; ++c)
        for (int r = 0; r < s_.rows; ++r)
          res.y[c] += field_of(x_bus_, r, s_.w) * banks_[compute_][r * s_.cols + c] + bias(r, c);
      queue_.push_back(res);
      if (in_.x_last) full_[compute_] = false, compute_ ^= 1;
    }
    if (w_fire) {
      for (int c = 0; c < s_.cols; ++c) banks_[load_][w_row_ * s_.cols + c] = field_of(w_bus_, c, s_.w);
      if (++w_row_ == s_.rows) w_row_ = 0, full_[load_] = true, load_ ^= 1;
    }
  }

  int reset_edges() const { return reset_edges_; }

 private:
  struct Result {
    std::vector<int64_t> y;
    uint64_t ready_at;
    bool last;
  };
  int full_count() const { return full_[0] + full_[1]; }

  ArrayShape s_;
  int latency_;
  Fault fault_;
  ArrayInputs in_;
  ArrayOutputs out_;
  std::vector<std::vector<int64_t>> banks_;
  bool full_[2] = {false, false};
  int load_ = 0, compute_ = 0, w_row_ = 0;
  std::vector<uint32_t> w_bus_, x_bus_, y_bus_;
  std::deque<Result> queue_;
  uint64_t now_ = 0;
  int reset_edges_ = 0;
};

struct Gemm {
  int64_t m, k, n;
  std::vector<int32_t> x, w;
};

Gemm random_gemm(int64_t m, int64_t k, int64_t n, int w_bits, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int32_t> d(-(1 << (w_bits - 1)), (1 << (w_bits - 1)) - 1);
  Gemm g{m, k, n, std::vector<int32_t>(m * k), std::vector<int32_t>(k * n)};
  for (auto& v : g.x) v = d(rng);
  for (auto& v : g.w) v = d(rng);
  return g;
}

// Y[i][j] = wrap(sum_k X[i][k] * W[k][j] + bias(k mod R, j mod C)): what the fake's multipliers give
// for the real rows only.
std::vector<int64_t> expected(const Gemm& g, const ArrayShape& s) {
  std::vector<int64_t> y(g.m * g.n, 0);
  for (int64_t i = 0; i < g.m; ++i)
    for (int64_t j = 0; j < g.n; ++j) {
      int64_t sum = 0;
      for (int64_t kk = 0; kk < g.k; ++kk)
        sum += int64_t{g.x[i * g.k + kk]} * g.w[kk * g.n + j] + FakeArray::bias(static_cast<int>(kk % s.rows),
                                                                                 static_cast<int>(j % s.cols));
      const int64_t half = int64_t{1} << (s.acc - 1);
      y[i * g.n + j] = ((sum + half) % (2 * half) + 2 * half) % (2 * half) - half;  // acc < 64 here
    }
  return y;
}

std::vector<int64_t> pads(const ArrayShape& s) {
  std::vector<int64_t> p;
  for (int r = 0; r < s.rows; ++r)
    for (int c = 0; c < s.cols; ++c) p.push_back(FakeArray::bias(r, c));
  return p;
}

struct Outcome {
  bool ok;
  std::vector<int64_t> y;
  uint64_t cycles;
  std::string error;
  int reset_edges;
};

Outcome run(const ArrayShape& s, const Gemm& g, uint64_t stall_seed, int latency,
        FakeArray::Fault fault = FakeArray::Fault::kNone) {
  const std::vector<int64_t> pad = pads(s);
  ArrayStream stream(s, {g.m, g.k, g.n, stall_seed, g.x.data(), g.w.data(), pad.data()});
  FakeArray fake(s, latency, fault);
  const bool ok = run_array_stream(stream, fake);
  return {ok, stream.y(), stream.cycles(), stream.error(), fake.reset_edges()};
}

TEST(ArrayStream, PackAndUnpackMatchTheBitLayout) {
  for (const int width : {1, 3, 5, 8, 12, 16, 20, 32, 33, 48}) {
    const int count = 7;
    std::vector<int64_t> values(count);
    std::mt19937_64 rng(width);
    for (auto& v : values) v = static_cast<int64_t>(rng());
    std::vector<uint32_t> words(bus_words(count * width), 0xFFFFFFFFu);
    pack_fields(words, values.data(), count, width);
    for (int i = 0; i < count; ++i) {
      for (int b = 0; b < width; ++b)
        ASSERT_EQ(bit_of(words, i * width + b), static_cast<int>((static_cast<uint64_t>(values[i]) >> b) & 1))
            << "width " << width << " field " << i << " bit " << b;
      EXPECT_EQ(unpack_field(words.data(), i, width), field_of(words, i, width)) << "width " << width;
    }
    for (int b = count * width; b < 32 * static_cast<int>(words.size()); ++b)
      ASSERT_EQ(bit_of(words, b), 0) << "bits above the fields are cleared (width " << width << ")";
  }
}

TEST(ArrayStream, FullRateGemmsGiveTheMatrixProduct) {
  // Ragged K and N (padding rows and columns), one or many tiles, fields straddling 32-bit words,
  // and a 16-bit accumulator that wraps around (the host's sums of K slices must wrap alike).
  const ArrayShape shapes[] = {{1, 1, 8, 32}, {2, 3, 8, 32}, {3, 2, 5, 20}, {4, 4, 8, 24}, {3, 7, 6, 19}, {2, 2, 8, 16}};
  uint64_t seed = 1;
  for (const auto& s : shapes)
    for (const auto& [m, k, n] : {std::tuple<int64_t, int64_t, int64_t>{1, 1, 1}, {5, 7, 4}, {9, 3, 11}, {2, 12, 6}}) {
      const Gemm g = random_gemm(m, k, n, s.w, seed++);
      const Outcome r = run(s, g, 0, 2);
      ASSERT_TRUE(r.ok) << r.error;
      EXPECT_EQ(r.y, expected(g, s)) << s.rows << "x" << s.cols << " gemm " << m << "x" << k << "x" << n;
      EXPECT_EQ(r.reset_edges, kArrayResetCycles);
    }
}

TEST(ArrayStream, StallsChangeTheCyclesButNotTheResult) {
  const ArrayShape s{3, 4, 8, 32};
  const Gemm g = random_gemm(10, 8, 9, 8, 7);
  const Outcome full = run(s, g, 0, 3);
  ASSERT_TRUE(full.ok) << full.error;
  for (const uint64_t seed : {1u, 2u, 99u}) {
    const Outcome st = run(s, g, seed, 3);
    ASSERT_TRUE(st.ok) << st.error;
    EXPECT_EQ(st.y, full.y) << "stall seed " << seed;
    EXPECT_GT(st.cycles, full.cycles) << "stall seed " << seed << " left no gap";
    EXPECT_EQ(run(s, g, seed, 3).cycles, st.cycles) << "the same seed gives the same gaps";
  }
}

TEST(ArrayStream, CyclesCountFromResetToTheLastResult) {
  // 1x1, one MAC, latency 1: cycle 1 loads the weight (x_ready is low: no bank is full yet), cycle 2
  // takes the activation, cycle 3 offers and hands over its result: 3 cycles.
  const ArrayShape s{1, 1, 8, 32};
  const Gemm g{1, 1, 1, {5}, {-7}};
  const Outcome r = run(s, g, 0, 1);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.cycles, 3u);
  EXPECT_EQ(r.y, std::vector<int64_t>{-35 + FakeArray::bias(0, 0)});
  // Each extra cycle of latency delays the one result by a cycle.
  EXPECT_EQ(run(s, g, 0, 4).cycles, 6u);
}

TEST(ArrayStream, AMissingYLastFailsTheRun) {
  const ArrayShape s{2, 2, 8, 32};
  const Outcome r = run(s, random_gemm(3, 2, 2, 8, 3), 0, 1, FakeArray::Fault::kNoYLast);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("y_last_o"), std::string::npos) << r.error;
}

TEST(ArrayStream, AnArrayThatNeverAnswersIsStuck) {
  const ArrayShape s{2, 2, 8, 32};
  const Outcome r = run(s, random_gemm(3, 2, 2, 8, 4), 0, 1, FakeArray::Fault::kNeverAnswers);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("no result"), std::string::npos) << r.error;
  EXPECT_EQ(r.cycles, kArrayStuckCycles + 1);
}

}  // namespace
}  // namespace gm
