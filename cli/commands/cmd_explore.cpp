// greenmac explore [--model cnn|mlp|FILE] --budget-pp 0.5 [--levers approx,layer,tune,finetune,prune,gate,precision,voltage]
//                  [--array 8x8] [--seconds T] [--seed S] [--quick] -o DIR [--json]
//
// The least energy per inference within an accuracy budget (cli/explore/search.hpp, docs/explore.md).
// A mismatch of the chosen point in the RTL check, or of any measured point at gate level, is a
// failed check (exit status 1).
#include <iostream>
#include <memory>

#include "cli/array_args.hpp"
#include "cli/command.hpp"
#include "cli/quiet_option.hpp"
#include "models/evo/library.hpp"
#include "cli/explore/report.hpp"
#include "cli/explore/search.hpp"
#include "cli/train_binary.hpp"
#include "models/checks.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/files.hpp"
#include "models/progress.hpp"

namespace gm {
namespace {

struct ExploreArgs {
  explore::ExploreOptions opt;
  std::string levers, array, evo_lib;
  bool quick = false, json = false;
  // Sizes that override the default or --quick search (tests and users with little time).
  size_t val_images = 0, test_images = 0, train_images = 0, sim_images = 0, rtl_images = 0;
  double seconds = 0;
};

void apply(explore::ExploreOptions& o, const ExploreArgs& a) {
  if (a.quick)
    explore::set_quick(o);
  else
    explore::set_default(o);
  if (!a.levers.empty()) o.levers = explore::parse_levers(a.levers);
  if (!a.evo_lib.empty()) {
    o.evo_lib = a.evo_lib;
    o.levers.insert("evolved");
  }
  if (o.has("evolved")) (void)evo::list_library(evo::library_dir(o.evo_lib));  // a bad folder fails first
  if (!a.array.empty()) std::tie(o.rows, o.cols) = parse_array_dims(a.array);
  for (const auto& [from, to] : {std::pair{a.val_images, &o.val_images}, {a.test_images, &o.test_images},
                                 {a.train_images, &o.train_images}, {a.sim_images, &o.sim_images},
                                 {a.rtl_images, &o.rtl_images}})
    if (from) *to = from;
  if (a.seconds > 0) o.seconds = a.seconds;
  if (!(o.budget_pp >= 0)) throw UserError("--budget-pp must be a non-negative number of points, e.g. 0.5");
  if (o.train_images > 50000) throw UserError("--train-images must be at most 50000 (the rest is the validation split)");
  if (o.val_images > 10000) throw UserError("--val-images must be at most 10000 (the validation split)");
  if (o.test_images > 10000) throw UserError("--test-images must be at most 10000");
  if (o.has("prune") || o.has("precision") || o.has("finetune")) {
    try {
      (void)require_train_binary();
    } catch (const UserError& e) {
      throw UserError(std::string(e.what()) + "; or leave out the levers that train: --levers approx,layer,tune,gate,voltage");
    }
  }
}

int run_explore_cmd(const ExploreArgs& a) {
  explore::ExploreOptions o = a.opt;
  apply(o, a);
  (void)load_dnn_model(o.model);  // a bad model is refused before the output directory is made
  ensure_output_dir(o.out_dir, "-o");
  Progress progress("explore");
  o.progress = &progress;
  const explore::ExploreResult r = explore::run_explore(o);
  progress.finish();
  explore::write_explore_report(r, o);
  const nlohmann::json best = explore::best_json(r, o);
  if (a.json) {
    std::cout << best.dump(2) << "\n";
  } else {
    std::printf("explore %s, budget %.2f pp: %s\n  %s\n  energy %.3fx of the exact int8 array (measured; %.3fx with "
                "the voltage estimate), test accuracy %.2f %% (exact %.2f %%), chosen on validation\n  report: %s/report.md\n",
                o.model.c_str(), o.budget_pp, r.at(r.best).recipe.c_str(), r.at(r.best).config.c_str(),
                best["energy_ratio"].get<double>(), best["energy_ratio_with_voltage"].get<double>(),
                100 * best["test_accuracy"].get<double>(), 100 * best["exact_test_accuracy"].get<double>(),
                o.out_dir.c_str());
  }
  CheckLog checks;
  for (const auto& p : r.points)
    if (p.energy && p.energy->mismatches > 0)
      checks.fail("explore: " + p.recipe + ": " + std::to_string(p.energy->mismatches) +
                  " logits or layer outputs of the gate-level run differ from the golden inference");
  if (r.rtl) check_dnn_rtl("explore: RTL check of the chosen point", *r.rtl, checks);
  return checks.finish();
}

const CommandRegistrar reg_explore({
    .name = "explore",
    .help = "the least energy per inference within an accuracy budget: pruning, narrower operands, approximate "
            "multipliers per layer, fine-tuning, gating (measured at gate level), voltage (estimate)",
    .order = 74,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto a = std::make_shared<ExploreArgs>();
          sub.add_option("--model", a->opt.model, "cnn, mlp or a model file")->capture_default_str();
          sub.add_option("--budget-pp", a->opt.budget_pp,
                         "accuracy the search may give up, in points of validation accuracy")
              ->capture_default_str();
          sub.add_option("--levers", a->levers,
                         "levers to use, comma-separated (default all but evolved): approx,layer,tune,finetune,prune,"
                         "gate,precision,voltage,evolved");
          sub.add_option("--evo-lib", a->evo_lib,
                         "the evolved lever's library (an evolve -o folder, or shipped: the default) and turn the lever on");
          sub.add_option("--array", a->array, "array RxC (default 8x8; 4x4 with --quick)");
          sub.add_option("--seconds", a->seconds,
                         "no search step starts unless it is expected to end within this many seconds (default 3000; 255 with --quick); the RTL check and the report follow");
          sub.add_option("--seed", a->opt.seed, "seed of every training run")->capture_default_str();
          sub.add_flag("--quick", a->quick,
                       "a small search (4x4 array, 2 images per energy, 1-epoch trainings on 10,000 images, one multiplier "
                       "ladder for all layers, no gating) that "
                       "finishes in about 5 minutes");
          sub.add_option("-o,--output", a->opt.out_dir,
                         "directory for front.json, front.csv, best.json, report.md and the plots; an interrupted "
                         "run resumes from its points")
              ->required();
          sub.add_flag("--json", a->json, "print the chosen point as JSON");
          sub.add_option("--data", a->opt.data_dir, "Fashion-MNIST directory (default: the installed data set)");
          sub.add_option("--threads", a->opt.threads, "threads for the golden path and the trainer")
              ->check(CLI::Range(1, 64))
              ->capture_default_str();
          sub.add_option("--val-images", a->val_images, "validation images the search selects on (default 10000)");
          sub.add_option("--test-images", a->test_images, "test images the accuracy is reported on (default 10000)");
          sub.add_option("--train-images", a->train_images, "training images per epoch (default 50000)");
          sub.add_option("--sim-images", a->sim_images, "whole inferences per gate-level energy measurement (default 4)");
          sub.add_option("--rtl-images", a->rtl_images, "test images of the RTL check of the chosen point (default 200)");
          add_quiet_option(sub);
          return [=] { return run_explore_cmd(*a); };
        },
});

}  // namespace
}  // namespace gm
