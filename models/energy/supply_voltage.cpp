#include "models/energy/supply_voltage.hpp"

#include <cmath>
#include <sstream>

#include "models/errors.hpp"

namespace gm::energy {

namespace {

// V / (V - Vth)^alpha, the alpha-power law's delay up to a constant.
double raw_delay(const SupplyModel& m, double v) { return v / std::pow(v - m.v_th, m.alpha); }

}  // namespace

double SupplyModel::delay_factor(double v) const { return raw_delay(*this, v) / raw_delay(*this, v_nom); }

double SupplyModel::dynamic_factor(double v) const { return (v / v_nom) * (v / v_nom); }

double SupplyModel::leakage_factor(double v) const {
  return (v / v_nom) * std::exp(dibl_eta * (v - v_nom) / (n_sub * v_thermal));
}

void SupplyModel::check() const {
  auto bad = [](const std::string& what) { throw UserError("voltage model: " + what); };
  if (!(v_nom > 0 && v_nom <= 5)) bad("the nominal supply must be in (0, 5] V");
  if (!(v_th >= 0 && v_th < v_min)) bad("Vth must be at least 0 and below the supply floor (--v-min)");
  if (!(v_min <= v_nom)) bad("the supply floor (--v-min) must not exceed the nominal supply");
  if (!(alpha >= 1 && alpha <= 2)) bad("alpha must be in [1, 2] (1: velocity-saturated, 2: long channel)");
  if (!(dibl_eta >= 0 && n_sub >= 1 && v_thermal > 0)) bad("the leakage parameters must be eta >= 0, n >= 1, vT > 0");
}

std::string SupplyModel::describe() const {
  std::ostringstream os;
  os << "alpha-power law, Vnom " << v_nom << " V, Vth " << v_th << " V, alpha " << alpha << ", floor " << v_min
     << " V; leakage ~ V exp(" << dibl_eta << " (V - Vnom) / (" << n_sub << " vT))";
  return os.str();
}

SupplyPoint lowest_supply(const SupplyModel& model, double critical_ns, double clock_ns) {
  model.check();
  SupplyPoint p;
  p.clock_ns = clock_ns;
  p.critical_ns = critical_ns;
  p.supply_v = model.v_nom;
  p.meets_timing = critical_ns <= clock_ns;
  if (p.meets_timing) {
    // The delay falls monotonically as V rises above Vth (alpha >= 1), so the set of supplies that
    // meet timing is an interval [V*, Vnom]: bisect for V* to well under a millivolt.
    auto fits = [&](double v) { return critical_ns * model.delay_factor(v) <= clock_ns; };
    if (fits(model.v_min)) {
      p.supply_v = model.v_min;
      p.at_floor = true;
    } else {
      double lo = model.v_min, hi = model.v_nom;  // !fits(lo), fits(hi)
      while (hi - lo > 1e-5) {
        const double mid = 0.5 * (lo + hi);
        (fits(mid) ? hi : lo) = mid;
      }
      p.supply_v = std::ceil(hi * 1000 - 1e-9) / 1000;  // round up to the millivolt: still meets timing
      if (p.supply_v > model.v_nom) p.supply_v = model.v_nom;
    }
  }
  p.delay_factor = model.delay_factor(p.supply_v);
  p.dynamic_factor = model.dynamic_factor(p.supply_v);
  p.leakage_factor = model.leakage_factor(p.supply_v);
  return p;
}

VoltageEstimate estimate_at_clock(const SupplyModel& model, const InferenceEnergySplit& measured, double critical_ns,
                                  double nominal_clock_ns, double clock_ns) {
  if (!(clock_ns > 0) || !(nominal_clock_ns > 0)) throw UserError("clock periods must be positive numbers of ns");
  VoltageEstimate e;
  e.point = lowest_supply(model, critical_ns, clock_ns);
  const double nominal_leak_nj = measured.leakage_mw * measured.cycles * nominal_clock_ns * 1e-3;  // mW x ns = pJ
  e.nominal_nj = measured.dynamic_nj + nominal_leak_nj;
  e.dynamic_nj = measured.dynamic_nj * e.point.dynamic_factor;
  e.leakage_nj = measured.leakage_mw * e.point.leakage_factor * measured.cycles * clock_ns * 1e-3;
  e.total_nj = e.dynamic_nj + e.leakage_nj;
  e.ratio = e.nominal_nj > 0 ? e.total_nj / e.nominal_nj : 1;
  e.inferences_per_s = measured.cycles > 0 ? 1e9 / (measured.cycles * clock_ns) : 0;
  return e;
}

std::vector<VoltageEstimate> dvfs_curve(const SupplyModel& model, const InferenceEnergySplit& measured,
                                        double critical_ns, double nominal_clock_ns,
                                        const std::vector<double>& clocks_ns) {
  std::vector<VoltageEstimate> out;
  for (const double t : clocks_ns) out.push_back(estimate_at_clock(model, measured, critical_ns, nominal_clock_ns, t));
  return out;
}

}  // namespace gm::energy
