#include "cli/explore/options.hpp"

#include <limits>
#include <sstream>

#include "models/errors.hpp"

namespace gm::explore {

std::set<std::string> parse_levers(const std::string& text) {
  std::set<std::string> out;
  std::stringstream in(text);
  for (std::string name; std::getline(in, name, ',');) {
    bool known = false;
    for (const auto& l : kLevers) known = known || l == name;
    if (!known) {
      std::string list;
      for (const auto& l : kLevers) list += (list.empty() ? "" : ",") + l;
      throw UserError("--levers: unknown lever '" + name + "'; choose among " + list);
    }
    out.insert(name);
  }
  if (out.empty()) throw UserError("--levers needs at least one lever, e.g. --levers prune,approx,finetune");
  return out;
}

void set_default(ExploreOptions& o) {
  o.sparsities = {0.25, 0.375, 0.5};
  o.widths = {6, 5};
  o.structure_epochs = 2, o.finetune_epochs = 3, o.ladder_rounds = 2;
  o.train_images = 50000, o.val_images = 10000, o.test_images = 10000;
  o.sim_images = 4, o.rtl_images = 200;
  o.seconds = 3000;  // 60 minutes in all: the last step (up to 7), the RTL check (2) and the report follow
}

void set_quick(ExploreOptions& o) {
  o.quick = true;
  o.sparsities = {0.25};
  o.widths = {6};
  // One epoch on all 50,000 training images recovers 25 % channel pruning within the budget where
  // one on 10,000 does not (CNN: -0.46 against -1.14 pp on validation), for 25 s instead of 10.
  o.structure_epochs = 1, o.finetune_epochs = 1, o.ladder_rounds = 1;
  o.train_images = 50000, o.val_images = 5000, o.test_images = 10000;
  o.sim_images = 2, o.rtl_images = 200;
  o.rows = 4, o.cols = 4;
  // No time limit: the grid above is small and fixed, so the demo takes the same steps on every
  // machine (about 5 minutes on two idle cores). Under a 255 s limit a loaded machine kept only the
  // baseline where an idle one chose 25 % pruning. --seconds still sets a limit.
  o.seconds = std::numeric_limits<double>::infinity();
  // Each new multiplier is a new array to synthesize and calibrate: one ladder for all layers, and
  // no gated arrays.
  o.levers.erase("layer");
  o.levers.erase("gate");
}

}  // namespace gm::explore
