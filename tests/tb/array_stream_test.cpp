// The array's stream protocol (tb/array_stream.hpp) against a small pure-C++ fake of the array's
// stream interface: no simulator runs. The fake has its own bit packing (bit by bit), its own
// accumulators and output stage, and timing rules written from docs/array.md; the expected Y is a
// plain integer matrix product computed here, so a slip in the protocol's packing, tiling, flags,
// padding, params or handshakes shows up as a wrong Y, and a slip in the cycle model
// (models/golden_gemm.hpp gemm_cycles) as a wrong cycle count.
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

// Bit `i` of a word vector, and fields read bit by bit (not the protocol's packing).
int bit_of(const std::vector<uint32_t>& words, int64_t i) { return (words[i / 32] >> (i % 32)) & 1; }

int64_t bits_at(const std::vector<uint32_t>& words, int64_t pos, int width, bool is_signed) {
  int64_t v = 0;
  for (int b = 0; b < width; ++b) v |= static_cast<int64_t>(bit_of(words, pos + b)) << b;
  if (is_signed && width < 64 && ((v >> (width - 1)) & 1)) v -= int64_t{1} << width;  // two's complement
  return v;
}
int64_t field_of(const std::vector<uint32_t>& words, int index, int width) {
  return bits_at(words, int64_t{index} * width, width, true);
}

int64_t wrap_bits(int64_t v, int bits) {  // acc < 64 here
  const int64_t half = int64_t{1} << (bits - 1);
  return ((v + half) % (2 * half) + 2 * half) % (2 * half) - half;
}

// The output stage written out independently (docs/quantization.md), in 128-bit arithmetic with
// an explicit floor division.
int64_t requant_ref(int64_t s, const OutParams& p) {
  const int64_t t = wrap_bits(wrap_bits(s, 32) + p.bias, 32);
  const __int128 num = static_cast<__int128>(t) * p.m0 + (static_cast<__int128>(1) << (p.shift - 1));
  const __int128 den = static_cast<__int128>(1) << p.shift;
  __int128 q = num / den;
  if (num % den != 0 && num < 0) --q;  // floor
  const int64_t v = static_cast<int64_t>(q);
  return v < p.out_min ? p.out_min : v > p.out_max ? p.out_max : v;
}

// The latencies a fake obeys (the manifest's, docs/array.md): Lw = bank refill after a tile's last
// activation, Lp = param bank refill after a last_k tile's last activation, Ly = result after
// activation; an activation may follow the edge of its tile's last weight (and param) beat.
struct FakeTiming {
  int lw = 1, lp = 1, ly = 2;
};

// A fake R x C array with the real array's ports. Its multiplier of PE (r, c) is x * w + bias(r, c),
// so a padding row that is not skipped (w_pad_i) adds bias != 0 and shows up.
//   weights     a beat is accepted while the load bank is empty and its refill time has come;
//               R beats fill it (with their pad bits).
//   params      (out stage) the same with two param banks, one beat fills one.
//   activations accepted while the compute bank is full, for a last_k tile with the out stage also
//               the param compute bank, and fewer than Ly + 2 results wait; beat m of a tile adds its
//               partial row into acc[m] (first_k: from 0); a last_k beat's result row is offered
//               so that it is accepted Ly edges after the activation; x_last frees the bank(s).
class FakeArray {
 public:
  enum class Fault { kNone, kNoYLast, kNeverAnswers };

  FakeArray(const ArrayShape& s, FakeTiming t, Fault fault = Fault::kNone) : s_(s), t_(t), fault_(fault) {
    banks_.assign(2, std::vector<int64_t>(s.rows * s.cols, 0));
    pads_.assign(2, std::vector<bool>(s.rows, false));
    params_.assign(2, std::vector<OutParams>(s.cols));
    acc_.assign(s.cols, std::vector<int64_t>(static_cast<size_t>(s.acc_depth), 0));
    w_bus_.assign(bus_words(s.cols * s.w), 0);
    x_bus_.assign(bus_words(s.rows * s.w), 0);
    p_bus_.assign(bus_words(s.cols * kParamBits), 0);
  }
  static int64_t bias(int r, int c) { return 3 * r - 2 * c + 1; }

