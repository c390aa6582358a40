// The voltage-scaling ESTIMATE beside a measured energy per inference (models/energy/supply_voltage.hpp,
// docs/energy.md "Voltage scaling"): the lowest supply the design's slack allows at its clock, and the
// DVFS curve over other clocks. Printed and written apart from the measured figures, never in them.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/energy/supply_voltage.hpp"
#include "synth/inference_energy.hpp"

namespace gm {

struct VoltageReport {
  energy::SupplyModel model;
  energy::InferenceEnergySplit measured;  // at the nominal supply and clock
  double critical_ns = 0;                 // clock - slack
  energy::VoltageEstimate at_clock;       // the measured clock, lowest supply
  std::vector<energy::VoltageEstimate> dvfs;
};

// From a whole-inference measurement (infer-energy): the compute energy less the leakage is the
// dynamic part; the critical path is the clock less the worst slack.
VoltageReport voltage_report(const InferenceEnergyResult& r, const energy::SupplyModel& model,
                             const std::vector<double>& dvfs_clocks_ns);

nlohmann::json voltage_report_json(const VoltageReport& v);
std::string voltage_report_text(const VoltageReport& v);

}  // namespace gm
