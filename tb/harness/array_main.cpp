// Verilator harness of `greenmac gemm`: runs whole GEMMs Y = X * W on a Verilated systolic array
// through the one stream protocol (tb/array_stream.hpp); this file is only its Verilator adapter.
//
// The array is fixed at build time: GM_ROWS, GM_COLS, GM_W (operand bits), GM_ACC (accumulator
// bits), GM_DEPTH (accumulator entries D), GM_OUT_STAGE (0/1: the p_* ports exist). The Verilated
// class is Vgm_array (verilator --prefix). Run in the directory that holds
// the lookup tables' .hex files (lookup-table builds read them with $readmemh at start-up).
//
// Usage: gm_gemm JOBS RESULTS, the files of tb/array_job_file.hpp.
//
// Built with GM_TRACE (and Verilator's --trace-fst) for `gemm --trace` (tb/array_trace.hpp):
//   gm_gemm JOBS RESULTS FST TARGET HALF FIRST
// runs the first job twice on the same model: untraced, to find the clock edge at which the result
// beat holding Y output TARGET (row * n + col) is accepted, then traced, dumping only the edges
// [that edge - HALF, that edge + HALF]; with TARGET -1 (or never reached), only the first FIRST edges.
// The reset edges count. Time in the FST: 10 units a cycle, the rising edge at 5. It prints
// {"target_edge":E,"from":F,"to":T} (edges [F, T) dumped).
// The shape follows Verilator's examples/make_tracing_c/sim_main.cpp.
#include <verilated.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <type_traits>
#include <vector>

#ifdef GM_TRACE
#include <verilated_fst_c.h>

#include <cstdlib>
#endif

#include "Vgm_array.h"
#include "tb/array_job_file.hpp"
#include "tb/array_stream.hpp"

namespace {

constexpr gm::ArrayShape kShape{GM_ROWS, GM_COLS, GM_W, GM_ACC, GM_DEPTH, GM_OUT_STAGE != 0};

// A Verilated port of up to 64 bits is an integer; a wider one is an array of 32-bit words.
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

// The Verilator adapter of run_array_stream.
struct VerilatorPort {
  Vgm_array& top;
  std::vector<uint32_t> y_words = std::vector<uint32_t>(gm::bus_words(kShape.cols * kShape.acc));
#ifdef GM_TRACE
  VerilatedFstC* fst = nullptr;  // dumps the edges [from, to)
  uint64_t edge = 0, from = 0, to = 0;
  const gm::ArrayStream* stream = nullptr;  // set while looking for the target's edge
  int64_t target_row = -1, target_col = -1, target_edge = -1;
  void dump(uint64_t t) {
    if (fst && edge >= from && edge < to) fst->dump(t);
  }
#endif

  void drive(const gm::ArrayInputs& in, const gm::ArrayStream& s) {
    top.rst_sync_ni = in.rst_n;
    top.w_valid_i = in.w_valid;
    top.w_pad_i = in.w_pad;
    top.x_valid_i = in.x_valid;
    top.x_last_i = in.x_last;
    top.x_first_k_i = in.x_first_k;
    top.x_last_k_i = in.x_last_k;
    top.y_ready_i = in.y_ready;
    if (in.w_new) to_port(top.w_data_i, s.w_data());
    if (in.x_new) to_port(top.x_data_i, s.x_data());
#if GM_OUT_STAGE
    top.p_valid_i = in.p_valid;
    if (in.p_new) to_port(top.p_data_i, s.p_data());
#endif
  }
  void settle() {
    top.clk_i = 0;
    top.eval();
#ifdef GM_TRACE
    dump(edge * 10);
#endif
  }
  gm::ArrayOutputs outputs() const {
    gm::ArrayOutputs out{static_cast<bool>(top.w_ready_o), static_cast<bool>(top.x_ready_o),
                         static_cast<bool>(top.y_valid_o), static_cast<bool>(top.y_last_o)};
#if GM_OUT_STAGE
    out.p_ready = static_cast<bool>(top.p_ready_o);
#endif
    return out;
  }
  const uint32_t* y_data() {
#ifdef GM_TRACE
    if (stream && target_edge < 0 && stream->result_row() == target_row && target_col >= stream->result_col0() &&
        target_col < stream->result_col0() + kShape.cols)
      target_edge = static_cast<int64_t>(edge);
#endif
    from_port(top.y_data_o, y_words);
    return y_words.data();
  }
  void clock(const gm::ArrayInputs&) {
    top.clk_i = 1;
    top.eval();
#ifdef GM_TRACE
    dump(edge * 10 + 5);
    ++edge;
#endif
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: gm_gemm JOBS RESULTS\n");
    return 2;
  }
  std::vector<gm::GemmJobData> jobs;
  std::string why;
  if (!gm::read_gemm_jobs(argv[1], kShape.out_stage, jobs, why)) {
    std::fprintf(stderr, "gm_gemm: %s\n", why.c_str());
    return 2;
  }

