// The systolic array's stream protocol, written once: how a host drives one GEMM Y = X * W through
// the array's four streams (generator/array/array.hpp, docs/array.md) cycle by cycle and collects Y.
// Every simulator runs this class through a small adapter that only moves port values:
//
//   Verilator   tb/harness/array_main.cpp   (run_array_stream, below)
//   SeqGateSim  synth/array_synth.cpp       (run_array_stream, below)
//   Icarus      tb/harness/array_tb.v, a fixed bench whose every cycle calls tb/harness/array_vpi.cpp
//
// The protocol (the host only orders tiles and streams operands, like a DMA: no sums, no correction)
//   reset      kArrayResetCycles clock edges with rst_sync_ni = 0, every valid 0, y_ready_i = 1; not counted.
//   tiles      models/golden_gemm.hpp GemmTiling: column slice nt, then M chunk mc (at most D rows),
//              then K slice kt. kt == 0 is a tile's first_k, kt == KT-1 its last_k.
//   weights    R beats a tile: beat r carries row r of the tile's weights, field c for PE (r, c), and
//              w_pad_i = 1 when the row is K padding (k >= K; its weights are driven 0).
//   activations  the chunk's rows (<= D beats) a tile: beat m carries row m of the chunk's K slice,
//              field r for array row r (padding rows 0); x_last_i on the tile's last beat;
//              x_first_k_i / x_last_k_i held over all its beats.
//   params     out stage only: one beat per last_k tile (in tile order), field c (136 bits) the
//              parameters of output column nt*C + c (OutParams; padding columns all 0 but shift 1),
//              offered at full rate; the array takes it when a param bank is free.
//   results    only last_k tiles: one row per activation beat, y_last_o on the tile's last row; field c
//              (acc bits, two's complement) goes straight into Y[chunk row][nt*C + c]; padding
//              columns are dropped.
//   handshake  a beat moves on the clock edge where valid and ready are both high. A data bus keeps
//              its last beat while its valid is low (a new beat is driven once, which the gate-level
//              activity of synthesis counts). stall_seed 0 offers every stream at full rate, which the
//              cycle model assumes; otherwise w_valid_i, x_valid_i, p_valid_i and y_ready_i each drop
//              one cycle in four at random (xorshift64*, seeded), to exercise the handshakes.
//   cycles     clock edges from the first after reset to the one that accepts the last result.
//   stuck      no beat moves on any stream for kArrayStuckCycles cycles: the array is broken; the run fails.
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

// The array's stream widths and configuration.
struct ArrayShape {
  int rows = 1, cols = 1;
  int w = 8;              // operand bits
  int acc = 32;           // accumulator bits
  int64_t acc_depth = 1;  // D: accumulator entries per column, the most activation beats of a tile
  bool out_stage = false; // the p stream and the output stage
};

// Bits of one column's field on p_data_i: bias[31:0] m0[63:32] shift[71:64] out_min[103:72] out_max[135:104].
inline constexpr int kParamBits = 136;

// One GEMM for the streams; the pointers must outlive the ArrayStream. x is m x k and w is k x n,
// row-major, operands in their natural range; params (n entries, out stage only) the output
// stage's parameters of each output column.
struct StreamJob {
  int64_t m = 0, k = 0, n = 0;
  uint64_t stall_seed = 0;
  const int32_t* x = nullptr;
  const int32_t* w = nullptr;
  const OutParams* params = nullptr;
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

// Writes the low `width` bits (<= 64) of v at bit `pos` of words (those bits must be 0).
inline void put_bits(std::vector<uint32_t>& words, int64_t pos, uint64_t v, int width) {
  if (width < 64) v &= (uint64_t{1} << width) - 1;
  for (int b = 0; b < width;) {
    const int64_t bit = pos + b;
    const int off = static_cast<int>(bit % 32), take = std::min(32 - off, width - b);
    words[bit / 32] |= static_cast<uint32_t>((v >> b) & ((uint64_t{1} << take) - 1)) << off;
    b += take;
  }
}

// One param beat: field c holds params[c] (count fields of kParamBits), words zeroed first.
inline void pack_params(std::vector<uint32_t>& words, const OutParams* params, int count) {
  std::fill(words.begin(), words.end(), 0u);
  for (int c = 0; c < count; ++c) {
    const OutParams& p = params[c];
    const int64_t at = int64_t{c} * kParamBits;
    put_bits(words, at, static_cast<uint32_t>(p.bias), 32);
    put_bits(words, at + 32, static_cast<uint32_t>(p.m0), 32);
    put_bits(words, at + 64, static_cast<uint32_t>(p.shift), 8);
    put_bits(words, at + 72, static_cast<uint32_t>(p.out_min), 32);
    put_bits(words, at + 104, static_cast<uint32_t>(p.out_max), 32);
  }
}

// What the host drives in one cycle. The data buses change only when w_new / x_new / p_new say so:
// then ArrayStream::w_data() / x_data() / p_data() hold the new beat. The flags w_pad, x_first_k and
// x_last_k are driven every cycle (0 while their valid is low).
struct ArrayInputs {
  bool rst_n = false;
  bool w_valid = false, w_pad = false;
  bool x_valid = false, x_last = false, x_first_k = false, x_last_k = false;
  bool p_valid = false;
  bool y_ready = true;
  bool w_new = false, x_new = false, p_new = false;
};

// What the host reads once the cycle's inputs have settled (clock low). p_ready is false without
// the out stage.
struct ArrayOutputs {
  bool w_ready = false, x_ready = false, y_valid = false, y_last = false, p_ready = false;
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
        t_{shape.rows, shape.cols, job.m, job.k, job.n, shape.acc_depth},
        tiles_(t_.tiles()),
        result_tiles_(t_.result_tiles()),
        w_words_(bus_words(shape.cols * shape.w)),
        x_words_(bus_words(shape.rows * shape.w)),
        p_words_(shape.out_stage ? bus_words(shape.cols * kParamBits) : 0),
        vals_(std::max(shape.rows, shape.cols)),
        pvals_(shape.cols),
        y_(job.m * job.n, 0),
        rng_{job.stall_seed * 0x9E3779B97F4A7C15ull + 1},
        stalls_(job.stall_seed != 0) {
    // The accumulators hold D rows: a tile of more activation beats would overwrite its own sums.
    if (shape.acc_depth < 1) fail("the accumulator depth D must be >= 1");
    for (int64_t c = 0; c < t_.m_chunks() && !failed_; ++c)
      if (t_.chunk_rows(c) > shape.acc_depth)
        fail("a tile of " + std::to_string(t_.chunk_rows(c)) + " activation beats exceeds D = " +
             std::to_string(shape.acc_depth));
    if (shape.out_stage && !job.params) fail("the array has an output stage but the job has no params");
  }

