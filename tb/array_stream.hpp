// The systolic array's stream protocol, written once: how a host drives one GEMM Y = X * W through
// the array's three streams (generator/array/array.hpp, docs/array.md) cycle by cycle and collects Y.
// Every simulator runs this class through a small adapter that only moves port values:
//
//   Verilator   tb/harness/array_main.cpp   (run_array_stream, below)
//   SeqGateSim  synth/array_synth.cpp       (run_array_stream, below)
//   Icarus      tb/harness/array_tb.v, a fixed bench whose every cycle calls tb/harness/array_vpi.cpp
//
// The protocol
//   reset      kResetCycles clock edges with rst_sync_ni = 0, every valid 0, y_ready_i = 1; not counted.
//   weights    tile by tile (models/golden_gemm.hpp: column slices outside, K slices inside), R beats
//              a tile: beat r carries row r of the tile's weights, field c for PE (r, c).
//   activations  M beats a tile: beat m carries row m of X's K slice, field r for array row r; padding
//              rows are 0. x_last_i marks the tile's last beat.
//   results    M beats a tile, y_last_o on the last; field c is column c's partial sum. The host adds
//              the K slices' partial sums in acc-bit wrap-around arithmetic and subtracts M(0, 0) of
//              the PEs that the padding rows of a K slice went through.
//   handshake  a beat moves on the clock edge where valid and ready are both high. A data bus keeps
//              its last beat while its valid is low (a new beat is driven once, which the gate-level
//              activity of synthesis counts). stall_seed 0 offers every stream at full rate, which the
//              cycle model assumes; otherwise w_valid_i, x_valid_i and y_ready_i each drop one cycle in
//              four at random (xorshift64*, seeded), to exercise the handshakes.
//   cycles     clock edges from the first after reset to the one that accepts the last result.
//   stuck      no result for kStuckCycles cycles: the array is broken; the run fails.
//
// Bit packing: field i of a bus of `width`-bit fields sits at bits [i*width, (i+1)*width), low bits
// first; a result field is read as two's complement. Buses are held as 32-bit words, word j holding
// bits [32j, 32j + 32): the layout of Verilator's wide ports and of VPI's vector values.
//
// Header-only and free of greenmac's libraries: the run-time-compiled harnesses include it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "models/golden_gemm.hpp"

namespace gm {

inline constexpr int kArrayResetCycles = 2;
inline constexpr uint64_t kArrayStuckCycles = 100'000;

// The array's stream widths.
struct ArrayShape {
  int rows = 1, cols = 1;
  int w = 8;     // operand bits
  int acc = 32;  // accumulator bits
};

// One GEMM for the streams; the pointers must outlive the ArrayStream. x is m x k and w is k x n,
// row-major, operands in their natural range; pad[r * cols + c] is M(0, 0) of PE (r, c).
struct StreamJob {
  int64_t m = 0, k = 0, n = 0;
  uint64_t stall_seed = 0;
  const int32_t* x = nullptr;
  const int32_t* w = nullptr;
  const int64_t* pad = nullptr;
};

inline int bus_words(int bits) { return (bits + 31) / 32; }

// Packs `count` fields of `width` bits (the low bits of each value) into words (zeroed first).
inline void pack_fields(std::vector<uint32_t>& words, const int64_t* values, int count, int width) {
  std::fill(words.begin(), words.end(), 0u);
  if (32 % width == 0) {  // fields never straddle a word
    const uint32_t m = width == 32 ? ~0u : (1u << width) - 1;
    for (int i = 0; i < count; ++i)
      words[i * width / 32] |= (static_cast<uint32_t>(values[i]) & m) << (i * width % 32);
    return;
  }
  const uint64_t mask = width >= 64 ? ~0ull : (uint64_t{1} << width) - 1;
  for (int i = 0; i < count; ++i) {
    const uint64_t v = static_cast<uint64_t>(values[i]) & mask;
    for (int b = 0; b < width;) {
      const int bit = i * width + b, word = bit / 32, off = bit % 32;
      const int take = std::min(32 - off, width - b);
      words[word] |= static_cast<uint32_t>((v >> b) & ((uint64_t{1} << take) - 1)) << off;
      b += take;
    }
  }
}

// Field i (`width` bits) of packed words, read as a two's-complement value.
inline int64_t unpack_field(const uint32_t* words, int i, int width) {
  uint64_t v = 0;
  for (int b = 0; b < width;) {
    const int bit = i * width + b, word = bit / 32, off = bit % 32;
    const int take = std::min(32 - off, width - b);
    v |= static_cast<uint64_t>((words[word] >> off) & ((uint64_t{1} << take) - 1)) << b;
    b += take;
  }
  return wrap_acc(static_cast<int64_t>(v), width);
}

// What the host drives in one cycle. The data buses change only when w_new / x_new say so: then
// ArrayStream::w_data() / x_data() hold the new beat.
struct ArrayInputs {
  bool rst_n = false;
  bool w_valid = false, x_valid = false, x_last = false, y_ready = true;
  bool w_new = false, x_new = false;
};

// What the host reads once the cycle's inputs have settled (clock low).
struct ArrayOutputs {
  bool w_ready = false, x_ready = false, y_valid = false, y_last = false;
};

// One GEMM's streams as a state machine of three phases a cycle:
//   drive()            the inputs of this cycle (reset cycles first)
//   sense(outputs)     the settled outputs; true when a result beat is accepted on this cycle's
//                      edge: then take_result(y_data_o's words)
//   clocked()          after the rising edge: the streams advance
// until running() is false; then ok() (else error()), y() and cycles().
class ArrayStream {
 public:
  ArrayStream(const ArrayShape& shape, const StreamJob& job)
      : s_(shape),
        j_(job),
        t_{shape.rows, shape.cols, job.m, job.k, job.n},
        tiles_(t_.tiles()),
        w_words_(bus_words(shape.cols * shape.w)),
        x_words_(bus_words(shape.rows * shape.w)),
        vals_(std::max(shape.rows, shape.cols)),
        pad_sum_(shape.cols),
        y_(job.m * job.n, 0),
        rng_{job.stall_seed * 0x9E3779B97F4A7C15ull + 1},
        stalls_(job.stall_seed != 0) {}

