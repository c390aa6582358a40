// Energy per transition of every cell pin of a mapped netlist, from OpenSTA, once per netlist: the
// linear power model behind the whole-inference energies (synth/inference_energy.hpp).
//
// OpenSTA 2.0.17 cannot take a simulated activity per combinational pin: its activity propagation
// overwrites every load pin with its driver's activity and every driver pin with the probabilistic
// evaluation of the cell function (only input ports and, when every pin is annotated, flop outputs
// keep a user activity). So the per-pin figures are read from OpenSTA's own power computation
// instead: with `set_power_activity -global -activity 1 -duty 0.5` every pin makes one transition
// per clock period, and `sta::set_debug power 2` prints, pin by pin, the switching power of each
// output (driver pin x its load) and the internal power of each pin (summed over its arcs). Power at
// one transition per period times the period is the pin's energy per transition. Clock pins keep the
// clock's own activity (two transitions per period) and, with leakage, form the per-cycle base.
//
//     energy = sum_pins transitions_p x e_p  +  base_power x period x cycles
//
// The model is exact for switching power and input-pin internal power (both linear in the pin's
// activity); an output pin's internal power is the average of its arcs (OpenSTA weights the arcs by
// the activity of their related input pins, and with uniform activity these weights are equal), and
// conditional (`when`) internal power is taken at duty 0.5. How close that is to OpenSTA's direct
// report on a non-uniform activity is checked by validate_pin_energy.
#pragma once

#include <filesystem>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "synth/flow.hpp"

namespace gm {

struct PinEnergyModel {
  double clock_ns = 0;
  std::unordered_map<std::string, double> pin_pj;  // "instance/pin" -> pJ per transition (non-clock pins)
  std::unordered_map<std::string, double> clock_pin_mw;  // clock pins: power at the clock's activity
  double leakage_mw = 0;
  double report_total_mw = 0;  // OpenSTA's total at one transition per period on every pin (a check)
  double slack_ns = 0;         // calibrate_pin_energy: the worst setup slack at the clock (same STA run)
  // Activity-independent power: clock pins' internal power plus leakage.
  double base_mw() const;
  double sum_pin_pj() const;
};

// Reads the debug output of `report_power` after `sta::set_debug power 2` with every data pin at
// `activity` transitions per period (the text after the line "GM_POWER calib"): per pin, the
// switching power of an output plus the internal power of its arcs; leakage; the report's total.
// `clock_pins` ("instance/pin") keep the clock's activity and go to the base. Throws
// std::runtime_error on a log it cannot read.
// A pin as OpenSTA prints it for a hierarchical netlist (escaped brackets, '/' between levels) in
// the flattened simulation's spelling: "a.b\[0\].c/_12_/Y" -> "a.b[0].c._12_/Y". Every name of the
// model (pin_pj, clock_pin_mw) is in this spelling.
std::string flat_pin_name(const std::string& sta_name);

PinEnergyModel parse_pin_energy_log(const std::string& log, double clock_ns,
                                    const std::unordered_set<std::string>& clock_pins, double activity = 1.0);

// The clock pins ("instance/pin") of a mapped netlist: cell pins on the clock port's net.
std::unordered_set<std::string> clock_pins(const nlohmann::json& netlist, const std::string& top, const Liberty& lib,
                                           const std::string& clock_port = "clk_i");

// Runs OpenSTA once on dir/net.v (top `top`, library `lib_path`, clock on clk_i) and parses it.
// The script and the log stay in `dir` (pin_energy.tcl, pin_energy.log).
PinEnergyModel calibrate_pin_energy(const std::filesystem::path& dir, const std::string& top,
                                    const std::filesystem::path& lib_path, double clock_ns,
                                    const std::unordered_set<std::string>& clock_pins);

// The validation: OpenSTA's own propagated activity with every data input port at `input_activity`
// (`set_power_activity -input`), read pin by pin from its debug output, put through the model, and
// compared with OpenSTA's direct `report_power` total on the same activity.
struct PinEnergyCheck {
  double direct_mw = 0, model_mw = 0;
  size_t pins_with_activity = 0;
  double relative_error() const { return direct_mw > 0 ? (model_mw - direct_mw) / direct_mw : 0; }
};
PinEnergyCheck validate_pin_energy(const std::filesystem::path& dir, const std::string& top,
                                   const std::filesystem::path& lib_path, const PinEnergyModel& model,
                                   const nlohmann::json& netlist, const Liberty& lib, double input_activity = 0.5);

}  // namespace gm
