#include "cli/explore/search.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

#include "cli/explore/evaluator.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "models/dnn/layer_names.hpp"
#include "models/errors.hpp"
#include "models/evo/library.hpp"
#include "models/progress.hpp"

namespace gm::explore {

const Point& ExploreResult::at(const std::string& key) const {
  for (const auto& p : points)
    if (p.key == key) return p;
  throw std::logic_error("explore: no point " + key);
}

namespace {

using Clock = std::chrono::steady_clock;

// Learning rates: pruning needs the larger one to recover (docs/levers.md); quantization- and
// approximation-aware fine-tuning the trainer's default.
constexpr double kPruneLr = 1e-3, kTuneLr = 1e-4;

std::string search_fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// LAYER=SPEC options giving every conv/fc layer its multiplier explicitly.
std::vector<std::string> explicit_layers(const std::vector<dnn::LayerSpec>& specs) {
  std::vector<std::string> out;
  for (const auto& s : specs) out.push_back(s.name + "=" + s.spec.canonical());
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
  return s;
}

class Search {
 public:
  explicit Search(const ExploreOptions& opt) : opt_(opt), store_(opt.out_dir), ev_(opt, store_), t0_(Clock::now()) {
    progress_stage(opt_.progress, "explore", 0, "points");  // the search stops on time: no total
  }

  ExploreResult run() {
    baseline();
    structure();
    approx_rounds();
    gate();
    res_.best = chain_.back();
    res_.waterfall = chain_;
    say("the chosen point: " + res_.at(res_.best).recipe);
    rtl_check();
    res_.seconds = elapsed();
    return std::move(res_);
  }

  // Shard `index` of `count` of the search's independent work (docs/explore.md, "Sharded"). Item 0
  // is the baseline's energy; items 1.. are the structure grid and its fallbacks, each trained, its
  // accuracy measured, and its energy when it is feasible. Every shard measures the baseline's
  // accuracy (seconds), which decides what is feasible. No dominance skip and no time limit: which
  // points the search needs depends on the others' results, so a shard does its whole share, and
  // the merge's search reads what it needs back from the point files.
  std::vector<Point> share(size_t index, size_t count) {
    const bool owns_baseline = index == 0;
    Point& b = baseline_accuracy(owns_baseline);
    std::vector<Point> out;
    if (owns_baseline) {
      measure_alone(b);
      out.push_back(b);
    }
    std::vector<std::pair<double, int>> items = structure_grid();
    for (const auto& f : structure_fallbacks()) items.push_back(f);
    for (size_t i = index; i <= items.size(); i += count) {
      if (i == 0) continue;
      Point& p = structure_point(find(res_.baseline), items[i - 1].first, items[i - 1].second);
      if (feasible(p)) measure_alone(p);
      out.push_back(p);
    }
    return out;
  }

 private:
  // Measures the point's energy once (kept in its file), with no ratio to a baseline a shard may not have.
  void measure_alone(Point& p) {
    if (p.energy) return;
    say("measuring " + p.recipe + " (gate level, " + std::to_string(opt_.sim_images) + " images)");
    ev_.energy(p);
    store_.save(p);
    say("  " + search_fmt("%.0f nJ", p.energy->compute_nj));
  }
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - t0_).count(); }
  // Whether a step expected to take `cost` seconds still ends before --seconds. The expected costs
  // are the longest training run and the longest measurement so far, so that the search stops near
  // its limit instead of starting a long step just before it.
  bool time_left(double cost = 0) {
    if (elapsed() + cost <= opt_.seconds) return true;
    if (!res_.time_limited)
      say("the search's time (--seconds " + search_fmt("%.0f", opt_.seconds) + ") leaves no room for the next step (about " +
          search_fmt("%.0f s", cost) + "): stopping");
    res_.time_limited = true;
    return false;
  }
  double train_cost() const { return longest_train_; }
  double measure_cost() const { return longest_measure_; }
  void say(const std::string& what) {
    res_.decisions.push_back(what);
    const std::string line = "explore [" + search_fmt("%4.0f", elapsed()) + " s]: " + what;
    if (opt_.progress)
      opt_.progress->log(line);
    else
      std::fprintf(stderr, "%s\n", line.c_str());
  }
  double loss_pp(double val) const { return (res_.baseline_val() - val) * 100; }
  bool feasible(double val) const { return loss_pp(val) <= opt_.budget_pp + 1e-9; }
  bool feasible(const Point& p) const { return p.has_val() && feasible(p.val_accuracy); }
  Point& current() { return find(chain_.back()); }
  Point& find(const std::string& key) {
    for (auto& p : res_.points)
      if (p.key == key) return p;
    throw std::logic_error("explore: no point " + key);
  }