  bool running() const { return !failed_ && yt_ < tiles_; }
  bool ok() const { return !failed_ && yt_ == tiles_; }
  const std::string& error() const { return error_; }
  // Y (m x n, row-major, acc-bit values); complete once ok().
  const std::vector<int64_t>& y() const { return y_; }
  uint64_t cycles() const { return cycles_; }
  const ArrayShape& shape() const { return s_; }
  const std::vector<uint32_t>& w_data() const { return w_words_; }
  const std::vector<uint32_t>& x_data() const { return x_words_; }

  const ArrayInputs& drive() {
    in_ = ArrayInputs{};
    if (reset_left_ > 0) return in_;  // rst_n = 0, valids 0, y_ready 1
    in_.rst_n = true;
    in_.w_valid = wt_ < tiles_ && !(stalls_ && rng_.drop());
    if (in_.w_valid && w_beat_ != wt_ * s_.rows + wr_) {  // a new beat: pack it once
      w_beat_ = wt_ * s_.rows + wr_;
      for (int c = 0; c < s_.cols; ++c) vals_[c] = t_.weight(j_.w, wt_, static_cast<int>(wr_), c);
      pack_fields(w_words_, vals_.data(), s_.cols, s_.w);
      in_.w_new = true;
    }
    in_.x_valid = xt_ < tiles_ && !(stalls_ && rng_.drop());
    if (in_.x_valid && x_beat_ != xt_ * j_.m + xm_) {
      x_beat_ = xt_ * j_.m + xm_;
      if (x_tile_ != xt_) {  // the K slice of this tile: its first column of X and its real rows
        x_tile_ = xt_;
        x_k0_ = t_.kt(xt_) * s_.rows;
        x_real_ = t_.real_rows(xt_);
      }
      const int32_t* row = j_.x + xm_ * j_.k + x_k0_;
      for (int r = 0; r < s_.rows; ++r) vals_[r] = r < x_real_ ? row[r] : 0;
      pack_fields(x_words_, vals_.data(), s_.rows, s_.w);
      in_.x_new = true;
    }
    in_.x_last = in_.x_valid && xm_ == j_.m - 1;
    in_.y_ready = !(stalls_ && rng_.drop());
    return in_;
  }

