// GEMM on a Verilated systolic array: the library behind `greenmac gemm`, and the engine the DNN
// runner uses to run whole layers (a convolution through im2col is one GEMM per layer).
//
//     gm::GemmRunner runner(gm::make_array_config(8, 8, gm::parse_spec("drum:k=4,s=1"), "", 32, false));
//     gm::GemmProblem p{m, k, n, x, w};            // x: m*k, w: k*n, row-major, natural operand values
//     gm::GemmResult r = runner.run(p);            // r.y (m*n, acc-bit values), r.cycles
//     auto many = runner.run({p1, p2, p3});        // one simulator process for many GEMMs
//
// The constructor builds the Verilator harness (tb/harness/array_main.cpp, the Verilator adapter of the
// stream protocol tb/array_stream.hpp, on the generated array) once, or
// reuses it from gm::cache_dir()/gemm/<content hash>; each run() writes the matrices to a binary
// file (tb/array_job_file.hpp), runs the harness as a subprocess and reads Y and the cycle counts back. Batch GEMMs into
// one run() call: a lookup-table build reads its tables at start-up (about 0.05 s per distinct
// 8-bit multiplier per PE).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "generator/array/array.hpp"
#include "models/golden_gemm.hpp"
#include "tb/array_stream.hpp"
#include "tb/harness_build.hpp"

namespace gm {

struct GemmProblem {
  int64_t m = 0, k = 0, n = 0;
  std::vector<int32_t> x;  // m x k, row-major
  std::vector<int32_t> w;  // k x n, row-major
  uint64_t stall_seed = 0;  // 0: full-rate streams (cycle model); else seeded random valid/ready gaps
  // The output stage's parameters of each output column (n entries): required exactly when the
  // array has the output stage (ArrayConfig::out_stage), empty otherwise.
  std::vector<OutParams> params;
};

struct GemmResult {
  std::vector<int64_t> y;  // m x n, row-major: acc-bit two's-complement values (out stage: its outputs)
  uint64_t cycles = 0;     // clock edges from reset release to the last result accepted
  double sim_seconds = 0;  // simulation time inside the harness (wall clock)
  double cpu_seconds = 0;  // the same in CPU time of the simulating thread (one core)
};

// How the harness is compiled: plain, or profile-guided (tb/harness_build.hpp: twice the build time;
// 30 % less simulation CPU for one simulator alone, about 6 % with two at once on a 2-core machine;
// for runs of minutes such as `dnn rtl` on thousands of images).
// Lookup-table arrays only: a gate-level (hierarchical) harness is always built plain.
enum class HarnessTuning { kPlain, kProfileGuided };

class GemmRunner {
 public:
  // Builds or reuses the harness. Throws UserError when Verilator is missing. `mul_rtl` (gate
  // model only) replaces generated multiplier files of the same name, e.g. the user's netlist of
  // one multiplier (`dnn rtl --mul-rtl`); the multipliers' models stay the oracle (golden()).
  explicit GemmRunner(ArrayConfig cfg, MulModel mul_model = MulModel::kLut, std::vector<ArrayFile> mul_rtl = {},
                      HarnessTuning tuning = HarnessTuning::kPlain);

  const ArrayConfig& config() const { return cfg_; }
  MulModel mul_model() const { return mul_model_; }
  bool cached() const { return cached_; }               // the harness came from the cache
  bool profile_guided() const { return profile_guided_; }  // built (or cached) profile-guided
  double build_seconds() const { return build_seconds_; }  // 0 when cached

  // Throws UserError for bad shapes or operands outside the multipliers' range.
  std::vector<GemmResult> run(const std::vector<GemmProblem>& problems) const;
  GemmResult run(const GemmProblem& problem) const;

  // The golden result through each PE's multiplier model (models/golden_gemm.hpp), then the
  // output stage when the array has one.
  std::vector<int64_t> golden(const GemmProblem& problem) const;
  // The cycle model's count for a full-rate run of this shape (gemm_cycles of array_timing).
  uint64_t model_cycles(int64_t m, int64_t k, int64_t n) const;

 private:
  // The generated array with mul_rtl_ in place of the generated multipliers.
  std::vector<ArrayFile> array_files() const;
  // Builds the harness and publishes it in the cache (dir_).
  void build() const;
  // Runs the harness once; false (reason in `why`) when it fails or its output is short.
  bool try_run(const std::vector<GemmProblem>& problems, std::vector<GemmResult>& out, std::string& why) const;

  ArrayConfig cfg_;
  MulModel mul_model_;
  std::vector<ArrayFile> mul_rtl_;
  HarnessTuning tuning_;
  std::string key_;                    // the harness's cache key (models/cache/cache_key.hpp)
  mutable std::filesystem::path dir_;  // the harness binary and the lookup tables
  mutable bool cached_ = false;
  bool profile_guided_ = false;
  mutable double build_seconds_ = 0;  // a harness that fails to run is rebuilt once, even from run()
  std::vector<const ProductTable*> tables_;  // per PE, row-major
};

// The Verilator harness of an array (tb/harness/array_main.cpp on `files`, the generated array):
// what GemmRunner builds and caches.
HarnessBuild array_harness_build(const ArrayConfig& cfg, MulModel mul_model, const std::vector<ArrayFile>& files,
                                 HarnessTuning tuning);

// The stream widths and configuration of an array (tb/array_stream.hpp).
ArrayShape array_shape(const ArrayConfig& cfg);

// The array's timing for the cycle model: sides, D and the manifest's latencies (gm::array_latency).
ArrayTiming array_timing(const ArrayConfig& cfg);
inline uint64_t gemm_cycles(const ArrayConfig& cfg, int64_t m, int64_t k, int64_t n) {
  return gemm_cycles(array_timing(cfg), m, k, n);
}

// A random GEMM with operands uniform over the multipliers' operand range; with the output stage,
// also random_out_params.
GemmProblem random_gemm(const ArrayConfig& cfg, int64_t m, int64_t k, int64_t n, uint64_t seed);

// Random but sensible output-stage parameters for n columns of a K-long sum: m0 in [2^30, 2^31),
// a shift that maps the sums' typical size (random operands) to the middle of the output range,
// a bias up to a quarter of it; even columns clamp like a hidden layer (0..127, the ReLU), odd
// columns like the score layer (-32768..32767).
std::vector<OutParams> random_out_params(const ArrayConfig& cfg, int64_t k, int64_t n, uint64_t seed);

// The same GEMM simulated in Icarus (for the benchmark's speed ratio): the fixed bench
// tb/harness/array_tb.v runs the same stream protocol (tb/array_stream.hpp) through a VPI module,
// built once and cached. Returns Y and the cycles like GemmRunner::run; sim_seconds is the whole
// vvp run. Throws UserError when Icarus is missing.
GemmResult run_gemm_icarus(const ArrayConfig& cfg, MulModel mul_model, const GemmProblem& problem,
                           double* build_seconds = nullptr);

}  // namespace gm
