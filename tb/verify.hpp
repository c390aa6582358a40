// The verification engine: simulate generated RTL on every operand pair (w <= 12) or on corner cases
// plus at least 10^7 seeded random pairs (w > 12), and compare each product with the design's C++
// model, bit for bit.
//
// Designs are grouped by operand width; each group is one simulation of gm_vtop (sim_top.hpp).
//   verilator  one harness build per group (tb/harness/verify_main.cpp linked with the models), cached by
//              a hash of everything that goes into it, so a rerun with unchanged RTL builds nothing.
//   icarus     the second, independent simulator: a Verilog test bench writes every product to a
//              file and the models check it here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "models/cache/cache_dir.hpp"
#include "models/spec.hpp"

namespace gm {

class Progress;  // models/progress.hpp

struct VerifyOptions {
  std::string sim = "verilator";       // verilator | icarus
  std::filesystem::path rtl_dir;       // verify DIR/<name>.v instead of freshly generated RTL
  uint64_t random_pairs = 10'000'000;  // for w > 12
  uint64_t seed = 1;
  uint64_t pair_limit = 0;             // > 0: stop after this many pairs per group (benchmarks only)
  Progress* progress = nullptr;        // set: a "verify" stage; each width's group (one simulation) is a step
};

struct VerifyResult {
  Spec spec;
  std::string sim;
  uint64_t pairs = 0;
  bool exhaustive = false;
  uint64_t mismatches = 0;
  int64_t a = 0, b = 0, expected = 0, got = 0;  // the first mismatch
  bool pass() const { return mismatches == 0 && pairs > 0; }
};

struct VerifyStats {
  double build_seconds = 0;  // Verilator/Icarus compile time (0 for cached builds)
  double sim_seconds = 0;    // simulation and comparison
  uint64_t pair_evals = 0;   // pairs x designs simulated
  int builds = 0, cached_builds = 0;
  int rebuilt_harnesses = 0;  // cached harnesses that were damaged or failed to run, and were rebuilt
};

// The RTL verify checks for a design: generated now, or read from opt.rtl_dir/<name>.v.
std::string design_text(const Spec& spec, const VerifyOptions& opt);

// Throws UserError when the simulator is not installed or an RTL file cannot be read.
std::vector<VerifyResult> verify_designs(const std::vector<Spec>& specs, const VerifyOptions& opt,
                                         VerifyStats* stats = nullptr);

// A design given as text: the model it must equal (spec), the name of its Verilog module, and the
// RTL. Module names must be distinct within one call, so that many variants of one spec (e.g.
// mutants) share one harness build. opt.rtl_dir is not used.
struct RtlDesign {
  Spec spec;
  std::string module;
  std::string text;
};
std::vector<VerifyResult> verify_rtl(const std::vector<RtlDesign>& designs, const VerifyOptions& opt,
                                     VerifyStats* stats = nullptr);


// The design's output for every operand pair, simulated in Icarus: entry (a_bits << w) | b_bits
// holds the product word read as signed (s=1) or unsigned. Used as the model of external designs.
std::vector<int64_t> simulate_truth_table(const Spec& spec, const std::string& verilog);

}  // namespace gm