  const std::unique_ptr<VerilatedContext> context{new VerilatedContext};
  context->commandArgs(argc, argv);
#ifdef GM_TRACE
  if (argc < 7 || jobs.size() != 1) {
    std::fprintf(stderr, "usage: gm_gemm JOBS RESULTS FST TARGET HALF FIRST (one job)\n");
    return 2;
  }
  context->traceEverOn(true);
#endif
  const std::unique_ptr<Vgm_array> top{new Vgm_array{context.get(), "TOP"}};
  top->clk_i = 0;
  top->eval();  // runs the initial blocks (lookup tables load here), outside the timed runs

  FILE* out = std::fopen(argv[2], "wb");
  if (!out) {
    std::fprintf(stderr, "gm_gemm: cannot write %s\n", argv[2]);
    return 2;
  }
  int rc = 0;
  VerilatorPort port{*top};
#ifdef GM_TRACE
  const int64_t target = std::strtoll(argv[4], nullptr, 10);
  const uint64_t half = std::strtoull(argv[5], nullptr, 10), first = std::strtoull(argv[6], nullptr, 10);
  if (target >= 0) {  // pass 1, untraced: the edge that accepts the target's result beat
    port.target_row = target / jobs.front().n;
    port.target_col = target % jobs.front().n;
    gm::ArrayStream find(kShape, jobs.front().view());
    port.stream = &find;
    gm::run_array_stream(find, port);
    port.stream = nullptr;
  }
  if (port.target_edge >= 0) {
    port.from = static_cast<uint64_t>(port.target_edge) > half ? port.target_edge - half : 0;
    port.to = port.target_edge + half + 1;
  } else {
    port.to = first;
  }
  VerilatedFstC fst;
  top->trace(&fst, 99);
  fst.open(argv[3]);
  port.fst = &fst;
  port.edge = 0;
#endif
  for (const auto& job : jobs) {
    const auto t0 = std::chrono::steady_clock::now();
    const uint64_t cpu0 = gm::thread_cpu_ns();
    gm::ArrayStream stream(kShape, job.view());
    if (!gm::run_array_stream(stream, port)) {
      std::fprintf(stderr, "gm_gemm: %s\n", stream.error().c_str());
      rc = 3;
      break;
    }
    gm::GemmJobResult r;
    r.wall_ns = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count());
    r.cpu_ns = gm::thread_cpu_ns() - cpu0;
    r.cycles = stream.cycles();
    r.y = stream.y();
    gm::write_gemm_result(out, r);
  }
  std::fclose(out);
#ifdef GM_TRACE
  fst.close();
  std::printf("{\"target_edge\":%lld,\"from\":%llu,\"to\":%llu}\n", static_cast<long long>(port.target_edge),
              static_cast<unsigned long long>(port.from), static_cast<unsigned long long>(port.to));
#endif
  top->final();
  return rc;
}
