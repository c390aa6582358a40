// The array options shared by `synth` and `characterize`.
#pragma once

#include <cstdint>
#include <string>

#include "cli/command.hpp"
#include "synth/array_synth.hpp"
#include "synth/mult_synth.hpp"

namespace gm {

// The array options of `synth` and `characterize`: --array RxC --mul SPEC [--mul-map FILE]
// [--acc-width N] [--acc-depth D] [--requant] [--zero-gate] [--gemm MxKxN].
struct ArrayArgs {
  std::string array, mul, mul_map, gemm_dims;
  int acc_width = 32, acc_depth = -1;  // acc_depth -1: not given, the default R + C (acc_depth_option)
  bool zero_gate = false, requant = false;

  // with_array = false: the command declares --array itself (characterize) and copies it in.
  void add_to(CLI::App& sub, bool with_array = true);
  // True when --array is given. Throws UserError when --array comes with SPEC.../--set, without
  // --mul, or when an array option comes without --array.
  bool given(const SpecArgs& designs) const;
  ArrayConfig config() const;              // throws UserError / SpecError
  GemmProblem gemm(uint64_t seed) const;   // --gemm (random operands) or default_array_gemm
  ArraySynthOptions options(const SynthOptions& synth, const std::string& keep_dir) const;
};

}  // namespace gm
