// Verilator harness of `greenmac gemm`: runs whole GEMMs Y = X * W on a Verilated systolic array
// through the one stream protocol (tb/array_stream.hpp); this file is only its Verilator adapter.
//
// The array is fixed at build time: GM_ROWS, GM_COLS, GM_W (operand bits), GM_ACC (accumulator
// bits), GM_DEPTH (accumulator entries D), GM_OUT_STAGE (0/1: the p_* ports exist). The Verilated
// class is Vgm_array (verilator --prefix). Run in the directory that holds
// the lookup tables' .hex files (lookup-table builds read them with $readmemh at start-up).
//
// Usage: gm_gemm JOBS RESULTS, the files of tb/array_job_file.hpp.
// The shape follows Verilator's examples/make_tracing_c/sim_main.cpp.
#include <verilated.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <type_traits>
#include <vector>

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
    from_port(top.y_data_o, y_words);
    return y_words.data();
  }
  void clock(const gm::ArrayInputs&) {
    top.clk_i = 1;
    top.eval();
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
  top->final();
  return rc;
}
