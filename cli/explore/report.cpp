#include "cli/explore/report.hpp"

#include <cstdio>
#include <sstream>

#include "cli/report/index_html.hpp"
#include "cli/report/plot.hpp"
#include "models/files.hpp"

namespace fs = std::filesystem;

namespace gm::explore {
namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

const Point& baseline(const ExploreResult& r) { return r.at(r.baseline); }

// A waterfall step's label: the lever it adds to the step before ("+precision" after "+prune" for a
// pruned and narrowed point).
std::string step_label(const ExploreResult& r, size_t i) {
  const Point& p = r.at(r.waterfall[i]);
  if (i == 0) return "baseline";
  const std::string& before = r.at(r.waterfall[i - 1]).lever;
  if (p.lever == "prune+precision" && before == "prune") return "+precision";
  return "+" + p.lever;
}
double ratio(const ExploreResult& r, const Point& p) {
  return p.energy ? p.energy->compute_nj / baseline(r).energy->compute_nj : -1;
}
double loss_pp(double base, double acc) { return (base - acc) * 100; }
bool in_waterfall(const ExploreResult& r, const std::string& key) {
  for (const auto& k : r.waterfall)
    if (k == key) return true;
  return false;
}

nlohmann::json point_json(const ExploreResult& r, const ExploreOptions& opt, const Point& p) {
  const Point& b = baseline(r);
  nlohmann::json j = to_json(p);
  j["val_loss_pp"] = loss_pp(r.baseline_val(), p.val_accuracy);
  j["test_loss_pp"] = loss_pp(b.test_accuracy, p.test_accuracy);
  j["feasible"] = loss_pp(r.baseline_val(), p.val_accuracy) <= opt.budget_pp + 1e-9;
  j["in_waterfall"] = in_waterfall(r, p.key);
  if (p.energy) {
    j["energy_nj"] = p.energy->compute_nj;
    j["energy_ratio"] = ratio(r, p);
    j["energy_ratio_with_voltage"] = p.energy->voltage_nj / b.energy->compute_nj;
  } else {
    j["energy_nj"] = nullptr;
    j["energy_ratio"] = nullptr;
    j["energy_ratio_with_voltage"] = nullptr;
  }
  return j;
}

const char* kMethods =
    "compute energy MEASURED: gate-level whole inferences of the first test images through the synthesized arrays' "
    "mapped netlists (OSU018, OpenSTA pin energies; per-layer multipliers: one array per distinct multiplier, "
    "docs/energy.md); storage energy a TABLE ESTIMATE (accesses outside the array x energy per access); voltage an "
    "ESTIMATE (alpha-power law at the lowest supply the worst slack allows), never inside the measured figures; "
    "accuracy: the golden int8 path; selection on the validation split (the last 10,000 training images), test "
    "accuracy reported only";

std::string csv_field(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string front_csv(const ExploreResult& r, const ExploreOptions& opt) {
  std::ostringstream os;
  os << "key,lever,recipe,config,zero_gate,sparsity,width,val_accuracy,test_accuracy,val_loss_pp,test_loss_pp,"
        "feasible,energy_nj,energy_ci_nj,storage_nj_estimate,voltage_nj_estimate,energy_ratio,"
        "energy_ratio_with_voltage,cycles,in_waterfall\n";
  for (const Point& p : r.points) {
    const nlohmann::json j = point_json(r, opt, p);
    os << p.key << "," << p.lever << "," << csv_field(p.recipe) << "," << csv_field(p.config) << "," << p.zero_gate
       << "," << p.sparsity << "," << p.width << "," << p.val_accuracy << "," << p.test_accuracy << ","
       << j["val_loss_pp"].get<double>() << "," << j["test_loss_pp"].get<double>() << "," << j["feasible"].get<bool>()
       << ",";
    if (p.energy)
      os << p.energy->compute_nj << "," << p.energy->compute_ci_nj << "," << p.energy->storage_nj << ","
         << p.energy->voltage_nj << "," << j["energy_ratio"].get<double>() << ","
         << j["energy_ratio_with_voltage"].get<double>() << "," << p.energy->cycles;
    else
      os << ",,,,,,";
    os << "," << in_waterfall(r, p.key) << "\n";
  }
  return os.str();
}

void draw_plots(const ExploreResult& r, const ExploreOptions& opt) {
  const Point& b = baseline(r);
  ScatterPlot front{.stem = "front",
                    .title = "explore: energy per inference against validation accuracy (budget " +
                             fmt("%.2f", opt.budget_pp) + " pp)",
                    .xlabel = "compute energy / exact int8 array (measured)",
                    .ylabel = "validation accuracy loss, pp (selection)"};
  for (const Point& p : r.points)
    if (p.energy)
      front.points.push_back(
          {p.lever, ratio(r, p), loss_pp(r.baseline_val(), p.val_accuracy), in_waterfall(r, p.key)});
  draw_scatter(front, opt.out_dir);
  StackedBars w{.stem = "waterfall",
                .title = "explore waterfall: energy per inference after each lever (last bar: voltage ESTIMATE)",
                .ylabel = "energy / exact int8 array",
                .segments = {"remaining", "saved by this lever"}};
  double prev = 1;
  for (size_t i = 0; i < r.waterfall.size(); ++i) {
    const Point& p = r.at(r.waterfall[i]);
    const double x = ratio(r, p);
    w.labels.push_back(step_label(r, i));
    w.values.push_back({x, std::max(0.0, prev - x)});
    prev = x;
  }
  const Point& best = r.at(r.best);
  if (opt.has("voltage") && best.energy) {
    const double v = best.energy->voltage_nj / b.energy->compute_nj;
    w.labels.push_back("+voltage (estimate)");
    w.values.push_back({v, std::max(0.0, prev - v)});
  }
  draw_stacked_bars(w, opt.out_dir);
}

std::string report_md(const ExploreResult& r, const ExploreOptions& opt) {
  const Point& b = baseline(r);
  const Point& best = r.at(r.best);
  std::ostringstream md;
  md << "# greenmac explore: " << opt.model << ", budget " << fmt("%.2f", opt.budget_pp) << " pp\n\n"
     << "Chosen on the validation split (the last 10,000 training images); the test accuracy is reported and "
        "was never used to choose. Every loss is measured against the shipped model's validation accuracy; "
        "the shipped models never trained on the validation images (docs/explore.md, \"Honest selection\").\n\n"
     << "- baseline: exact int8 array " << opt.rows << "x" << opt.cols << ", shipped model, no gating, nominal supply: "
     << fmt("%.0f nJ", b.energy->compute_nj) << " per inference (measured), test accuracy "
     << fmt("%.2f %%", 100 * b.test_accuracy) << "\n"
     << "- chosen: " << best.recipe << "\n"
     << "  - configuration: `" << best.config << "`" << (best.zero_gate ? ", zero-gated" : "") << "\n"
     << "  - model file: `" << best.model << "`\n"
     << "  - energy " << fmt("%.0f", best.energy->compute_nj) << " ± " << fmt("%.0f nJ", best.energy->compute_ci_nj)
     << " (measured), **" << fmt("%.3fx", ratio(r, best)) << "** of the baseline; with the voltage ESTIMATE "
     << fmt("%.3fx", best.energy->voltage_nj / b.energy->compute_nj) << " at " << fmt("%.2f V", best.energy->voltage_v)
     << "\n"
     << "  - accuracy: validation " << fmt("%.2f %%", 100 * best.val_accuracy) << " ("
     << fmt("%+.2f pp", -loss_pp(r.baseline_val(), best.val_accuracy)) << " against "
     << fmt("%.2f %%", 100 * r.baseline_val()) << "), test "
     << fmt("%.2f %%", 100 * best.test_accuracy) << " (" << fmt("%+.2f pp", -loss_pp(b.test_accuracy, best.test_accuracy))
     << ")\n";
  if (r.rtl)
    md << "  - RTL check: " << r.rtl->images << " test images through `dnn rtl`, " << r.rtl->mismatches
       << " mismatching logits, " << r.rtl->layer_mismatches << " mismatching layer outputs\n";
  md << "- search: " << r.points.size() << " points, " << fmt("%.0f s", r.seconds)
     << (r.time_limited ? " (stopped by --seconds)" : "") << (opt.quick ? ", --quick" : "") << "\n\n";
  md << "## Waterfall\n\n![waterfall](waterfall.svg)\n\n| step | what | energy nJ | ratio | val loss pp | test loss pp |\n"
        "|---|---|---|---|---|---|\n";
  for (size_t i = 0; i < r.waterfall.size(); ++i) {
    const Point& p = r.at(r.waterfall[i]);
    md << "| " << step_label(r, i) << " | " << p.recipe << " | "
       << fmt("%.0f", p.energy->compute_nj) << " | " << fmt("%.3f", ratio(r, p)) << " | "
       << fmt("%.2f", loss_pp(r.baseline_val(), p.val_accuracy)) << " | "
       << fmt("%.2f", loss_pp(b.test_accuracy, p.test_accuracy)) << " |\n";
  }
  if (opt.has("voltage"))
    md << "| +voltage | ESTIMATE: the chosen point at " << fmt("%.2f V", best.energy->voltage_v) << " | "
       << fmt("%.0f", best.energy->voltage_nj) << " | " << fmt("%.3f", best.energy->voltage_nj / b.energy->compute_nj)
       << " | | |\n";
  md << "\n## Front\n\nEvery point whose energy was measured (the points over the budget on validation were not "
        "measured); the waterfall's points are marked.\n\n![front](front.svg)\n\n"
        "| lever | what | val loss pp | test loss pp | energy ratio |\n|---|---|---|---|---|\n";
  for (const Point& p : r.points)
    md << "| " << p.lever << " | " << p.recipe << " | "
       << fmt("%.2f", loss_pp(r.baseline_val(), p.val_accuracy)) << " | "
       << fmt("%.2f", loss_pp(b.test_accuracy, p.test_accuracy)) << " | "
       << (p.energy ? fmt("%.3f", ratio(r, p)) : std::string("not measured")) << " |\n";
  md << "\n## Method\n\n" << kMethods << ".\n\n## Decisions\n\n";
  for (const auto& d : r.decisions) md << "- " << d << "\n";
  return md.str();
}

}  // namespace

nlohmann::json best_json(const ExploreResult& r, const ExploreOptions& opt) {
  const Point& b = baseline(r);
  const Point& best = r.at(r.best);
  nlohmann::json j = {{"config", best.config},
                      {"model", best.model},
                      {"recipe", best.recipe},
                      {"zero_gate", best.zero_gate},
                      {"val_accuracy", best.val_accuracy},
                      {"test_accuracy", best.test_accuracy},
                      {"exact_test_accuracy", b.test_accuracy},
                      {"exact_val_accuracy", b.val_accuracy},
                      {"energy_nj", best.energy->compute_nj},
                      {"energy_ci_nj", best.energy->compute_ci_nj},
                      {"storage_nj_estimate", best.energy->storage_nj},
                      {"baseline_energy_nj", b.energy->compute_nj},
                      {"energy_ratio", ratio(r, best)},
                      {"energy_ratio_with_voltage", best.energy->voltage_nj / b.energy->compute_nj},
                      {"voltage_v_estimate", best.energy->voltage_v},
                      {"rtl_images", r.rtl ? r.rtl->images : 0},
                      {"rtl_mismatches", r.rtl ? r.rtl->mismatches + r.rtl->layer_mismatches : 0},
                      {"budget_pp", opt.budget_pp},
                      {"selection", "validation split (last 10,000 training images); test accuracy only reported"},
                      {"methods", kMethods},
                      {"seconds", r.seconds},
                      {"points", r.points.size()}};
  j["waterfall"] = nlohmann::json::array();
  for (const auto& k : r.waterfall)
    j["waterfall"].push_back({{"lever", k == r.baseline ? "baseline" : r.at(k).lever},
                              {"recipe", r.at(k).recipe},
                              {"energy_ratio", ratio(r, r.at(k))}});
  return j;
}

void write_explore_report(const ExploreResult& r, const ExploreOptions& opt) {
  const fs::path dir = opt.out_dir;
  nlohmann::json front = {{"model", opt.model},   {"budget_pp", opt.budget_pp}, {"baseline", r.baseline},
                          {"best", r.best},        {"methods", kMethods},        {"points", nlohmann::json::array()}};
  for (const Point& p : r.points) front["points"].push_back(point_json(r, opt, p));
  write_file_atomic(dir / "front.json", front.dump(2) + "\n");
  write_file_atomic(dir / "front.csv", front_csv(r, opt));
  write_file_atomic(dir / "best.json", best_json(r, opt).dump(2) + "\n");
  draw_plots(r, opt);
  write_file_atomic(dir / "report.md", report_md(r, opt));
  write_index_html(dir);  // last: the page lists what is in dir
}

}  // namespace gm::explore