  // The adapter interface of run_array_stream.
  void drive(const ArrayInputs& in, const ArrayStream& st) {
    EXPECT_TRUE(in.rst_n || !(in.w_valid || in.x_valid || in.x_last || in.p_valid)) << "a valid during reset";
    EXPECT_TRUE(!in.x_last || in.x_valid) << "x_last_i without x_valid_i";
    EXPECT_TRUE(!in.w_new || in.w_valid) << "a new weight beat without w_valid_i";
    EXPECT_TRUE(!in.x_new || in.x_valid) << "a new activation beat without x_valid_i";
    EXPECT_TRUE(!in.p_valid || s_.out_stage) << "p_valid_i without an output stage";
    in_ = in;
    if (in.w_new) w_bus_ = st.w_data();
    if (in.x_new) x_bus_ = st.x_data();
    if (in.p_new) p_bus_ = st.p_data();
  }
  void settle() {
    const uint64_t edge = now_ + 1;
    out_.w_ready = in_.rst_n && !full_[load_] && edge >= free_at_[load_];
    out_.p_ready = s_.out_stage && in_.rst_n && !p_full_[p_load_] && edge >= p_free_at_[p_load_];
    out_.x_ready = in_.rst_n && full_[compute_] && (!s_.out_stage || !in_.x_last_k || p_full_[p_compute_]) &&
                   queue_.size() < static_cast<size_t>(t_.ly + 2);
    out_.y_valid = in_.rst_n && !queue_.empty() && queue_.front().ready_at <= edge && fault_ != Fault::kNeverAnswers;
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
    const uint64_t edge = ++now_;
    const bool w_fire = in_.w_valid && out_.w_ready, x_fire = in_.x_valid && out_.x_ready;
    const bool p_fire = in_.p_valid && out_.p_ready, y_fire = out_.y_valid && in_.y_ready;
    if (y_fire) queue_.pop_front();
    if (x_fire) activation(edge);
    if (w_fire) {
      for (int c = 0; c < s_.cols; ++c) banks_[load_][w_row_ * s_.cols + c] = field_of(w_bus_, c, s_.w);
      pads_[load_][w_row_] = in_.w_pad;
      if (++w_row_ == s_.rows) w_row_ = 0, full_[load_] = true, load_ ^= 1;
    }
    if (p_fire) {
      for (int c = 0; c < s_.cols; ++c) {
        const int64_t at = int64_t{c} * kParamBits;
        params_[p_load_][c] = {static_cast<int32_t>(bits_at(p_bus_, at, 32, true)),
                               static_cast<int32_t>(bits_at(p_bus_, at + 32, 32, false)),
                               static_cast<int>(bits_at(p_bus_, at + 64, 8, false)),
                               static_cast<int32_t>(bits_at(p_bus_, at + 72, 32, true)),
                               static_cast<int32_t>(bits_at(p_bus_, at + 104, 32, true))};
      }
      p_full_[p_load_] = true, p_load_ ^= 1;
    }
  }

  int reset_edges() const { return reset_edges_; }

 private:
  struct Result {
    std::vector<int64_t> y;
    uint64_t ready_at;
    bool last;
  };

