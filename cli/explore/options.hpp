// The settings of `greenmac explore` (cli/explore/search.hpp) and its levers.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace gm {
class Progress;  // models/progress.hpp
}  // namespace gm

namespace gm::explore {

// The levers a search may pull (docs/explore.md): approx (one truncated multiplier ladder for all
// layers), layer (a ladder per layer), tune (ALWANN weight tuning for the chosen multipliers),
// finetune (approximation-aware fine-tuning for them), prune (channel pruning), gate (zero-gated
// PEs), precision (narrower operands after the first layer), voltage (the supply estimate, reported
// apart), evolved (the circuits of an evo library per 8-bit layer, cheapest first: only when asked,
// with --levers or --evo-lib).
inline const std::vector<std::string> kLevers = {"approx", "layer", "tune", "finetune", "prune", "gate", "precision",
                                                 "voltage", "evolved"};
// Parses "a,b,c"; UserError for a name not in kLevers.
std::set<std::string> parse_levers(const std::string& text);

struct ExploreOptions {
  std::string model = "cnn";
  double budget_pp = 0.5;
  std::set<std::string> levers = {kLevers.begin(), kLevers.end() - 1};  // all but evolved
  std::string evo_lib = "shipped";  // the library of the evolved lever (evo:lib=...)
  int rows = 8, cols = 8;
  double seconds = 3000;  // the search starts no step after it; the step under way, the RTL check and the report follow
  uint64_t seed = 1;
  bool quick = false;
  std::string out_dir, data_dir;
  int threads = 2;
  // The search's sizes (set_quick / set_default fill them).
  std::vector<double> sparsities;  // channel pruning levels tried
  std::vector<int> widths;         // operand widths tried after the first layer
  int structure_epochs = 2, finetune_epochs = 3, ladder_rounds = 2;
  size_t train_images = 50000, val_images = 10000, test_images = 10000;
  size_t sim_images = 4;     // whole inferences per energy measurement
  size_t rtl_images = 200;   // the chosen point through `dnn rtl`
  Progress* progress = nullptr;  // set: the decisions go through it (silenced by --quiet), points counted
  bool has(const std::string& lever) const { return levers.count(lever) > 0; }
};

// The default search (at most 60 minutes on two cores) and --quick (at most 5).
void set_default(ExploreOptions& o);
void set_quick(ExploreOptions& o);

}  // namespace gm::explore
