// The array options shared by `synth` and `characterize`, and those of the whole-network runs on the
// array (`dnn rtl`, `dnn storage`, `infer-energy`).
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

// The options of a whole-network run on the array: --array RxC --mul SPEC --model --images --data
// --json. The caller sets the defaults (images) before add_to, which shows them in the help.
struct NetworkRunArgs {
  std::string array = "8x8", mul = "exact:s=1", model = "cnn", data;
  size_t images = 32;
  bool json = false;

  void add_to(CLI::App& sub, const std::string& mul_help = "multiplier spec of every PE (8-bit signed)");
  std::pair<int, int> dims() const;  // parse_array_dims(array): throws UserError
  Spec spec() const;                 // parse_spec(mul) and check_dnn_spec: throws SpecError
};

}  // namespace gm
