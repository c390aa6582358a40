// `gemm --trace DIR`: a waveform of the systolic array around its first mismatching output.
//
// The array harness that runs GEMMs (tb/array_runner.hpp) is not traced. A trace rebuilds it with
// Verilator's --trace-fst and GM_TRACE (tb/harness/array_main.cpp), cached apart (cache kind
// gemm-trace), and runs the one GEMM twice on it: untraced, to find the clock edge at which the
// result beat holding the target output is accepted, then traced, dumping only the edges
// [edge - kTraceCyclesAround, edge + kTraceCyclesAround]; without a target (every output matched),
// only the first kTraceFirstCycles edges. Reset edges count. Beside DIR/<name>.fst it writes
// DIR/<name>.gtkw: the four streams, and the PEs of the target's column at the top and bottom row.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "tb/array_runner.hpp"
#include "tb/gtkw.hpp"

namespace gm {

inline constexpr uint64_t kTraceCyclesAround = 64;
inline constexpr uint64_t kTraceFirstCycles = 256;

struct GemmTrace {
  std::filesystem::path fst, gtkw;
  int64_t target_edge = -1;  // the edge that accepted the target's result beat; -1: no target
  uint64_t from = 0, to = 0;  // the edges [from, to) in the waveform
  std::vector<int64_t> y;     // Y of the traced run (it must reproduce the untraced run's)
};

// Traces `problem` on the array. target: index row * n + col of the output to centre on, or -1.
// Throws UserError when Verilator is missing or dir cannot be written.
GemmTrace trace_gemm(const ArrayConfig& cfg, MulModel mul_model, const GemmProblem& problem, int64_t target,
                     const std::filesystem::path& dir);

// The save file's groups; target_col: the output column whose PEs are shown (0 without a target).
std::vector<WaveGroup> gemm_trace_groups(const ArrayConfig& cfg, int64_t target_col);

}  // namespace gm