  // Whether the point `step` makes from `parent` is already known (this run or a stored file): it
  // costs no time, so a resumed search reads it back whatever its time limit.
  bool known(const Point& parent, const std::string& step) const {
    const std::string key = point_key(parent.key, step);
    return std::any_of(res_.points.begin(), res_.points.end(), [&](const Point& p) { return p.key == key; }) ||
           store_.load(key).has_value();
  }

  // The point `step` makes from `parent`: the stored one when an earlier run evaluated it, else
  // `make` fills it (model, configuration) and its accuracy is measured.
  Point& point(const Point& parent, const std::string& lever, const std::string& step, const std::string& recipe,
               const std::function<void(Point&)>& make, bool keep = true) {
    const std::string key = point_key(parent.key, step);
    for (auto& p : res_.points)
      if (p.key == key) return p;
    if (auto stored = store_.load(key)) {
      res_.points.push_back(*stored);
      longest_train_ = std::max(longest_train_, stored->train_seconds);
      if (stored->energy) longest_measure_ = std::max(longest_measure_, stored->energy->seconds);
      say("resumed " + recipe);
      progress_end(opt_.progress, recipe);
      return res_.points.back();
    }
    Point p;
    p.key = key, p.lever = lever, p.parent = parent.key, p.recipe = recipe;
    p.model = parent.model, p.mul_layers = parent.mul_layers, p.zero_gate = parent.zero_gate;
    p.sparsity = parent.sparsity, p.width = parent.width;
    progress_begin(opt_.progress, recipe);
    make(p);
    if (!p.has_val()) ev_.accuracy(p);
    progress_end(opt_.progress, recipe);
    longest_train_ = std::max(longest_train_, p.train_seconds);
    if (keep) store_.save(p);
    res_.points.push_back(p);
    if (res_.baseline.empty())
      say(recipe + ": validation " + search_fmt("%.2f %%", 100 * p.val_accuracy) + ", test " + search_fmt("%.2f %%", 100 * p.test_accuracy));
    else
      say(recipe + ": validation " + search_fmt("%.2f %%", 100 * p.val_accuracy) + " (" + search_fmt("%+.2f pp", -loss_pp(p.val_accuracy)) + ")" +
          (feasible(p) ? "" : ", over the budget"));
    return res_.points.back();
  }

  // Measures the point's energy once (kept in its file).
  void measure(Point& p) {
    if (p.energy) return;
    say("measuring " + p.recipe + " (gate level, " + std::to_string(opt_.sim_images) + " images)");
    ev_.energy(p);
    longest_measure_ = std::max(longest_measure_, p.energy->seconds);
    store_.save(p);
    say("  " + search_fmt("%.0f nJ", p.energy->compute_nj) + ", " + search_fmt("%.3fx", ratio(p)) + " of the baseline");
  }
  double ratio(const Point& p) const { return p.energy->compute_nj / res_.at(chain_.front()).energy->compute_nj; }
  // Accepts `p` as the next step of the waterfall when it is feasible and spends less.
  bool accept(Point& p) {
    if (!feasible(p) || !time_left(p.energy ? 0 : measure_cost())) return false;
    measure(p);
    Point& cur = current();
    measure(cur);
    if (p.energy->compute_nj >= cur.energy->compute_nj) {
      say("not kept: " + p.recipe + " spends no less than " + cur.recipe);
      return false;
    }
    chain_.push_back(p.key);
    return true;
  }

  Point& baseline() {
    Point& b = baseline_accuracy(true);
    measure(b);
    return b;
  }
  // The baseline's accuracies, which decide what is feasible; `keep`: stored (a shard that does not
  // measure its energy leaves it to the shard that does, whose file would otherwise race with its own).
  Point& baseline_accuracy(bool keep) {
    Point root;  // the empty parent
    Point& b = point(root, "baseline", "baseline " + opt_.model, "baseline: " + opt_.model + " on exact int8",
                     [&](Point& p) { p.model = opt_.model; }, keep);
    res_.baseline = b.key;
    chain_.push_back(b.key);
    return b;
  }

