#include "cli/explore/search.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <set>

#include "cli/explore/evaluator.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "models/dnn/layer_names.hpp"
#include "models/errors.hpp"

namespace gm::explore {

const Point& ExploreResult::at(const std::string& key) const {
  for (const auto& p : points)
    if (p.key == key) return p;
  throw std::logic_error("explore: no point " + key);
}

double validation_reference(const ExploreResult& r, const Point& p) {
  const double base = r.at(r.baseline).val_accuracy;
  const auto ref = r.references.find(p.train_lr);
  if (p.train_lr == 0 || ref == r.references.end()) return base;
  return std::min(base, r.at(ref->second).val_accuracy);
}

namespace {

using Clock = std::chrono::steady_clock;

// Learning rates: pruning needs the larger one to recover (docs/levers.md); quantization- and
// approximation-aware fine-tuning the trainer's default.
constexpr double kPruneLr = 1e-3, kTuneLr = 1e-4;

std::string fmt(const char* f, double v) {
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
  explicit Search(const ExploreOptions& opt) : opt_(opt), store_(opt.out_dir), ev_(opt, store_), t0_(Clock::now()) {}

  ExploreResult run() {
    baseline();
    references();
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

 private:
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - t0_).count(); }
  bool time_left() {
    if (elapsed() < opt_.seconds) return true;
    if (!res_.time_limited) say("the search's time (--seconds " + fmt("%.0f", opt_.seconds) + ") is spent: stopping");
    res_.time_limited = true;
    return false;
  }
  void say(const std::string& what) {
    res_.decisions.push_back(what);
    std::fprintf(stderr, "explore [%4.0f s]: %s\n", elapsed(), what.c_str());
  }
  double reference(const Point& p) const { return res_.baseline.empty() ? p.val_accuracy : validation_reference(res_, p); }
  double loss_pp(const Point& p) const { return (reference(p) - p.val_accuracy) * 100; }
  // `val` measured on a point with `p`'s history (p's model under other multipliers).
  bool feasible(const Point& p, double val) const { return (reference(p) - val) * 100 <= opt_.budget_pp + 1e-9; }
  bool feasible(const Point& p) const { return p.has_val() && feasible(p, p.val_accuracy); }
  Point& current() { return find(chain_.back()); }
  Point& find(const std::string& key) {
    for (auto& p : res_.points)
      if (p.key == key) return p;
    throw std::logic_error("explore: no point " + key);
  }

  // The point `step` makes from `parent`: the stored one when an earlier run evaluated it, else
  // `make` fills it (model, configuration) and its accuracy is measured.
  Point& point(const Point& parent, const std::string& lever, const std::string& step, const std::string& recipe,
               const std::function<void(Point&)>& make) {
    const std::string key = point_key(parent.key, step);
    for (auto& p : res_.points)
      if (p.key == key) return p;
    if (auto stored = store_.load(key)) {
      res_.points.push_back(*stored);
      say("resumed " + recipe);
      return res_.points.back();
    }
    Point p;
    p.key = key, p.lever = lever, p.parent = parent.key, p.recipe = recipe;
    p.model = parent.model, p.mul_layers = parent.mul_layers, p.zero_gate = parent.zero_gate;
    p.sparsity = parent.sparsity, p.width = parent.width, p.train_lr = parent.train_lr;
    make(p);
    if (!p.has_val()) ev_.accuracy(p);
    store_.save(p);
    res_.points.push_back(p);
    if (res_.baseline.empty())
      say(recipe + ": validation " + fmt("%.2f %%", 100 * p.val_accuracy) + ", test " + fmt("%.2f %%", 100 * p.test_accuracy));
    else
      say(recipe + ": validation " + fmt("%.2f %%", 100 * p.val_accuracy) + " (" + fmt("%+.2f pp", -loss_pp(p)) + ")" +
          (feasible(p) ? "" : ", over the budget"));
    return res_.points.back();
  }

  // Measures the point's energy once (kept in its file).
  void measure(Point& p) {
    if (p.energy) return;
    say("measuring " + p.recipe + " (gate level, " + std::to_string(opt_.sim_images) + " images)");
    ev_.energy(p);
    store_.save(p);
    say("  " + fmt("%.0f nJ", p.energy->compute_nj) + ", " + fmt("%.3fx", ratio(p)) + " of the baseline");
  }
  double ratio(const Point& p) const { return p.energy->compute_nj / res_.at(chain_.front()).energy->compute_nj; }
  // Accepts `p` as the next step of the waterfall when it is feasible and spends less.
  bool accept(Point& p) {
    if (!feasible(p) || !time_left()) return false;
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
    Point root;  // the empty parent
    Point& b = point(root, "baseline", "baseline " + opt_.model, "baseline: " + opt_.model + " on exact int8",
                     [&](Point& p) { p.model = opt_.model; });
    res_.baseline = b.key;
    chain_.push_back(b.key);
    measure(b);
    return b;
  }