  bool sense(const ArrayOutputs& out) {
    w_fire_ = x_fire_ = y_fire_ = false;
    if (!in_.rst_n) return false;
    w_fire_ = in_.w_valid && out.w_ready;
    x_fire_ = in_.x_valid && out.x_ready;
    y_fire_ = out.y_valid && in_.y_ready;
    if (y_fire_ && out.y_last != (ym_ == j_.m - 1)) {
      fail("y_last_o=" + std::to_string(out.y_last) + " at result row " + std::to_string(ym_) + " of " +
           std::to_string(j_.m));
      y_fire_ = false;
    }
    return y_fire_;
  }

  void take_result(const uint32_t* y_words) {
    if (pad_tile_ != yt_) {  // the padding rows of this K slice add M(0, 0) of their PEs
      pad_tile_ = yt_;
      for (int c = 0; c < s_.cols; ++c) {
        pad_sum_[c] = 0;
        for (int r = t_.real_rows(yt_); r < s_.rows; ++r) pad_sum_[c] += j_.pad[r * s_.cols + c];
      }
    }
    const int64_t n0 = t_.nt(yt_) * s_.cols;
    for (int c = 0; c < s_.cols && n0 + c < j_.n; ++c) {
      int64_t& acc = y_[ym_ * j_.n + n0 + c];
      acc = static_cast<int64_t>(static_cast<uint64_t>(acc) + static_cast<uint64_t>(unpack_field(y_words, c, s_.acc)) -
                                 static_cast<uint64_t>(pad_sum_[c]));
    }
  }

  void clocked() {
    if (reset_left_ > 0) {
      --reset_left_;
      return;
    }
    ++cycles_;
    if (w_fire_ && ++wr_ == s_.rows) wr_ = 0, ++wt_;
    if (x_fire_ && ++xm_ == j_.m) xm_ = 0, ++xt_;
    if (y_fire_ && ++ym_ == j_.m) ym_ = 0, ++yt_;
    idle_ = y_fire_ ? 0 : idle_ + 1;
    if (idle_ > kArrayStuckCycles)
      fail("no result for " + std::to_string(idle_) + " cycles (tile " + std::to_string(yt_) + " of " +
           std::to_string(tiles_) + ")");
    if (yt_ == tiles_)
      for (auto& v : y_) v = wrap_acc(v, s_.acc);
  }

 private:
  struct Rng {  // xorshift64*
    uint64_t s;
    bool drop() {
      s ^= s >> 12;
      s ^= s << 25;
      s ^= s >> 27;
      return ((s * 2685821657736338717ull) >> 62) == 0;  // 1 in 4
    }
  };

  void fail(std::string why) {
    if (!failed_) error_ = std::move(why);
    failed_ = true;
  }

  ArrayShape s_;
  StreamJob j_;
  GemmTiling t_;
  int64_t tiles_;
  std::vector<uint32_t> w_words_, x_words_;
  std::vector<int64_t> vals_, pad_sum_, y_;
  Rng rng_;
  bool stalls_;
  ArrayInputs in_;
  int reset_left_ = kArrayResetCycles;
  int64_t wt_ = 0, wr_ = 0, xt_ = 0, xm_ = 0, yt_ = 0, ym_ = 0;  // stream positions: tile, beat
  int64_t w_beat_ = -1, x_beat_ = -1, x_tile_ = -1, x_k0_ = 0, pad_tile_ = -1;
  int x_real_ = 0;
  bool w_fire_ = false, x_fire_ = false, y_fire_ = false;
  uint64_t cycles_ = 0, idle_ = 0;
  bool failed_ = false;
  std::string error_;
};

// Runs the stream to its end on a simulator that can be stepped from C++. The adapter moves
// values only:
//   void drive(const ArrayInputs&, const ArrayStream&)  set the inputs (the data buses when *_new)
//   void settle()                                       evaluate with the clock low
//   ArrayOutputs outputs()                              the settled handshake outputs
//   const uint32_t* y_data()                            y_data_o as words
//   void clock(const ArrayInputs&)                      the rising edge (in_.rst_n: a counted cycle)
// Returns ok(); error() says why not.
template <class Port>
bool run_array_stream(ArrayStream& s, Port& port) {
  while (s.running()) {
    const ArrayInputs& in = s.drive();
    port.drive(in, s);
    port.settle();
    if (s.sense(port.outputs())) s.take_result(port.y_data());
    if (!s.running()) break;
    port.clock(in);
    s.clocked();
  }
  return s.ok();
}

}  // namespace gm