  void activation(uint64_t edge) {
    if (beat_ == 0) first_k_ = in_.x_first_k, last_k_ = in_.x_last_k;
    EXPECT_EQ(in_.x_first_k, first_k_) << "x_first_k_i changed within a tile";
    EXPECT_EQ(in_.x_last_k, last_k_) << "x_last_k_i changed within a tile";
    EXPECT_LT(beat_, s_.acc_depth) << "a tile of more than D activation beats";
    const int64_t m = beat_ % s_.acc_depth;
    Result res{std::vector<int64_t>(s_.cols, 0), edge + t_.ly, in_.x_last};
    for (int c = 0; c < s_.cols; ++c) {
      int64_t psum = 0;
      for (int r = 0; r < s_.rows; ++r)
        if (!pads_[compute_][r]) psum += field_of(x_bus_, r, s_.w) * banks_[compute_][r * s_.cols + c] + bias(r, c);
      const int64_t sum = wrap_bits((first_k_ ? 0 : acc_[c][m]) + psum, s_.acc);
      if (!last_k_) acc_[c][m] = sum;
      res.y[c] = s_.out_stage ? requant_ref(sum, params_[p_compute_][c]) : sum;
    }
    if (last_k_) queue_.push_back(res);
    ++beat_;
    if (in_.x_last) {
      beat_ = 0;
      full_[compute_] = false, free_at_[compute_] = edge + t_.lw, compute_ ^= 1;
      if (s_.out_stage && last_k_) p_full_[p_compute_] = false, p_free_at_[p_compute_] = edge + t_.lp, p_compute_ ^= 1;
    }
  }

  ArrayShape s_;
  FakeTiming t_;
  Fault fault_;
  ArrayInputs in_;
  ArrayOutputs out_;
  std::vector<std::vector<int64_t>> banks_, acc_;
  std::vector<std::vector<bool>> pads_;
  std::vector<std::vector<OutParams>> params_;
  bool full_[2] = {false, false}, p_full_[2] = {false, false};
  uint64_t free_at_[2] = {0, 0}, p_free_at_[2] = {0, 0};
  int load_ = 0, compute_ = 0, w_row_ = 0, p_load_ = 0, p_compute_ = 0;
  int64_t beat_ = 0;
  bool first_k_ = false, last_k_ = false;
  std::vector<uint32_t> w_bus_, x_bus_, p_bus_, y_bus_;
  std::deque<Result> queue_;
  uint64_t now_ = 0;
  int reset_edges_ = 0;
};

struct Gemm {
  int64_t m, k, n;
  std::vector<int32_t> x, w;
  std::vector<OutParams> params;
};

Gemm random_gemm(int64_t m, int64_t k, int64_t n, int w_bits, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int32_t> d(-(1 << (w_bits - 1)), (1 << (w_bits - 1)) - 1);
  Gemm g{m, k, n, std::vector<int32_t>(m * k), std::vector<int32_t>(k * n), {}};
  for (auto& v : g.x) v = d(rng);
  for (auto& v : g.w) v = d(rng);
  // Params that make outputs spread: sums are ~ +-2^13 * sqrt(k); shifts 20..30 map them to ~ +-100.
  for (int64_t j = 0; j < n; ++j) {
    OutParams p;
    p.bias = static_cast<int32_t>(rng() % 2001) - 1000;
    p.m0 = static_cast<int32_t>((int64_t{1} << 30) + static_cast<int64_t>(rng() % (uint64_t{1} << 30)));
    p.shift = 20 + static_cast<int>(rng() % 11);
    if (j % 2) p.out_min = 0, p.out_max = 127;
    else p.out_min = -32768, p.out_max = 32767;
    g.params.push_back(p);
  }
  return g;
}

// Y[i][j] = wrap(sum_k X[i][k] * W[k][j] + bias(k mod R, j mod C)) over the real k only (padding
// rows add nothing), then the output stage when the array has one.
std::vector<int64_t> expected(const Gemm& g, const ArrayShape& s) {
  std::vector<int64_t> y(g.m * g.n, 0);
  for (int64_t i = 0; i < g.m; ++i)
    for (int64_t j = 0; j < g.n; ++j) {
      int64_t sum = 0;
      for (int64_t kk = 0; kk < g.k; ++kk)
        sum += int64_t{g.x[i * g.k + kk]} * g.w[kk * g.n + j] + FakeArray::bias(static_cast<int>(kk % s.rows),
                                                                                 static_cast<int>(j % s.cols));
      y[i * g.n + j] = s.out_stage ? requant_ref(wrap_bits(sum, s.acc), g.params[j]) : wrap_bits(sum, s.acc);
    }
  return y;
}