  // The validation references (search.hpp): the shipped model fine-tuned with no lever, one per
  // learning rate the levers train with.
  void references() {
    std::set<double> rates;
    if (opt_.has("prune")) rates.insert(kPruneLr);
    if (opt_.has("precision") || opt_.has("finetune")) rates.insert(kTuneLr);
    const Point& base = find(res_.baseline);
    for (const double lr : rates) {
      if (!time_left()) return;
      const TrainStep step{{}, 0, opt_.structure_epochs, lr, 1};
      Point& r = point(base, "reference",
                       "reference lr " + fmt("%g", lr) + " epochs " + std::to_string(step.epochs) + " images " +
                           std::to_string(opt_.train_images),
                       "validation reference: the shipped model fine-tuned with no lever (lr " + fmt("%g", lr) + ", " +
                           std::to_string(step.epochs) + " epochs)",
                       [&](Point& p) { ev_.train(p, base, step); });
      res_.references[lr] = r.key;
      say("points trained at lr " + fmt("%g", lr) + " are measured against validation " +
          fmt("%.2f %%", 100 * validation_reference(res_, r)) + " (the shipped model: " +
          fmt("%.2f %%", 100 * base.val_accuracy) + ")");
    }
  }

  // 1: channel pruning x operand width, one fine-tuning run per point.
  void structure() {
    if (!opt_.has("prune") && !opt_.has("precision")) return;
    std::vector<double> sparsities = {0};
    if (opt_.has("prune")) sparsities.insert(sparsities.end(), opt_.sparsities.begin(), opt_.sparsities.end());
    std::vector<int> widths = {8};
    if (opt_.has("precision")) widths.insert(widths.end(), opt_.widths.begin(), opt_.widths.end());
    const Point& base = find(chain_.front());
    const std::string first = dnn::gemm_layers(ev_.network(base.model)).front().name;
    std::vector<std::pair<double, int>> infeasible;
    std::vector<std::string> feasible_keys;
    for (const double s : sparsities)
      for (const int w : widths) {
        if (s == 0 && w == 8) continue;
        const bool dominated = std::any_of(infeasible.begin(), infeasible.end(),
                                           [&](const auto& f) { return s >= f.first && w <= f.second; });
        if (dominated || !time_left()) continue;
        std::vector<std::string> mul;
        if (w < 8) mul = {first + "=exact:s=1", "default=exact:s=1,w=" + std::to_string(w)};
        const std::string what = (s > 0 ? fmt("%.1f %% of the channels pruned", 100 * s) : std::string()) +
                                 (s > 0 && w < 8 ? ", " : "") +
                                 (w < 8 ? std::to_string(w) + "-bit operands after " + first : std::string());
        const std::string lever = s > 0 && w < 8 ? "prune+precision" : s > 0 ? "prune" : "precision";
        const TrainStep step{mul, s, opt_.structure_epochs, s > 0 ? kPruneLr : kTuneLr};
        Point& p = point(base, lever,
                         "structure prune " + fmt("%.4f", s) + " width " + std::to_string(w) + " epochs " +
                             std::to_string(step.epochs) + " images " + std::to_string(opt_.train_images),
                         what + " (fine-tuned " + std::to_string(step.epochs) + " epochs)", [&](Point& q) {
                           q.sparsity = s, q.width = w, q.mul_layers = mul;
                           ev_.train(q, base, step);
                         });
        if (feasible(p))
          feasible_keys.push_back(p.key);
        else
          infeasible.emplace_back(s, w);
      }
    // The feasible points, measured; the least energy wins.
    std::string best;
    for (const auto& k : feasible_keys) {
      if (!time_left()) break;
      Point& p = find(k);
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
        if (p.sparsity == b.sparsity && p.width == 8 && (p.energy || time_left())) {
          measure(p);
          chain_.push_back(p.key);
        }
      }
    }
    chain_.push_back(best);
    say("structure: kept " + b.recipe);
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
      return feasible(cur, ev_.val_accuracy(cur.model, explicit_layers(trial)));
    };
    if (opt_.has("layer")) {
      std::vector<size_t> order(specs.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      const auto info = dnn::gemm_layers(net);
      std::stable_sort(order.begin(), order.end(),
                       [&](size_t a, size_t b) { return info[a].macs_per_image > info[b].macs_per_image; });
      for (const size_t i : order)
        for (int t = trunc_of(specs[i].spec) + 1; t < specs[i].spec.w && time_left(); ++t) {
          std::vector<dnn::LayerSpec> trial = specs;
          trial[i].spec = with_trunc(specs[i].spec, t);
          if (!probe(trial)) break;
          specs = trial;
        }
    } else {
      int t = 0;
      for (const auto& s : specs) t = std::max(t, trunc_of(s.spec));
      const int w_min = std::min_element(specs.begin(), specs.end(), [](const auto& a, const auto& b) {
                          return a.spec.w < b.spec.w;
                        })->spec.w;
      for (++t; t < w_min && time_left(); ++t) {
        std::vector<dnn::LayerSpec> trial = specs;
        for (auto& s : trial) s.spec = with_trunc(s.spec, t);
        if (!probe(trial)) break;
        specs = trial;
      }
    }
    return explicit_layers(specs);
  }

  // 2: truncated multipliers, then fine-tuning or tuning for them; again from there.
  void approx_rounds() {
    if (!opt_.has("approx") && !opt_.has("layer")) return;
    for (int round = 1; round <= opt_.ladder_rounds && time_left(); ++round) {
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
      if (opt_.has("finetune") && time_left()) {
        const TrainStep step{mul, 0, opt_.finetune_epochs, kTuneLr};
        recover.push_back(point(find(a_key), "finetune",
                                "finetune epochs " + std::to_string(step.epochs) + " images " +
                                    std::to_string(opt_.train_images),
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
    if (!opt_.has("gate") || !time_left()) return;
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
};

}  // namespace

ExploreResult run_explore(const ExploreOptions& opt) { return Search(opt).run(); }

}  // namespace gm::explore
