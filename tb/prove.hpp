// Formal equivalence with Yosys: a miter of the generated design against a reference, proved with
// `sat -prove`. For families whose model is the exact product (exact, yosys) the reference is the
// behavioural `a * b`; for approximate designs it is the model's truth table (a case statement),
// feasible for small widths. Exhaustive simulation (verify) and proof fail for different kinds of
// bugs, so greenmac keeps both.
#pragma once

#include <filesystem>
#include <string>

#include "models/spec.hpp"

namespace gm {

struct ProveResult {
  Spec spec;
  std::string reference;  // "a*b" or "truth table"
  bool proved = false;
  bool timed_out = false;
  double seconds = 0;
  std::string log;  // Yosys output when not proved
};

inline constexpr int kMaxTruthTableWidth = 6;  // w=8 tables time out in SAT (> 10 min)

// Throws UserError when yosys is missing, the width is too large for a truth-table proof, or the
// RTL file cannot be read.
ProveResult prove_design(const Spec& spec, const std::filesystem::path& rtl_dir, int timeout_s);

}  // namespace gm
