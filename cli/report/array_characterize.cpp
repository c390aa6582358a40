#include "cli/report/array_characterize.hpp"

#include <cmath>
#include <sstream>

#include "cli/report/index_html.hpp"
#include "models/files.hpp"
#include "models/golden_gemm.hpp"
#include "synth/flow.hpp"

namespace fs = std::filesystem;

namespace gm {

ArrayCharReport characterize_array(const ArrayConfig& cfg, const GemmProblem& gemm, const ArraySynthOptions& opt) {
  ArrayCharReport rep;
  const ArrayConfig exact = exact_array_config(cfg);
  ArraySynthOptions o = opt;
  o.keep_dir.clear();  // the report directory holds the reports, not the netlists
  rep.array = synth_array(cfg, gemm, o);
  rep.exact = synth_array(exact, gemm, o);
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  const ArraySynthResult &a = rep.array, &e = rep.exact;
  rep.vs_exact = {ratio(a.area_um2, e.area_um2), ratio(a.delay_ns, e.delay_ns),
                  ratio(a.simulated.total_mw, e.simulated.total_mw),
                  ratio(a.vectorless.total_mw, e.vectorless.total_mw),
                  ratio(a.energy_per_mac_pj(), e.energy_per_mac_pj())};
  const auto y = golden_gemm(pe_tables(cfg), cfg.rows, cfg.cols, cfg.acc_width, gemm.x.data(), gemm.w.data(), gemm.m,
                             gemm.k, gemm.n);
  const auto ye = golden_gemm(pe_tables(exact), cfg.rows, cfg.cols, cfg.acc_width, gemm.x.data(), gemm.w.data(),
                              gemm.m, gemm.k, gemm.n);
  double err = 0, mag = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    err += std::abs(static_cast<double>(y[i]) - static_cast<double>(ye[i]));
    mag += std::abs(static_cast<double>(ye[i]));
  }
  rep.gemm_mean_abs_error = y.empty() ? 0 : err / y.size();
  rep.gemm_rel_error = mag > 0 ? err / mag : 0;
  return rep;
}

nlohmann::json array_char_json(const ArrayCharReport& rep) {
  const CostRatios& r = rep.vs_exact;
  return {{"array", array_synth_json(rep.array)},
          {"exact", array_synth_json(rep.exact)},
          {"vs_exact",
           {{"area", r.area}, {"delay", r.delay}, {"power", r.power}, {"power_vectorless", r.power_vectorless},
            {"energy_per_mac", r.energy}}},
          {"gemm_mean_abs_error", rep.gemm_mean_abs_error},
          {"gemm_rel_error", rep.gemm_rel_error}};
}

CheckLog array_char_checks(const ArrayCharReport& rep) {
  CheckLog checks;
  for (const ArraySynthResult* r : {&rep.array, &rep.exact})
    checks.expect(r->netlist_matches_model, "characterize: the mapped netlist of " + r->name +
                                                " does not reproduce the golden GEMM and the cycle model");
  return checks;
}

void write_array_characterization(const ArrayCharReport& rep, const fs::path& dir) {
  using flow::fmt;  // here, not at namespace scope: a unity group (GM_UNITY) would carry it into the next file
  ensure_output_dir(dir);
  write_file_atomic(dir / "report.json", array_char_json(rep).dump(2) + "\n");
  write_file_atomic(dir / "results.csv", array_synth_csv({rep.array, rep.exact}));
  const ArraySynthResult &a = rep.array, &e = rep.exact;
  const CostRatios& r = rep.vs_exact;
  std::ostringstream md;
  md << "# greenmac array characterization\n\n" << array_char_checks(rep).markdown_lines()
     << "Each array is flattened and mapped by Yosys onto " << a.lib << ", timed by OpenSTA at a " << fmt(a.clock_ns, 3)
     << " ns clock, and its power estimated vectorless (data inputs at 0.5 transitions per cycle) and from a "
     << (a.activity_model == "timed" ? "timed (SDF delays, glitches counted)" : "zero-delay")
     << " gate-level simulation of the mapped netlist running a " << a.gemm_m << "x" << a.gemm_k << "x"
     << a.gemm_n << " GEMM (" << a.macs() << " MACs, " << a.cycles << " cycles, the harness's full-rate streams; "
     << (a.activity_model == "timed" ? "glitch share " + fmt(a.glitch_share, 3) : std::string("glitches not counted"))
     << "). Energy per MAC = simulated power x clock period x cycles / MACs. The baseline is "
     << "the same array with exact multipliers.\n\n";
  md << "| array | multiplier | area µm² | delay ns | power mW (vectorless) | power mW (sim.) | energy pJ/MAC | "
        "netlist = golden |\n|---|---|---|---|---|---|---|---|\n";
  for (const auto* x : {&a, &e})
    md << "| " << x->rows << "x" << x->cols << " | `" << x->mul << "`" << (x == &e ? " (baseline)" : "") << " | "
       << fmt(x->area_um2, 6) << " | " << fmt(x->delay_ns, 4) << " | " << fmt(x->vectorless.total_mw, 4) << " | "
       << fmt(x->simulated.total_mw, 4) << " | " << fmt(x->energy_per_mac_pj(), 4) << " | "
       << (x->netlist_matches_model ? "yes" : "NO") << " |\n";
  md << "| ratio | | " << fmt(r.area, 4) << " | " << fmt(r.delay, 4) << " | " << fmt(r.power_vectorless, 4) << " | "
     << fmt(r.power, 4) << " | " << fmt(r.energy, 4) << " | |\n\n";
  md << "GEMM output error against the exact array: mean |ΔY| = " << fmt(rep.gemm_mean_abs_error, 6)
     << ", Σ|ΔY| / Σ|Y| = " << fmt(rep.gemm_rel_error, 6) << ".\n";
  write_file_atomic(dir / "report.md", md.str());
  write_index_html(dir);  // last: the page lists what is in dir
}

}  // namespace gm