  bool running() const { return !failed_ && yt_ < result_tiles_; }
  bool ok() const { return !failed_ && yt_ == result_tiles_; }
  const std::string& error() const { return error_; }
  // Y (m x n, row-major: acc-bit values, or the output stage's values); complete once ok().
  const std::vector<int64_t>& y() const { return y_; }
  uint64_t cycles() const { return cycles_; }
  const ArrayShape& shape() const { return s_; }
  const std::vector<uint32_t>& w_data() const { return w_words_; }
  const std::vector<uint32_t>& x_data() const { return x_words_; }
  const std::vector<uint32_t>& p_data() const { return p_words_; }

  const ArrayInputs& drive() {
    in_ = ArrayInputs{};
    if (reset_left_ > 0) return in_;  // rst_n = 0, valids 0, y_ready 1
    in_.rst_n = true;
    in_.w_valid = wt_ < tiles_ && !(stalls_ && rng_.drop());
    if (in_.w_valid) {
      if (w_tile_ != wt_) {  // the tile's K slice and column slice: divisions once a tile, not a cycle
        w_tile_ = wt_;
        w_k0_ = t_.kt(wt_) * s_.rows;
        w_n0_ = t_.nt(wt_) * s_.cols;
        w_real_ = t_.real_rows(wt_);
      }
      if (w_beat_ != wt_ * s_.rows + wr_) {  // a new beat: pack it once
        w_beat_ = wt_ * s_.rows + wr_;
        // Row wr_ of the tile's weights, 0 for K padding and padding columns (GemmTiling::weight).
        const int64_t kk = w_k0_ + wr_, real_cols = kk < j_.k ? std::min<int64_t>(s_.cols, j_.n - w_n0_) : 0;
        for (int c = 0; c < s_.cols; ++c) vals_[c] = c < real_cols ? j_.w[kk * j_.n + w_n0_ + c] : 0;
        pack_fields(w_words_, vals_.data(), s_.cols, s_.w);
        in_.w_new = true;
      }
      in_.w_pad = wr_ >= w_real_;
    }
    in_.x_valid = xt_ < tiles_ && !(stalls_ && rng_.drop());
    if (in_.x_valid) {
      if (x_tile_ != xt_) {  // the K slice and M chunk of this tile
        x_tile_ = xt_;
        x_k0_ = t_.kt(xt_) * s_.rows;
        x_row0_ = t_.chunk_row0(t_.mc(xt_));
        x_beats_ = t_.beats(xt_);
        x_real_ = t_.real_rows(xt_);
        x_first_k_ = t_.first_k(xt_);
        x_last_k_ = t_.last_k(xt_);
      }
      if (x_beat_ != xt_ * s_.acc_depth + xm_) {
        x_beat_ = xt_ * s_.acc_depth + xm_;
        const int32_t* row = j_.x + (x_row0_ + xm_) * j_.k + x_k0_;
        for (int r = 0; r < s_.rows; ++r) vals_[r] = r < x_real_ ? row[r] : 0;
        pack_fields(x_words_, vals_.data(), s_.rows, s_.w);
        in_.x_new = true;
      }
      in_.x_last = xm_ == x_beats_ - 1;
      in_.x_first_k = x_first_k_;
      in_.x_last_k = x_last_k_;
    }
    if (s_.out_stage) {
      in_.p_valid = pt_ < result_tiles_ && !(stalls_ && rng_.drop());
      if (in_.p_valid && p_beat_ != pt_) {
        p_beat_ = pt_;
        const int64_t n0 = pt_ / t_.m_chunks() * s_.cols;
        for (int c = 0; c < s_.cols; ++c) {
          // A padding column's result is dropped; its params are only kept legal (shift >= 1).
          pvals_[c] = n0 + c < j_.n ? j_.params[n0 + c] : OutParams{0, 0, 1, 0, 0};
        }
        pack_params(p_words_, pvals_.data(), s_.cols);
        in_.p_new = true;
      }
    }
    in_.y_ready = !(stalls_ && rng_.drop());
    return in_;
  }

