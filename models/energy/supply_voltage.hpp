// Voltage scaling, an ESTIMATE (docs/energy.md, "Voltage scaling"): how far a design's timing slack
// at its clock lets the supply drop, and what that does to its energy per inference. Nothing here
// is measured: the Liberty library is characterized at one supply (OSU018: 1.8 V), and the delay at
// any other supply comes from the alpha-power law (Sakurai and Newton, JSSC 1990):
//
//     delay(V) ~ V / (V - Vth)^alpha
//
// Dynamic energy scales as (V / Vnom)^2 (E = C V^2 per transition, the same transitions). Leakage
// power scales as (V / Vnom) * exp(eta (V - Vnom) / (n vT)): the subthreshold current falls with
// the drain-induced barrier lowering (DIBL, coefficient eta) as V drops. Leakage energy per
// inference is that power times the inference's time (cycles x clock period).
//
// Callers report these figures beside the measured ones, never folded into them.
#pragma once

#include <string>
#include <vector>

namespace gm::energy {

// The alpha-power law's parameters and the leakage rule's (defaults for 180 nm: docs/energy.md).
struct SupplyModel {
  double v_nom = 1.8;     // the Liberty's nom_voltage (OSU018)
  double v_th = 0.45;     // threshold voltage, V
  double alpha = 1.3;     // velocity-saturation index, 1 (fully saturated) .. 2 (long channel)
  double v_min = 0.9;     // lowest supply considered: below it the law is not trusted here
  double dibl_eta = 0.1;  // DIBL coefficient (V/V)
  double n_sub = 1.5;     // subthreshold slope factor
  double v_thermal = 0.02585;  // kT/q at 300 K, V

  // delay(V) / delay(Vnom): > 1 below the nominal supply.
  double delay_factor(double v) const;
  // Dynamic energy at V over the nominal: (V / Vnom)^2.
  double dynamic_factor(double v) const;
  // Leakage power at V over the nominal.
  double leakage_factor(double v) const;
  // Throws UserError when a parameter is out of its range (v_th < v_min <= v_nom, 1 <= alpha <= 2, ...).
  void check() const;
  std::string describe() const;  // "alpha-power law, Vnom 1.8 V, Vth 0.45 V, alpha 1.3, floor 0.9 V"
};

// The lowest supply at a clock: the smallest V in [v_min, v_nom] (to 1 mV) at which the critical
// path, critical_ns at the nominal supply, still fits the clock period.
struct SupplyPoint {
  double clock_ns = 0, critical_ns = 0;
  double supply_v = 0;        // the lowest supply that meets timing (v_nom when there is no slack)
  bool meets_timing = false;  // false: the critical path misses the clock even at v_nom
  bool at_floor = false;      // the floor v_min, not timing, stopped the descent
  double delay_factor = 1, dynamic_factor = 1, leakage_factor = 1;
};
SupplyPoint lowest_supply(const SupplyModel& model, double critical_ns, double clock_ns);

// One inference's energy split as measured at the nominal supply.
struct InferenceEnergySplit {
  double dynamic_nj = 0;   // everything that scales with V^2 (switching, internal, clock pins)
  double leakage_mw = 0;   // leakage power
  double cycles = 0;       // per inference
};

// The estimate at one operating point: the energy per inference and the throughput there.
struct VoltageEstimate {
  SupplyPoint point;
  double dynamic_nj = 0, leakage_nj = 0, total_nj = 0;  // per inference, at point.supply_v
  double nominal_nj = 0;     // the same inference at v_nom and the nominal clock (the measured one)
  double ratio = 1;          // total_nj / nominal_nj
  double inferences_per_s = 0;
};

// The energy at the lowest supply for `clock_ns`, from the split measured at `nominal_clock_ns`
// and the nominal supply. Leakage energy follows the period (a slower clock leaks longer).
VoltageEstimate estimate_at_clock(const SupplyModel& model, const InferenceEnergySplit& measured,
                                  double critical_ns, double nominal_clock_ns, double clock_ns);

// The DVFS curve: estimate_at_clock for each clock period (ns), in the given order.
std::vector<VoltageEstimate> dvfs_curve(const SupplyModel& model, const InferenceEnergySplit& measured,
                                        double critical_ns, double nominal_clock_ns,
                                        const std::vector<double>& clocks_ns);

}  // namespace gm::energy
