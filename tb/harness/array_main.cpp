// Verilator driver for `greenmac gemm`: runs whole GEMMs Y = X * W on a Verilated systolic array
// (generator/array/array.hpp), cycle by cycle through its three streams, and counts the clock edges.
//
// The array is fixed at build time: GM_ROWS, GM_COLS, GM_W (operand bits), GM_ACC (accumulator
// bits). The Verilated class is Vgm_array (verilator --prefix). Run in the directory that holds
// the lookup tables' .hex files (lookup-table builds read them with $readmemh at start-up).
//
// Usage: gm_gemm IN OUT. Binary files, native byte order:
//   IN   int64 count, then per GEMM: int64 m, k, n, stall_seed; int32 x[m*k]; int32 w[k*n];
//        int64 pad[ROWS*COLS] (M(0,0) of each PE, subtracted for the padding rows of a K slice)
//   OUT  per GEMM: uint64 cycles, uint64 wall_nanoseconds, uint64 cpu_nanoseconds; int64 y[m*n]
// stall_seed 0 drives every stream at full rate (the cycle model's assumption); otherwise the
// valids and y_ready_i drop at random (seeded) to exercise the handshakes.
// Tiling (models/golden_gemm.hpp): column slices outside, K slices inside; the partial sums of the K
// slices are added here in acc-bit wrap-around arithmetic.
// The shape follows Verilator's examples/make_tracing_c/sim_main.cpp.
#include <verilated.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <type_traits>
#include <vector>

#include "Vgm_array.h"
#include "models/golden_gemm.hpp"

