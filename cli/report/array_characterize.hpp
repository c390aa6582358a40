// `characterize --array`: an array against the same array with exact multipliers.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/report/characterize.hpp"
#include "models/checks.hpp"
#include "synth/array_synth.hpp"

namespace gm {

// `characterize --array`: the array beside the same array built with exact:w=<w>,s=<s> multipliers
// (same GEMM, clock and library), the cost ratios (energy = energy per MAC) and the GEMM's output
// error against the exact array (golden GEMMs of both configurations).
struct ArrayCharReport {
  ArraySynthResult array, exact;
  CostRatios vs_exact;
  double gemm_mean_abs_error = 0;  // mean |Y - Y_exact| over the GEMM's outputs
  double gemm_rel_error = 0;       // sum |Y - Y_exact| / sum |Y_exact|
};

ArrayCharReport characterize_array(const ArrayConfig& cfg, const GemmProblem& gemm, const ArraySynthOptions& opt);
nlohmann::json array_char_json(const ArrayCharReport& rep);
// The checks of an array characterization: both mapped netlists reproduce the golden GEMM and cycles.
CheckLog array_char_checks(const ArrayCharReport& rep);
// report.md (opening with a line per failed check), report.json and results.csv in `dir` (each
// written atomically).
void write_array_characterization(const ArrayCharReport& rep, const std::filesystem::path& dir);

}  // namespace gm
