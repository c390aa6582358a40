// The outputs of `greenmac explore` in -o DIR: front.json and front.csv (every evaluated point),
// best.json (the chosen point, with the keys), report.md with the front and waterfall
// plots (front.{png,svg}, waterfall.{png,svg}).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "cli/explore/options.hpp"
#include "cli/explore/search.hpp"

namespace gm::explore {

// The chosen point's keys: config, val_accuracy, test_accuracy, exact_test_accuracy, energy_nj,
// energy_ratio, energy_ratio_with_voltage, rtl_images, rtl_mismatches, and what made it.
nlohmann::json best_json(const ExploreResult& r, const ExploreOptions& opt);
// Writes every file; each atomically.
void write_explore_report(const ExploreResult& r, const ExploreOptions& opt);

}  // namespace gm::explore
