#include "cli/report/index_html.hpp"
#include "cli/evolve/report.hpp"

#include <cstdio>
#include <iostream>

#include "models/checks.hpp"
#include "models/files.hpp"

namespace gm {
namespace {

std::string fixed_digits(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

double ratio(double x, double base) { return base > 0 ? x / base : 0; }

}  // namespace

nlohmann::ordered_json evolve_json(const EvolveResult& r) {
  nlohmann::ordered_json j;
  j["seed_design"] = r.seed_spec;
  j["seed"] = {{"gates", r.seed_gates},
               {"switching_estimate", r.seed_fitness.energy},
               {"area_um2_estimate", r.seed_fitness.area},
               {"measured_pj", r.seed_measured_pj},
               {"measured_area_um2", r.seed_measured_area_um2}};
  j["dist"] = r.dist_origin;
  if (!r.layers.empty()) {  // --dist-layer: every bound held on these histograms too
    j["dist_layers"] = nlohmann::ordered_json::object();
    for (const auto& [name, origin] : r.layers) j["dist_layers"][name] = origin;
  }
  j["stream"] = r.stream_label;
  j["switching_delay"] = evo::activity_delay_name(r.activity_delay);
  j["stream_pairs"] = r.stream_pairs;
  j["dist_entries"] = r.dist_entries;
  j["library_costs"] = r.costs.library;
  j["evaluations_per_second"] = r.evaluations_per_second;
  if (r.shards > 1) j["shards"] = r.shards;  // absent from an unsharded run (and from a merge of --shard 0/1)
  j["circuits"] = nlohmann::ordered_json::array();
  for (const auto& c : r.circuits) {
    const auto& f = c.fitness;
    j["circuits"].push_back({{"bound", c.bound},
                             {"met", c.met},
                             {"id", c.id},
                             {"spec", c.spec},
                             {"er", f.error.er},
                             {"wmed", f.error.wmed},
                             {"wmred", f.error.wmred},
                             {"wce", f.error.wce},
                             {"bias", f.error.bias},
                             {"wmse", f.error.wmse},
                             {"gates", f.gates},
                             {"switching_estimate_ratio", ratio(f.energy, r.seed_fitness.energy)},
                             {"area_estimate_ratio", ratio(f.area, r.seed_fitness.area)},
                             {"measured_pj", c.measured_pj},
                             {"measured_energy_ratio", ratio(c.measured_pj, r.seed_measured_pj)},
                             {"measured_area_um2", c.measured_area_um2},
                             {"measured_area_ratio", ratio(c.measured_area_um2, r.seed_measured_area_um2)},
                             {"netlist_matches_model", c.netlist_matches_model},
                             {"metrics_within_bound", c.metrics_within_bound},
                             {"evaluations", c.evaluations},
                             {"generations", c.generations},
                             {"seconds", c.seconds},
                             {"resumed", c.resumed}});
    if (r.shards > 1) j["circuits"].back()["random_seed"] = c.random_seed;  // which shard's search it is
    if (!r.layers.empty() && f.layer_errors.size() == r.layers.size()) {  // each --dist-layer histogram's figures
      auto& layers = j["circuits"].back()["layers"] = nlohmann::ordered_json::object();
      for (size_t l = 0; l < r.layers.size(); ++l) {
        const auto& e = f.layer_errors[l];
        layers[r.layers[l].first] = {{"er", e.er},     {"wmed", e.wmed}, {"wmred", e.wmred},
                                     {"wce", e.wce},   {"bias", e.bias}, {"wmse", e.wmse}};
      }
    }
  }
  return j;
}

std::string evolve_markdown(const EvolveResult& r) {
  const bool measured = r.seed_measured_pj > 0;
  std::string s = "# greenmac evolve\n\n";
  s += "Seed design `" + r.seed_spec + "` (" + std::to_string(r.seed_gates) + " gates). Error weighted by " +
       std::to_string(r.dist_entries) + " operand pairs of " + r.dist_origin + "; switching from " + std::to_string(r.stream_pairs) +
       " pairs: " + r.stream_label + ". Cell areas: " + r.costs.library + ".\n\n";
  s += std::string("The estimate is the search's own cost (sum over gates of cell area x toggle rate, ") +
       (r.activity_delay == evo::ActivityDelay::kUnit ? "unit delay, glitches counted" : "zero delay") + "): an "
       "ESTIMATE. The measurement is `greenmac synth` on the same stream (Yosys, OpenSTA, timed gate-level "
       "activity): the energy per operation of the multiplier's own cells.\n\n";
  if (r.shards > 1)
    s += "Merged from " + std::to_string(r.shards) + " independent searches (`--shard I/" + std::to_string(r.shards) +
         "`, random seed --seed + I): per bound, the cheapest circuit that met it over all of them.\n\n";
  s += "| bound | id | gates | WMED | bias | WCE | switching estimate / seed | measured energy / seed | "
       "measured pJ | evaluations | s |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& c : r.circuits) {
    const auto& f = c.fitness;
    s += "| `" + c.bound + "` | " + (c.met ? "`" + c.id + "`" : "not met") + " | " + std::to_string(f.gates) + " | " +
         fixed_digits(f.error.wmed, 3) + " | " + fixed_digits(f.error.bias, 3) + " | " + fixed_digits(f.error.wce, 0) + " | " +
         fixed_digits(ratio(f.energy, r.seed_fitness.energy), 3) + " | " +
         (measured && c.met ? fixed_digits(ratio(c.measured_pj, r.seed_measured_pj), 3) : "-") + " | " +
         (measured && c.met ? fixed_digits(c.measured_pj, 3) : "-") + " | " + std::to_string(c.evaluations) + " | " +
         fixed_digits(c.seconds, 1) + " |\n";
  }
  if (!r.layers.empty()) {
    s += "\nEvery bound held on each layer's own histogram too (`--dist-layer`):";
    for (const auto& [name, origin] : r.layers) s += " " + name + " (" + origin + ")";
    s += ".\n\n| bound | id | layer | WMED | bias | WCE | ER |\n|---|---|---|---|---|---|---|\n";
    for (const auto& c : r.circuits) {
      if (c.fitness.layer_errors.size() != r.layers.size()) continue;
      for (size_t l = 0; l < r.layers.size(); ++l) {
        const auto& e = c.fitness.layer_errors[l];
        s += "| `" + c.bound + "` | " + (c.met ? "`" + c.id + "`" : "not met") + " | " + r.layers[l].first + " | " +
             fixed_digits(e.wmed, 3) + " | " + fixed_digits(e.bias, 3) + " | " + fixed_digits(e.wce, 0) + " | " + fixed_digits(e.er, 4) + " |\n";
      }
    }
  }
  s += "\nSeed: " + (measured ? fixed_digits(r.seed_measured_pj, 3) + " pJ per operation measured, " : std::string()) +
       "search speed " + fixed_digits(r.evaluations_per_second, 0) + " evaluations/s.\n";
  return s;
}

int finish_evolve_report(const EvolveResult& r, const std::filesystem::path& lib, bool json) {
  const auto j = evolve_json(r);
  const std::string md = evolve_markdown(r);
  write_file_atomic(lib / "evolve.json", j.dump(2) + "\n");
  write_file_atomic(lib / "evolve.md", md);
  write_index_html(lib);
  std::cout << (json ? j.dump(2) + "\n" : md);
  CheckLog checks;
  for (const auto& c : r.circuits) {
    checks.expect(c.met, "evolve: no circuit within " + c.bound + " was found from " + r.seed_spec +
                             "; search longer (--seconds) or start from a design nearer the bound (--seed-from)");
    checks.expect(c.metrics_within_bound, "evolve: circuit " + c.id + " stored for " + c.bound + " exceeds it on " +
                                              c.outside_on + " when its metrics are recomputed from the file");
    checks.expect(c.netlist_matches_model,
                  "evolve: the mapped netlist of circuit " + c.id + " does not reproduce its model (run greenmac verify)");
  }
  return checks.finish();
}

}  // namespace gm
