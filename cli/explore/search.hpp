// `greenmac explore`: the least energy per inference within an accuracy budget (docs/explore.md).
//
// A staged greedy search over the levers, cheapest evaluations first. Every candidate's accuracy
// is measured by the golden int8 path on the VALIDATION split (the last 10,000 training images),
// which alone decides; its test accuracy is measured and reported, never used. A candidate is
// feasible when its validation accuracy is at most budget_pp below the baseline's; only feasible
// candidates get the expensive gate-level energy measurement.
//
//   0 baseline   the shipped model on the exact int8 array, no gating, nominal supply
//   1 structure  channel pruning (sparsities) x operand width after the first layer (widths), each
//                a fine-tuning run of the shipped model (prune + quantization-aware); the grid is
//                walked from the mildest point, and a point at least as aggressive as an infeasible
//                one on both axes is skipped (accuracy assumed monotone in both)
//   2 approx     truncated multipliers (trunc:t=k at each layer's width: their cost falls with k),
//                k raised while the validation accuracy stays in the budget; per layer (largest
//                share of MACs first) with `layer`, else one k for all; then approximation-aware
//                fine-tuning (`finetune`) or weight tuning (`tune`) wins accuracy back, and the
//                ladder runs again from there (ladder_rounds)
//   3 gate       zero-gated PEs, kept when the measurement says they save
//   voltage      the estimate at the lowest supply every array's slack allows, reported apart
//
// A step is accepted only when it is feasible and its measured compute energy is below the current
// point's; the accepted points form the waterfall, one lever added per step.
//
// The shipped models were trained on the first 50,000 training images only, so the validation
// split is as new to them as the test set: a candidate's validation loss is measured against the
// shipped model's own validation accuracy, trained candidates included.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "cli/explore/options.hpp"
#include "cli/explore/point.hpp"
#include "tb/dnn_on_rtl.hpp"

namespace gm::explore {

struct ExploreResult {
  std::deque<Point> points;             // every evaluated point, in order of evaluation
  std::string baseline, best;           // keys
  std::vector<std::string> waterfall;   // keys from the baseline to the best, one lever per step
  std::optional<DnnRtlReport> rtl;      // the best point through `dnn rtl`
  std::vector<std::string> decisions;   // what the search did and why, in words
  bool time_limited = false;            // --seconds stopped a stage
  double seconds = 0;
  const Point& at(const std::string& key) const;
  double baseline_val() const { return at(baseline).val_accuracy; }  // every loss is measured from it
};

// Runs the search (resuming from opt.out_dir/points), then the RTL check of the chosen point.
ExploreResult run_explore(const ExploreOptions& opt);

// `explore --shard I/N` (docs/explore.md, "Sharded"): of the work that does not depend on other
// points' results, the share of shard `index` of `count`: the baseline's energy (shard 0) and a
// round-robin share of the structure grid (trained, accuracy, energy when feasible), kept in
// opt.out_dir/points like every point. Returns those points. A search run afterwards (the merge)
// reads them back and does the rest.
std::vector<Point> run_explore_share(const ExploreOptions& opt, size_t index, size_t count);

}  // namespace gm::explore