  bool sense(const ArrayOutputs& out) {
    w_fire_ = x_fire_ = p_fire_ = y_fire_ = false;
    if (!in_.rst_n) return false;
    w_fire_ = in_.w_valid && out.w_ready;
    x_fire_ = in_.x_valid && out.x_ready;
    p_fire_ = in_.p_valid && out.p_ready;
    y_fire_ = out.y_valid && in_.y_ready;
    if (y_fire_ && yt_ >= result_tiles_) {
      fail("a result beat after the last result");
      y_fire_ = false;
    }
    if (y_fire_) {
      if (y_tile_ != yt_) {
        y_tile_ = yt_;
        y_row0_ = t_.chunk_row0(yt_ % t_.m_chunks());
        y_beats_ = t_.chunk_rows(yt_ % t_.m_chunks());
        y_n0_ = yt_ / t_.m_chunks() * s_.cols;
      }
      if (out.y_last != (ym_ == y_beats_ - 1)) {
        fail("y_last_o=" + std::to_string(out.y_last) + " at result row " + std::to_string(ym_) + " of " +
             std::to_string(y_beats_) + " (result tile " + std::to_string(yt_) + ")");
        y_fire_ = false;
      }
    }
    return y_fire_;
  }

  // Where the result beat sense() accepted goes: Y row result_row(), columns result_col0() on
  // (a traced run finds the cycle of one output by them, tb/harness/array_main.cpp).
  int64_t result_row() const { return y_row0_ + ym_; }
  int64_t result_col0() const { return y_n0_; }

  // Y row of this result beat, straight from the array: no host arithmetic.
  void take_result(const uint32_t* y_words) {
    int64_t* row = y_.data() + (y_row0_ + ym_) * j_.n + y_n0_;
    for (int c = 0; c < s_.cols && y_n0_ + c < j_.n; ++c) row[c] = unpack_field(y_words, c, s_.acc);
  }

  void clocked() {
    if (reset_left_ > 0) {
      --reset_left_;
      return;
    }
    ++cycles_;
    if (w_fire_ && ++wr_ == s_.rows) wr_ = 0, ++wt_;
    if (x_fire_ && ++xm_ == x_beats_) xm_ = 0, ++xt_;
    if (p_fire_) ++pt_;
    if (y_fire_ && ++ym_ == y_beats_) ym_ = 0, ++yt_;
    // Tiles that are not last_k produce no results, so progress is any beat on any stream.
    idle_ = w_fire_ || x_fire_ || p_fire_ || y_fire_ ? 0 : idle_ + 1;
    if (idle_ > kArrayStuckCycles)
      fail("no beat moved for " + std::to_string(idle_) + " cycles (result tile " + std::to_string(yt_) + " of " +
           std::to_string(result_tiles_) + ", activation tile " + std::to_string(xt_) + " of " +
           std::to_string(tiles_) + ")");
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
  int64_t tiles_, result_tiles_;
  std::vector<uint32_t> w_words_, x_words_, p_words_;
  std::vector<int64_t> vals_;
  std::vector<OutParams> pvals_;
  std::vector<int64_t> y_;
  Rng rng_;
  bool stalls_;
  ArrayInputs in_;
  int reset_left_ = kArrayResetCycles;
  // Stream positions: tile (result tile for y), beat; p counts param beats.
  int64_t wt_ = 0, wr_ = 0, xt_ = 0, xm_ = 0, pt_ = 0, yt_ = 0, ym_ = 0;
  int64_t w_beat_ = -1, x_beat_ = -1, p_beat_ = -1, w_tile_ = -1, x_tile_ = -1, y_tile_ = -1;
  // What drive() needs of the current tiles, computed when the tile changes.
  int64_t w_k0_ = 0, w_n0_ = 0, x_k0_ = 0, x_row0_ = 0, x_beats_ = 1, y_row0_ = 0, y_beats_ = 1, y_n0_ = 0;
  int w_real_ = 0, x_real_ = 0;
  bool x_first_k_ = false, x_last_k_ = false;
  bool w_fire_ = false, x_fire_ = false, p_fire_ = false, y_fire_ = false;
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