namespace {

constexpr int kRows = GM_ROWS, kCols = GM_COLS, kW = GM_W, kAcc = GM_ACC;

// Packs `count` fields of `width` bits (low bits of each value) into 32-bit words.
void pack(std::vector<uint32_t>& words, const int64_t* values, int count, int width) {
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

// Field i (width bits) of a packed word vector, read as a two's-complement value.
int64_t field(const std::vector<uint32_t>& words, int i, int width) {
  uint64_t v = 0;
  for (int b = 0; b < width;) {
    const int bit = i * width + b, word = bit / 32, off = bit % 32;
    const int take = std::min(32 - off, width - b);
    v |= static_cast<uint64_t>((words[word] >> off) & ((uint64_t{1} << take) - 1)) << b;
    b += take;
  }
  return gm::wrap_acc(static_cast<int64_t>(v), width);
}

template <typename T>
void to_port(T& port, const std::vector<uint32_t>& words) {
  if constexpr (std::is_integral_v<T>) {
    uint64_t v = words[0];
    if (words.size() > 1) v |= static_cast<uint64_t>(words[1]) << 32;
    port = static_cast<T>(v);
  } else {
    for (size_t i = 0; i < words.size(); ++i) port[i] = words[i];
  }
}

template <typename T>
void from_port(const T& port, std::vector<uint32_t>& words) {
  if constexpr (std::is_integral_v<T>) {
    const uint64_t v = port;
    words[0] = static_cast<uint32_t>(v);
    if (words.size() > 1) words[1] = static_cast<uint32_t>(v >> 32);
  } else {
    for (size_t i = 0; i < words.size(); ++i) words[i] = port[i];
  }
}

struct Rng {  // xorshift64*
  uint64_t s;
  bool drop() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return ((s * 2685821657736338717ull) >> 62) == 0;  // 1 in 4
  }
};

struct Problem {
  int64_t m = 0, k = 0, n = 0, stall_seed = 0;
  std::vector<int32_t> x, w;
  std::vector<int64_t> pad;
};

void tick(Vgm_array& top) {
  top.clk_i = 0;
  top.eval();
}

void tock(Vgm_array& top) {
  top.clk_i = 1;
  top.eval();
}

// Returns false on a stuck array (no result for a long time).
bool run(Vgm_array& top, const Problem& p, std::vector<int64_t>& y, uint64_t& cycles) {
  const gm::GemmTiling t{kRows, kCols, p.m, p.k, p.n};
  const int64_t tiles = t.tiles();
  y.assign(p.m * p.n, 0);

  top.rst_sync_ni = 0;
  top.w_valid_i = top.x_valid_i = top.x_last_i = 0;
  top.y_ready_i = 1;
  for (int i = 0; i < 2; ++i) {
    tick(top);
    tock(top);
  }
  top.rst_sync_ni = 1;

  std::vector<uint32_t> wwords((kCols * kW + 31) / 32), xwords((kRows * kW + 31) / 32),
      ywords((kCols * kAcc + 31) / 32);
  int64_t vals[kRows > kCols ? kRows : kCols];
  int64_t wt = 0, wr = 0, xt = 0, xm = 0, yt = 0, ym = 0;  // stream positions: tile, row
  Rng rng{static_cast<uint64_t>(p.stall_seed) * 0x9E3779B97F4A7C15ull + 1};
  const bool stalls = p.stall_seed != 0;
  int64_t pad_tile = -1;
  int64_t pad_sum[kCols];
  uint64_t idle = 0;
  int64_t w_packed = -1, x_packed = -1, x_tile = -1, x_k0 = 0;
  int x_real = 0;
  cycles = 0;
  while (yt < tiles) {
    const bool w_valid = wt < tiles && !(stalls && rng.drop());
    if (w_valid && w_packed != wt * kRows + wr) {  // a new beat: pack it once
      w_packed = wt * kRows + wr;
      for (int c = 0; c < kCols; ++c) vals[c] = t.weight(p.w.data(), wt, static_cast<int>(wr), c);
      pack(wwords, vals, kCols, kW);
      to_port(top.w_data_i, wwords);
    }
    const bool x_valid = xt < tiles && !(stalls && rng.drop());
    if (x_valid && x_packed != xt * p.m + xm) {
      x_packed = xt * p.m + xm;
      if (x_tile != xt) {  // the K slice of this tile: first column of X and real rows
        x_tile = xt;
        x_k0 = t.kt(xt) * kRows;
        x_real = t.real_rows(xt);
      }
      const int32_t* row = p.x.data() + xm * p.k + x_k0;
      for (int r = 0; r < kRows; ++r) vals[r] = r < x_real ? row[r] : 0;
      pack(xwords, vals, kRows, kW);
      to_port(top.x_data_i, xwords);
    }
    const bool y_ready = !(stalls && rng.drop());
    top.w_valid_i = w_valid;
    top.x_valid_i = x_valid;
    top.x_last_i = x_valid && xm == p.m - 1;
    top.y_ready_i = y_ready;
    tick(top);
    const bool w_fire = w_valid && top.w_ready_o;
    const bool x_fire = x_valid && top.x_ready_o;
    const bool y_fire = top.y_valid_o && y_ready;
    if (y_fire) {
      if (static_cast<bool>(top.y_last_o) != (ym == p.m - 1)) {
        std::fprintf(stderr, "gm_gemm: y_last_o=%d at result row %lld of %lld\n", static_cast<int>(top.y_last_o),
                     static_cast<long long>(ym), static_cast<long long>(p.m));
        return false;
      }
      if (pad_tile != yt) {  // the padding rows of this K slice add M(0,0) of their PEs
        pad_tile = yt;
        for (int c = 0; c < kCols; ++c) {
          pad_sum[c] = 0;
          for (int r = t.real_rows(yt); r < kRows; ++r) pad_sum[c] += p.pad[r * kCols + c];
        }
      }
      from_port(top.y_data_o, ywords);
      const int64_t n0 = t.nt(yt) * kCols;
      for (int c = 0; c < kCols && n0 + c < p.n; ++c) {
        uint64_t& acc = reinterpret_cast<uint64_t&>(y[ym * p.n + n0 + c]);
        acc += static_cast<uint64_t>(field(ywords, c, kAcc)) - static_cast<uint64_t>(pad_sum[c]);
      }
    }
    tock(top);
    ++cycles;
    if (w_fire && ++wr == kRows) wr = 0, ++wt;
    if (x_fire && ++xm == p.m) xm = 0, ++xt;
    if (y_fire && ++ym == p.m) ym = 0, ++yt;
    idle = y_fire ? 0 : idle + 1;
    if (idle > 100000) {
      std::fprintf(stderr, "gm_gemm: no result for %llu cycles (tile %lld of %lld)\n",
                   static_cast<unsigned long long>(idle), static_cast<long long>(yt), static_cast<long long>(tiles));
      return false;
    }
  }
  for (auto& v : y) v = gm::wrap_acc(v, kAcc);
  return true;
}

// CPU time of this thread: the simulation's speed on one core, whatever else the machine runs.
uint64_t cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

template <typename T>
bool read_vec(FILE* f, std::vector<T>& v, size_t n) {
  v.resize(n);
  return std::fread(v.data(), sizeof(T), n, f) == n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: gm_gemm IN OUT\n");
    return 2;
  }
  FILE* in = std::fopen(argv[1], "rb");
  if (!in) {
    std::fprintf(stderr, "gm_gemm: cannot read %s\n", argv[1]);
    return 2;
  }
  int64_t count = 0;
  std::vector<Problem> problems;
  bool ok = std::fread(&count, sizeof count, 1, in) == 1;
  for (int64_t i = 0; ok && i < count; ++i) {
    Problem p;
    int64_t hdr[4];
    ok = std::fread(hdr, sizeof hdr, 1, in) == 1;
    if (!ok) break;
    p.m = hdr[0], p.k = hdr[1], p.n = hdr[2], p.stall_seed = hdr[3];
    ok = p.m > 0 && p.k > 0 && p.n > 0 && read_vec(in, p.x, p.m * p.k) && read_vec(in, p.w, p.k * p.n) &&
         read_vec(in, p.pad, kRows * kCols);
    problems.push_back(std::move(p));
  }
  std::fclose(in);
  if (!ok) {
    std::fprintf(stderr, "gm_gemm: %s is truncated or malformed\n", argv[1]);
    return 2;
  }

  const std::unique_ptr<VerilatedContext> context{new VerilatedContext};
  context->commandArgs(argc, argv);
  const std::unique_ptr<Vgm_array> top{new Vgm_array{context.get(), "TOP"}};
  top->clk_i = 0;
  top->eval();  // runs the initial blocks (lookup tables load here), outside the timed runs

  FILE* out = std::fopen(argv[2], "wb");
  if (!out) {
    std::fprintf(stderr, "gm_gemm: cannot write %s\n", argv[2]);
    return 2;
  }
  int rc = 0;
  std::vector<int64_t> y;
  for (const auto& p : problems) {
    uint64_t cycles = 0;
    const auto t0 = std::chrono::steady_clock::now();
    const uint64_t cpu0 = cpu_ns();
    if (!run(*top, p, y, cycles)) {
      rc = 3;
      break;
    }
    const uint64_t ns = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count());
    const uint64_t cpu = cpu_ns() - cpu0;
    std::fwrite(&cycles, sizeof cycles, 1, out);
    std::fwrite(&ns, sizeof ns, 1, out);
    std::fwrite(&cpu, sizeof cpu, 1, out);
    std::fwrite(y.data(), sizeof(int64_t), y.size(), out);
  }
  std::fclose(out);
  top->final();
  return rc;
}