ArrayTiming timing_of(const ArrayShape& s, FakeTiming t) {
  ArrayTiming a;
  a.rows = s.rows, a.cols = s.cols, a.acc_depth = s.acc_depth, a.out_stage = s.out_stage;
  a.first_activation_after_last_weight_beat = 1;
  a.result_after_activation = t.ly;
  a.bank_refill_after_last_activation = t.lw;
  a.param_refill_after_last_activation = s.out_stage ? t.lp : 0;
  return a;
}

struct Outcome {
  bool ok;
  std::vector<int64_t> y;
  uint64_t cycles;
  std::string error;
  int reset_edges;
};

Outcome run(const ArrayShape& s, const Gemm& g, uint64_t stall_seed, FakeTiming t,
            FakeArray::Fault fault = FakeArray::Fault::kNone) {
  ArrayStream stream(s, {g.m, g.k, g.n, stall_seed, g.x.data(), g.w.data(), g.params.data()});
  FakeArray fake(s, t, fault);
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

TEST(ArrayStream, ParamBeatLayout) {
  // Column c at bits [c*136 +: 136]: bias[31:0] m0[63:32] shift[71:64] out_min[103:72] out_max[135:104].
  const std::vector<OutParams> p = {{-5, 0x7FFFFFFF, 62, -32768, 32767}, {123456, 1 << 30, 1, 0, 127},
                                    {-1, 0, 31, -128, -1}};
  std::vector<uint32_t> words(bus_words(3 * kParamBits), 0xFFFFFFFFu);
  pack_params(words, p.data(), 3);
  for (int c = 0; c < 3; ++c) {
    const int64_t at = int64_t{c} * 136;
    EXPECT_EQ(bits_at(words, at, 32, true), p[c].bias);
    EXPECT_EQ(bits_at(words, at + 32, 32, false), p[c].m0);
    EXPECT_EQ(bits_at(words, at + 64, 8, false), p[c].shift);
    EXPECT_EQ(bits_at(words, at + 72, 32, true), p[c].out_min);
    EXPECT_EQ(bits_at(words, at + 104, 32, true), p[c].out_max);
  }
  for (int64_t b = 3 * 136; b < 32 * static_cast<int64_t>(words.size()); ++b) ASSERT_EQ(bit_of(words, b), 0);
}

// Ragged K and N (padding rows and columns), M chunks (M > D, ragged, D = 1), one or many tiles,
// fields straddling 32-bit words, a 16-bit accumulator that wraps, with and without the out stage;
// the cycles equal the cycle model's on every full-rate run.
TEST(ArrayStream, FullRateGemmsGiveTheProductInTheModelsCycles) {
  const ArrayShape shapes[] = {{1, 1, 8, 32, 2, false}, {2, 3, 8, 32, 5, false}, {3, 2, 5, 20, 1, false},
                               {4, 4, 8, 24, 8, false}, {3, 7, 6, 19, 3, false}, {2, 2, 8, 16, 4, false},
                               {1, 1, 8, 32, 2, true},  {2, 3, 8, 32, 5, true},  {3, 2, 8, 32, 1, true},
                               {4, 4, 8, 32, 8, true}};
  const FakeTiming timings[] = {{1, 1, 2}, {3, 7, 9}, {5, 2, 4}};
  uint64_t seed = 1;
  for (const auto& s : shapes)
    for (const auto& t : timings)
      for (const auto& [m, k, n] :
           {std::tuple<int64_t, int64_t, int64_t>{1, 1, 1}, {5, 7, 4}, {9, 3, 11}, {2, 12, 6}, {13, 5, 3}}) {
        const Gemm g = random_gemm(m, k, n, s.w, seed++);
        const Outcome r = run(s, g, 0, t);
        const std::string what = std::to_string(s.rows) + "x" + std::to_string(s.cols) + " D=" +
                                 std::to_string(s.acc_depth) + (s.out_stage ? " out" : "") + " gemm " +
                                 std::to_string(m) + "x" + std::to_string(k) + "x" + std::to_string(n) +
                                 " Lw,Lp,Ly=" + std::to_string(t.lw) + "," + std::to_string(t.lp) + "," +
                                 std::to_string(t.ly);
        ASSERT_TRUE(r.ok) << r.error << " " << what;
        EXPECT_EQ(r.y, expected(g, s)) << what;
        EXPECT_EQ(r.cycles, gemm_cycles(timing_of(s, t), m, k, n)) << what;
        EXPECT_EQ(r.reset_edges, kArrayResetCycles);
      }
}

TEST(ArrayStream, StallsChangeTheCyclesButNotTheResult) {
  for (const bool out : {false, true}) {
    const ArrayShape s{3, 4, 8, 32, 4, out};
    const Gemm g = random_gemm(10, 8, 9, 8, 7);
    const Outcome full = run(s, g, 0, {4, 6, 7});
    ASSERT_TRUE(full.ok) << full.error;
    EXPECT_EQ(full.y, expected(g, s));
    for (const uint64_t seed : {1u, 2u, 99u}) {
      const Outcome st = run(s, g, seed, {4, 6, 7});
      ASSERT_TRUE(st.ok) << st.error;
      EXPECT_EQ(st.y, full.y) << "stall seed " << seed;
      EXPECT_GT(st.cycles, full.cycles) << "stall seed " << seed << " left no gap";
      EXPECT_EQ(run(s, g, seed, {4, 6, 7}).cycles, st.cycles) << "the same seed gives the same gaps";
    }
  }
}

TEST(ArrayStream, CyclesCountFromResetToTheLastResult) {
  // 1x1, one MAC, result latency 1: edge 1 loads the weight (x_ready is low: no bank is full yet),
  // edge 2 takes the activation, edge 3 hands over its result: 3 cycles.
  const ArrayShape s{1, 1, 8, 32, 1, false};
  const Gemm g{1, 1, 1, {5}, {-7}, {}};
  const Outcome r = run(s, g, 0, {1, 1, 1});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.cycles, 3u);
  EXPECT_EQ(r.y, std::vector<int64_t>{-35 + FakeArray::bias(0, 0)});
  // Each extra cycle of latency delays the one result by a cycle.
  EXPECT_EQ(run(s, g, 0, {1, 1, 4}).cycles, 6u);
  // Two K slices of one row each (D = 1, K = 2): weights at edges 1, 2; activations at 2 and 3;
  // the second tile's result at 3 + 1 = 4. Only the last_k tile's row leaves the array.
  const Gemm g2{1, 2, 1, {5, 3}, {-7, 2}, {}};
  const Outcome r2 = run(s, g2, 0, {1, 1, 1});
  ASSERT_TRUE(r2.ok) << r2.error;
  EXPECT_EQ(r2.cycles, 4u);
  EXPECT_EQ(r2.y, std::vector<int64_t>{-35 + 6 + 2 * FakeArray::bias(0, 0)});
}

TEST(ArrayStream, ATileNeverExceedsD) {
  const ArrayShape s{2, 2, 8, 32, 0, false};
  const Outcome r = run(s, random_gemm(3, 2, 2, 8, 3), 0, {});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("depth"), std::string::npos) << r.error;
}

TEST(ArrayStream, AMissingYLastFailsTheRun) {
  const ArrayShape s{2, 2, 8, 32, 4, false};
  const Outcome r = run(s, random_gemm(3, 2, 2, 8, 3), 0, {}, FakeArray::Fault::kNoYLast);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("y_last_o"), std::string::npos) << r.error;
}

TEST(ArrayStream, AnArrayThatNeverAnswersIsStuck) {
  const ArrayShape s{2, 2, 8, 32, 4, false};
  const Outcome r = run(s, random_gemm(3, 2, 2, 8, 4), 0, {}, FakeArray::Fault::kNeverAnswers);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("no beat moved"), std::string::npos) << r.error;
  EXPECT_GT(r.cycles, kArrayStuckCycles);
  EXPECT_LT(r.cycles, kArrayStuckCycles + 100);
}

}  // namespace
}  // namespace gm