  // The structure grid (sparsity, width) in the order the search walks it, the unpruned 8-bit point
  // (the baseline) left out; empty without the prune and precision levers.
  std::vector<std::pair<double, int>> structure_grid() const {
    std::vector<std::pair<double, int>> grid;
    if (!opt_.has("prune") && !opt_.has("precision")) return grid;
    std::vector<double> sparsities = {0};
    if (opt_.has("prune")) sparsities.insert(sparsities.end(), opt_.sparsities.begin(), opt_.sparsities.end());
    for (const double s : sparsities)
      for (const int w : structure_widths())
        if (s > 0 || w < 8) grid.emplace_back(s, w);
    return grid;
  }
  std::vector<int> structure_widths() const {
    std::vector<int> widths = {8};
    if (opt_.has("precision")) widths.insert(widths.end(), opt_.widths.begin(), opt_.widths.end());
    return widths;
  }
  // Half the mildest pruning at each width: tried where the mildest breaks the budget.
  std::vector<std::pair<double, int>> structure_fallbacks() const {
    std::vector<std::pair<double, int>> out;
    if (opt_.has("prune"))
      for (const int w : structure_widths()) out.emplace_back(opt_.sparsities.front() / 2, w);
    return out;
  }
  std::vector<std::string> structure_mul(int w) {
    if (w == 8) return {};  // the first layer stays 8-bit: its inputs are the image's pixels
    const std::string first = dnn::gemm_layers(ev_.network(opt_.model)).front().name;
    return {first + "=exact:s=1", "default=exact:s=1,w=" + std::to_string(w)};
  }
  TrainStep structure_train(double s, int w) {
    return TrainStep{structure_mul(w), s, opt_.structure_epochs, s > 0 ? kPruneLr : kTuneLr};
  }
  std::string structure_step(double s, int w) const {
    return "structure prune " + search_fmt("%.4f", s) + " width " + std::to_string(w) + " epochs " +
           std::to_string(opt_.structure_epochs) + " images " + std::to_string(opt_.train_images);
  }
  // The grid point (s, w): the shipped model fine-tuned, pruned to s and quantization-aware at w.
  Point& structure_point(const Point& base, double s, int w) {
    const TrainStep step = structure_train(s, w);
    const std::string first = dnn::gemm_layers(ev_.network(base.model)).front().name;
    const std::string what = (s > 0 ? search_fmt("%.1f %% of the channels pruned", 100 * s) : std::string()) +
                             (s > 0 && w < 8 ? ", " : "") +
                             (w < 8 ? std::to_string(w) + "-bit operands after " + first : std::string());
    const std::string lever = s > 0 && w < 8 ? "prune+precision" : s > 0 ? "prune" : "precision";
    return point(base, lever, structure_step(s, w), what + " (fine-tuned " + std::to_string(step.epochs) + " epochs)",
                 [&](Point& q) {
                   q.sparsity = s, q.width = w, q.mul_layers = step.mul_layers;
                   ev_.train(q, base, step);
                 });
  }

  // 1: channel pruning x operand width, one fine-tuning run per point.
  void structure() {
    if (!opt_.has("prune") && !opt_.has("precision")) return;
    const Point& base = find(chain_.front());
    std::vector<std::pair<double, int>> infeasible;
    std::vector<std::string> feasible_keys;
    auto try_point = [&](double s, int w) {
      const bool dominated = std::any_of(infeasible.begin(), infeasible.end(),
                                         [&](const auto& f) { return s >= f.first && w <= f.second; });
      if (dominated || (!known(base, structure_step(s, w)) && !time_left(train_cost()))) return;
      Point& p = structure_point(base, s, w);
      if (feasible(p))
        feasible_keys.push_back(p.key);
      else
        infeasible.emplace_back(s, w);
    };
    for (const auto& [s, w] : structure_grid())
      try_point(s, w);
    // Where the mildest pruning already breaks the budget at a width, half of it is tried there.
    for (const auto& [s, w] : structure_fallbacks())
      if (std::count(infeasible.begin(), infeasible.end(), std::make_pair(opt_.sparsities.front(), w)))
        try_point(s, w);
    // The feasible points, measured most aggressive first (most pruning, then the narrowest
    // operands), so that a search cut short by time has measured the likeliest winners; the least
    // energy wins.
    std::stable_sort(feasible_keys.begin(), feasible_keys.end(), [&](const std::string& a, const std::string& b) {
      const Point &pa = find(a), &pb = find(b);
      return pa.sparsity != pb.sparsity ? pa.sparsity > pb.sparsity : pa.width < pb.width;
    });
    std::string best;
    for (const auto& k : feasible_keys) {
      Point& p = find(k);
      if (!p.energy && !time_left(measure_cost())) break;
      measure(p);
      if (best.empty() || p.energy->compute_nj < find(best).energy->compute_nj) best = k;
    }
    if (best.empty() || find(best).energy->compute_nj >= current().energy->compute_nj) {
      say("structure: no pruning or narrower operands within the budget spends less");
      return;
    }
    const Point& b = find(best);
    if (b.sparsity > 0 && b.width < 8) {  // the waterfall adds one lever at a time: pruning first
      for (const auto& k : feasible_keys) {
        Point& p = find(k);
        if (p.sparsity == b.sparsity && p.width == 8) {  // measured even when time is short: it is the report
          measure(p);
          chain_.push_back(p.key);
        }
      }
    }
    chain_.push_back(best);
    say("structure: kept " + b.recipe);
  }

