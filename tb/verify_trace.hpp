// `verify --trace DIR`: a waveform of a design around its first failing operand pairs.
//
// The fast verification harness (tb/verify.hpp) is not traced: tracing would slow every pair. When
// a waveform is asked for, the design alone is Verilated again with --trace-fst in the wrapper
// rtl/gm_verify_trace.v (the design's product beside the model's expected product, the pair's index
// in the stream and a mismatch flag) on tb/harness/verify_trace_main.cpp, cached apart from the
// fast harness (cache kind verilator-trace). That harness walks the same pair stream untraced, then
// writes only the pairs worth seeing, one pair per time step:
//   the first kTraceFailingPairs failing pairs, each with kTracePairsAround pairs before and after it
//   in the order verify visits them; or the first kTraceFirstPairs pairs when the design never fails.
// Beside DIR/<name>.fst it writes DIR/<name>.gtkw, a GTKWave save file that opens the waveform with
// the operands, the products, the mismatch flag and the design's ports grouped.
#pragma once

#include <cstdint>
#include <filesystem>

#include "models/spec.hpp"
#include "tb/gtkw.hpp"
#include "tb/verify.hpp"

namespace gm {

inline constexpr uint64_t kTraceFailingPairs = 16;
inline constexpr uint64_t kTracePairsAround = 2;
inline constexpr uint64_t kTraceFirstPairs = 64;

struct VerifyTrace {
  std::filesystem::path fst, gtkw;
  uint64_t traced = 0;         // pairs (time steps) in the waveform
  uint64_t failing = 0;        // of them failing
  int64_t first_failing = -1;  // index of the first failing pair in the stream, -1 when none
};

// Traces one design (generated, or opt.rtl_dir/<name>.v) with opt's pairs and seed into
// dir/<name>.fst and dir/<name>.gtkw (both written atomically). Throws UserError when Verilator is
// missing or dir cannot be written.
VerifyTrace trace_verify(const Spec& spec, const VerifyOptions& opt, const std::filesystem::path& dir);

// The groups of the save file: the wrapper's signals, by their names in the waveform.
std::vector<WaveGroup> verify_trace_groups(const Spec& spec);

}  // namespace gm
