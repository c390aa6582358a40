#include "cli/report/voltage_report.hpp"

#include <iomanip>
#include <sstream>

namespace gm {

VoltageReport voltage_report(const InferenceEnergyResult& r, const energy::SupplyModel& model,
                             const std::vector<double>& dvfs_clocks_ns) {
  VoltageReport v;
  v.model = model;
  const double leak_nj = r.leakage_mw * r.cycles_per_inference * r.clock_ns * 1e-3;  // mW x ns = pJ
  v.measured = {.dynamic_nj = r.energy_nj - leak_nj, .leakage_mw = r.leakage_mw, .cycles = r.cycles_per_inference};
  v.critical_ns = r.clock_ns - r.slack_ns;
  v.at_clock = energy::estimate_at_clock(model, v.measured, v.critical_ns, r.clock_ns, r.clock_ns);
  v.dvfs = energy::dvfs_curve(model, v.measured, v.critical_ns, r.clock_ns, dvfs_clocks_ns);
  return v;
}

namespace {

nlohmann::json point_json(const energy::VoltageEstimate& e) {
  return {{"clock_ns", e.point.clock_ns},
          {"meets_timing", e.point.meets_timing},
          {"supply_v", e.point.supply_v},
          {"at_floor", e.point.at_floor},
          {"delay_factor", e.point.delay_factor},
          {"energy_nj", e.total_nj},
          {"dynamic_nj", e.dynamic_nj},
          {"leakage_nj", e.leakage_nj},
          {"ratio_to_measured", e.ratio},
          {"inferences_per_s", e.inferences_per_s}};
}

}  // namespace

nlohmann::json voltage_report_json(const VoltageReport& v) {
  nlohmann::json curve = nlohmann::json::array();
  for (const auto& e : v.dvfs) curve.push_back(point_json(e));
  return {{"estimate", true},
          {"method", v.model.describe()},
          {"critical_ns", v.critical_ns},
          {"measured_dynamic_nj", v.measured.dynamic_nj},
          {"measured_leakage_mw", v.measured.leakage_mw},
          {"at_clock", point_json(v.at_clock)},
          {"dvfs", curve}};
}

std::string voltage_report_text(const VoltageReport& v) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(3);
  const auto& a = v.at_clock;
  os << "  voltage scaling (ESTIMATE, not measured: " << v.model.describe() << ")\n";
  os << "    critical path " << v.critical_ns << " ns at " << v.model.v_nom << " V; ";
  if (!a.point.meets_timing)
    os << "it misses the " << a.point.clock_ns << " ns clock: no lower supply\n";
  else
    os << "lowest supply at " << a.point.clock_ns << " ns: " << a.point.supply_v << " V"
       << (a.point.at_floor ? " (the floor)" : "") << ", " << std::setprecision(1) << a.total_nj << " nJ per inference ("
       << std::setprecision(3) << a.ratio << " x the measured " << std::setprecision(1) << a.nominal_nj << " nJ)\n";
  if (v.dvfs.empty()) return os.str();
  os << "    DVFS   clock ns   supply V   nJ/inference   x measured   inferences/s\n";
  for (const auto& e : v.dvfs) {
    os << "         " << std::setw(8) << std::setprecision(2) << e.point.clock_ns;
    if (!e.point.meets_timing) {
      os << "   misses timing at " << v.model.v_nom << " V\n";
      continue;
    }
    os << "   " << std::setw(8) << std::setprecision(3) << e.point.supply_v << "   " << std::setw(12)
       << std::setprecision(1) << e.total_nj << "   " << std::setw(10) << std::setprecision(3) << e.ratio << "   "
       << std::setw(12) << std::setprecision(0) << e.inferences_per_s << "\n";
  }
  return os.str();
}

}  // namespace gm
