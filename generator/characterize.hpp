// Characterization: error metrics and synthesis results of each design side by side, each cost also
// as a ratio against the exact multiplier (default architecture) and the behavioural `yosys` baseline
// of the same width and signedness, which are added when not asked for. Writes report.md,
// report.json, results.csv and gnuplot plots (PNG and SVG) with the Pareto fronts marked.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "generator/synth.hpp"
#include "models/metrics.hpp"

namespace gm {

struct CostRatios {
  double area = 0, delay = 0, power = 0, power_vectorless = 0, energy = 0;
};

struct CharRow {
  Spec spec;
  bool reference = false;  // added as a baseline, not asked for
  ErrorMetrics metrics;
  SynthResult synth;
  CostRatios vs_exact, vs_yosys;
  bool front_power_mred = false, front_area_mred = false, front_energy_nmed = false;
};

struct CharOptions {
  SynthOptions synth;
  std::filesystem::path out_dir = "out/characterize";
  const Distribution* dist = nullptr;  // weight the error metrics by an operand distribution
};

// Adds the baselines, computes metrics and synthesis, ratios and fronts. Throws UserError on bad input.
std::vector<CharRow> characterize(const std::vector<Spec>& specs, const CharOptions& opt);

// Writes the report files into opt.out_dir (each atomically).
void write_characterization(const std::vector<CharRow>& rows, const CharOptions& opt);

nlohmann::json char_row_json(const CharRow& row);

}  // namespace gm