  // The evolved lever: per 8-bit layer (most MACs first), the cheapest circuit of the library that
  // keeps the validation accuracy in the budget replaces the layer's multiplier; layers that hold an
  // evolved circuit already try only cheaper ones. Narrower layers keep their truncation ladder.
  template <class Probe>
  void evolved_rungs(const dnn::Network& net, std::vector<dnn::LayerSpec>& specs, const Probe& probe) {
    const std::filesystem::path dir = evo::library_dir(opt_.evo_lib);
    std::vector<evo::LibraryEntry> lib;
    for (const auto& e : evo::list_library(dir))
      if (e.w == 8 && e.is_signed && e.energy_ratio > 0) lib.push_back(e);
    const auto info = dnn::gemm_layers(net);
    std::vector<size_t> order(specs.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return info[a].macs_per_image > info[b].macs_per_image; });
    for (const size_t i : order) {
      if (specs[i].spec.w != 8) continue;
      double now = 1.0;  // the exact or truncated multiplier: any circuit may replace it
      for (const auto& e : lib)
        if (specs[i].spec.family == "evo" && specs[i].spec.get_str("id") == e.id) now = e.energy_ratio;
      for (const auto& e : lib) {
        if (e.energy_ratio >= now || !time_left()) break;
        std::vector<dnn::LayerSpec> trial = specs;
        trial[i].spec = parse_spec("evo:lib=" + dir.string() + ",id=" + e.id);
        if (probe(trial)) {
          specs = trial;
          break;
        }
      }
    }
  }

  // The next rung of the truncation ladders from `cur`, chosen on validation.
  std::vector<std::string> ladder(const Point& cur) {
    const dnn::Network& net = ev_.network(cur.model);
    std::vector<dnn::LayerSpec> specs = dnn::layer_multipliers_from_options(cur.mul_layers, "").resolve(net);
    auto trunc_of = [](const Spec& s) { return s.family == "trunc" ? s.get("t") : 0; };
    auto with_trunc = [](const Spec& s, int t) {
      return parse_spec("trunc:t=" + std::to_string(t) + ",s=1,w=" + std::to_string(s.w));
    };
    auto probe = [&](const std::vector<dnn::LayerSpec>& trial) {
      return feasible(ev_.val_accuracy(cur.model, explicit_layers(trial)));
    };
    if (opt_.has("evolved")) evolved_rungs(net, specs, probe);
    if (opt_.has("layer")) {
      std::vector<size_t> order(specs.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      const auto info = dnn::gemm_layers(net);
      std::stable_sort(order.begin(), order.end(),
                       [&](size_t a, size_t b) { return info[a].macs_per_image > info[b].macs_per_image; });
      for (const size_t i : order)
        for (int t = trunc_of(specs[i].spec) + 1; t < specs[i].spec.w && specs[i].spec.family != "evo" && time_left(); ++t) {
          std::vector<dnn::LayerSpec> trial = specs;
          trial[i].spec = with_trunc(specs[i].spec, t);
          if (!probe(trial)) break;
          specs = trial;
        }
    } else if (opt_.has("approx")) {
      int t = 0;
      for (const auto& s : specs) t = std::max(t, trunc_of(s.spec));
      const int w_min = std::min_element(specs.begin(), specs.end(), [](const auto& a, const auto& b) {
                          return a.spec.w < b.spec.w;
                        })->spec.w;
      for (++t; t < w_min && time_left(); ++t) {
        std::vector<dnn::LayerSpec> trial = specs;
        for (auto& s : trial)
          if (s.spec.family != "evo") s.spec = with_trunc(s.spec, t);
        if (!probe(trial)) break;
        specs = trial;
      }
    }
    return explicit_layers(specs);
  }

  // 2: truncated multipliers, then fine-tuning or tuning for them; again from there.
  void approx_rounds() {
    if (!opt_.has("approx") && !opt_.has("layer") && !opt_.has("evolved")) return;
    for (int round = 1; round <= opt_.ladder_rounds && time_left(measure_cost()); ++round) {
      const Point cur = current();
      const std::vector<std::string> mul = ladder(cur);
      if (mul == explicit_layers(dnn::layer_multipliers_from_options(cur.mul_layers, "")
                                      .resolve(ev_.network(cur.model)))) {
        say("approx: no cheaper multiplier stays within the budget on validation");
        return;
      }
      Point& a = point(cur, "approx", "approx " + joined(mul), "multipliers " + joined(mul),
                       [&](Point& p) { p.mul_layers = mul; });
      const std::string a_key = a.key;
      std::vector<std::string> recover;  // fine-tuned or tuned variants of `a`
      const TrainStep step{mul, 0, opt_.finetune_epochs, kTuneLr};
      const std::string finetune_step =
          "finetune epochs " + std::to_string(step.epochs) + " images " + std::to_string(opt_.train_images);
      if (opt_.has("finetune") &&
          (known(find(a_key), finetune_step) || time_left(train_cost() + measure_cost()))) {
        recover.push_back(point(find(a_key), "finetune", finetune_step,
                                "approximation-aware fine-tuning for them (" + std::to_string(step.epochs) + " epochs)",
                                [&](Point& p) { ev_.train(p, find(a_key), step); })
                              .key);
      }
      const bool narrow = std::any_of(mul.begin(), mul.end(), [](const auto& m) { return m.find("w=8") == std::string::npos; });
      if (opt_.has("tune") && !narrow && time_left())
        recover.push_back(point(find(a_key), "tune", "tune", "weights tuned for them (ALWANN)",
                                [&](Point& p) { ev_.tune(p, find(a_key)); })
                              .key);
      if (!accept(find(a_key))) return;
      // Of the recovered variants, the one with the best validation accuracy continues.
      std::string next;
      for (const auto& k : recover)
        if (feasible(find(k)) && find(k).val_accuracy > find(a_key).val_accuracy &&
            (next.empty() || find(k).val_accuracy > find(next).val_accuracy))
          next = k;
      if (next.empty()) continue;
      Point& r = find(next);
      if (!accept(r)) {  // it may spend a little more than `a` (other weights): keep it for its accuracy
        if (!feasible(r) || !time_left()) continue;
        chain_.push_back(r.key);
        say("kept " + r.recipe + " for the room it leaves in the budget");
      }
    }
  }

  // 3: zero-gated PEs.
  void gate() {
    if (!opt_.has("gate") || !time_left(measure_cost())) return;
    const Point cur = current();
    Point& g = point(cur, "gate", "gate", "zero-gated PEs", [&](Point& p) {
      p.zero_gate = true;
      p.val_accuracy = cur.val_accuracy, p.test_accuracy = cur.test_accuracy, p.config = cur.config;  // same arithmetic
    });
    if (!accept(g)) say("gate: zero gating does not pay on this point");
  }

  void rtl_check() {
    const Point& best = res_.at(chain_.back());
    say("RTL check: " + std::to_string(opt_.rtl_images) + " test images of the chosen point through dnn rtl");
    res_.rtl = ev_.rtl(best);
    say("  " + std::to_string(res_.rtl->mismatches) + " mismatching logits, " +
        std::to_string(res_.rtl->layer_mismatches) + " mismatching layer outputs");
  }

  const ExploreOptions& opt_;
  PointStore store_;
  Evaluator ev_;
  Clock::time_point t0_;
  ExploreResult res_;
  std::vector<std::string> chain_;
  double longest_train_ = 0, longest_measure_ = 0;  // seconds, this run's (time_left)
};

}  // namespace

ExploreResult run_explore(const ExploreOptions& opt) { return Search(opt).run(); }

std::vector<Point> run_explore_share(const ExploreOptions& opt, size_t index, size_t count) {
  return Search(opt).share(index, count);
}

}  // namespace gm::explore
