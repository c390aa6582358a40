// RTL inference: every conv (through im2col) and fully connected layer of the quantized network
// multiplies and accumulates on the Verilated systolic array; bias, requantization, ReLU and pooling
// run on the host, exactly as in the golden path (models/dnn/network.hpp). The logits are compared with the
// golden inference's on every image, and the array's cycle count with the cycle model's.
#pragma once

#include <string>
#include <vector>

#include "models/checks.hpp"
#include "tb/array_runner.hpp"
#include "models/dnn/network.hpp"

namespace gm {

// A GemmEngine on the Verilated array (the multiplier's a operand is the activation, b the weight).
class ArrayGemm : public dnn::GemmEngine {
 public:
  explicit ArrayGemm(const GemmRunner& runner) : runner_(runner) {}
  void gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) override;
  uint64_t cycles = 0, cycles_model = 0, macs = 0;
  double sim_cpu_seconds = 0;

 private:
  const GemmRunner& runner_;
};

struct DnnRtlOptions {
  int rows = 8, cols = 8;
  Spec mul;  // the multiplier of every PE (8-bit signed), parsed by the caller
  std::string model = "cnn";
  size_t images = 200;
  std::string data_dir;
  size_t batch = 1000;  // images per GEMM (one harness run per layer and batch)
  // The PE multiplier (tb/pe_multiplier.hpp): its gate-level RTL (default) or its lookup table,
  // verified first against the RTL it stands for; mul_rtl: the user's Verilog in place of the
  // generated RTL.
  MulModel mul_model = MulModel::kGate;
  std::string mul_rtl;
};

struct DnnRtlReport {
  std::string spec, name, array, model;
  size_t images = 0;
  double accuracy = 0, golden_accuracy = 0;
  uint64_t mismatches = 0;  // logits that differ from the golden inference
  uint64_t cycles = 0, cycles_model = 0, macs = 0;
  double seconds = 0, sim_cpu_seconds = 0, build_seconds = 0;
  std::string mul_model;      // "gates" | "lut"
  std::string mul_rtl;        // the user's multiplier file, or empty (generated)
  uint64_t mul_verified_pairs = 0;  // lut: pairs on which the RTL was proven equal to the table
  std::string mul_failure;    // lut: the RTL differs from the model (one line); nothing was run
};

// Throws UserError / SpecError on bad input.
DnnRtlReport dnn_rtl(const DnnRtlOptions& opt);

// The run's checks: logits equal the golden inference's, cycles equal the cycle model's. `who` names
// the command ("dnn rtl", "characterize", ...).
void check_dnn_rtl(const std::string& who, const std::string& name, const std::string& array, uint64_t images,
                   uint64_t mismatches, uint64_t cycles, uint64_t cycles_model, CheckLog& checks);
inline void check_dnn_rtl(const std::string& who, const DnnRtlReport& r, CheckLog& checks) {
  if (!r.mul_failure.empty()) return checks.fail(who + ": " + r.mul_failure);
  check_dnn_rtl(who, r.name, r.array, r.images, r.mismatches, r.cycles, r.cycles_model, checks);
}

}  // namespace gm
