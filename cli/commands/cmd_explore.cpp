// greenmac explore [--model cnn|mlp|FILE] --budget-pp 0.5 [--levers approx,layer,tune,finetune,prune,gate,precision,voltage]
//                  [--array 8x8] [--seconds T] [--seed S] [--quick] [--shard I/N] -o DIR [--json]
//
// The least energy per inference within an accuracy budget (cli/explore/search.hpp, docs/explore.md).
// A mismatch of the chosen point in the RTL check, or of any measured point at gate level, is a
// failed check (exit status 1).
#include <iostream>
#include <memory>
#include <optional>

#include "cli/array_args.hpp"
#include "cli/command.hpp"
#include "cli/quiet_option.hpp"
#include "models/evo/library.hpp"
#include "cli/explore/report.hpp"
#include "cli/explore/search.hpp"
#include "cli/shard/shard.hpp"
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
  std::string shard;  // "I/N"
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

// The options every shard of one search must share: all but -o, --json and --shard.
nlohmann::json shard_args(const ExploreArgs& a) {
  return {{"model", a.opt.model},           {"budget_pp", a.opt.budget_pp},     {"levers", a.levers},
          {"evo_lib", a.evo_lib},           {"array", a.array},                 {"quick", a.quick},
          {"val_images", a.val_images},     {"test_images", a.test_images},     {"train_images", a.train_images},
          {"sim_images", a.sim_images},     {"rtl_images", a.rtl_images},       {"seconds", a.seconds},
          {"seed", a.opt.seed},             {"data", a.opt.data_dir},           {"threads", a.opt.threads},
          {"input_files", input_files_json({a.opt.model})}};
}

ExploreArgs args_from_shard(const nlohmann::json& j) {
  ExploreArgs a;
  a.opt.model = j.at("model"), a.opt.budget_pp = j.at("budget_pp"), a.levers = j.at("levers");
  a.evo_lib = j.at("evo_lib"), a.array = j.at("array"), a.quick = j.at("quick");
  a.val_images = j.at("val_images"), a.test_images = j.at("test_images"), a.train_images = j.at("train_images");
  a.sim_images = j.at("sim_images"), a.rtl_images = j.at("rtl_images"), a.seconds = j.at("seconds");
  a.opt.seed = j.at("seed"), a.opt.data_dir = j.at("data"), a.opt.threads = j.at("threads");
  return a;
}

// --shard I/N: this shard's share of the independent work (explore::run_explore_share) into
// DIR/points and DIR/shards; `greenmac merge DIR` then runs the search, which reads them back.
int run_explore_shard(const explore::ExploreOptions& o, const ExploreArgs& a, const Shard& shard) {
  const nlohmann::json args = shard_args(a);
  if (shard_done(o.out_dir, "explore", shard, args)) {
    std::fprintf(stderr, "explore: shard %zu/%zu is done (%s); skipped\n", shard.index, shard.count,
                 shard_file(o.out_dir, "explore", shard).c_str());
    return 0;
  }
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : explore::run_explore_share(o, shard.index, shard.count)) points.push_back(explore::to_json(p));
  write_shard(o.out_dir, "explore", shard, args, {{"points", points}});
  std::fprintf(stderr, "explore: shard %zu/%zu written (%zu points); when all %zu are there: greenmac merge %s\n",
               shard.index, shard.count, points.size(), shard.count, o.out_dir.c_str());
  return 0;
}

int run_explore_cmd(const ExploreArgs& a) {
  const std::optional<Shard> shard = a.shard.empty() ? std::nullopt : std::optional(parse_shard(a.shard));
  explore::ExploreOptions o = a.opt;
  apply(o, a);
  (void)load_dnn_model(o.model);  // a bad model is refused before the output directory is made
  ensure_output_dir(o.out_dir, "-o");
  Progress progress("explore");
  o.progress = &progress;
  if (shard) {
    const int status = run_explore_shard(o, a, *shard);
    progress.finish();
    return status;
  }
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

// greenmac merge DIR: the shards' points into DIR/points (when a shard ran elsewhere), then the
// search as the unsharded command runs it, which reads them back instead of evaluating them.
int merge_explore(const std::filesystem::path& out, const std::vector<ShardRecord>& shards) {
  ExploreArgs a;
  try {
    a = args_from_shard(shards.front().args);
  } catch (const nlohmann::json::exception& e) {
    throw UserError("the explore shards in " + (out / "shards").string() + " lack an option (" + e.what() +
                    "); remove them and run the shards again");
  }
  a.opt.out_dir = out.string();
  const explore::PointStore store(out);
  for (const auto& s : shards)
    for (const auto& j : s.result.at("points")) {
      const explore::Point p = explore::point_from_json(j);
      const auto have = store.load(p.key);
      if (!have || (!have->energy && p.energy)) store.save(p);
      if (p.lever != "baseline" && !std::filesystem::exists(p.model))
        throw UserError(p.model + ", the model shard " + std::to_string(s.shard.index) +
                        " trained, is not there; run the shards on one shared -o DIR (or copy their DIR/models), "
                        "then merge again");
    }
  return run_explore_cmd(a);
}

const ShardMergerRegistrar reg_merge({.command = "explore", .merge = merge_explore});

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
                         "no search step starts unless it is expected to end within this many seconds (default 3000; none with --quick); the RTL check and the report follow");
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
          add_shard_option(sub, &a->shard);  // the baseline's energy and the structure grid (docs/explore.md)
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
