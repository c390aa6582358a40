// Pieces shared by the two synthesis flows (synth.cpp for one multiplier, array_synth.cpp for a
// systolic array): the scripts in synth/, the facts read from the Liberty library, OpenSTA's power
// report, and the per-pin activity file.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "synth/gate_sim.hpp"
#include "synth/liberty.hpp"
#include "synth/sdf.hpp"
#include "synth/mult_synth.hpp"

namespace gm::flow {

// The text of synth/<name>, read once per process; it is part of every cache key.
const std::string& flow_script(const char* name);

std::string replace_all(std::string s, const std::string& from, const std::string& to);

// An OpenSTA script: synth/scripts/sta_head.tcl (the library as kLinkedLiberty, net.v, the clock
// and the I/O delays every STA run shares), then `body` (a flow_script or ""), with {TOP}, {LIB}
// and {PERIOD} filled in. Cache keys add flow_script("sta_head.tcl") beside the body's script.
std::string sta_script(const std::string& body, const std::string& top, double clock_ns);
std::string fmt(double v, int digits = 6);

// The library facts the flow needs: a buffer for insbuf and the NAND2 area for gate equivalents.
struct LibInfo {
  std::filesystem::path path;
  std::string text;
  Liberty lib;
  std::string buf_cell, buf_in, buf_out;
  // The smallest inverter (empty when the library has none): the array flow's constant-1 tie, its
  // input left open, so that a netlist read back with open inputs at 0 gives 1 (map_array.ys).
  std::string inv_cell, inv_out;
  double nand2_area = 0;
  std::string insbuf_args() const { return buf_cell + " " + buf_in + " " + buf_out; }
};

// Resolves --lib and reads the library; throws UserError when it lacks a buffer or a NAND2.
LibInfo load_library(const std::string& name);

// Yosys and OpenSTA scripts name the library by this fixed file name, a symbolic link that
// link_liberty makes in the tool's working directory, so that no user path is pasted into a script.
inline constexpr const char* kLinkedLiberty = "cells.lib";
std::string link_liberty(const LibInfo& lib, const std::filesystem::path& dir);

// The "Total internal switching leakage total" line after "GM_POWER <marker>", in mW.
PowerFigures parse_power(const std::string& log, const std::string& marker);

nlohmann::json power_json(const PowerFigures& p);
PowerFigures power_from_json(const nlohmann::json& j);

// The figures both flows cache (SynthResult and ArraySynthResult share these members).
template <class Result>
nlohmann::json figures_json(const Result& r) {
  return {{"area_um2", r.area_um2}, {"cells", r.cells},
          {"nand2_eq", r.nand2_eq}, {"delay_ns", r.delay_ns}, {"slack_ns", r.slack_ns},
          {"vectorless", power_json(r.vectorless)}, {"simulated", power_json(r.simulated)},
          {"cycles", r.cycles},     {"mean_activity", r.mean_activity}, {"glitch_share", r.glitch_share},
          {"netlist_matches_model", r.netlist_matches_model}, {"seconds", r.seconds}};
}

// Reads figures_json back; throws (nlohmann) on a missing field. (Which flow wrote the record is
// part of the cache key, see generator/cache_key.hpp.)
template <class Result>
void figures_from_json(const nlohmann::json& j, Result& r) {
  r.area_um2 = j.at("area_um2").get<double>();
  r.cells = j.at("cells").get<std::map<std::string, int>>();
  r.nand2_eq = j.at("nand2_eq").get<double>();
  r.delay_ns = j.at("delay_ns").get<double>();
  r.slack_ns = j.at("slack_ns").get<double>();
  r.vectorless = power_from_json(j.at("vectorless"));
  r.simulated = power_from_json(j.at("simulated"));
  r.cycles = j.at("cycles").get<uint64_t>();
  r.mean_activity = j.at("mean_activity").get<double>();
  r.glitch_share = j.at("glitch_share").get<double>();
  r.netlist_matches_model = j.at("netlist_matches_model").get<bool>();
  r.seconds = j.at("seconds").get<double>();
}

// --activity-model: "timed" (event-driven with SDF delays, glitches counted; timed_sim.hpp) or
// "zero" (zero-delay, no glitches). Throws UserError for anything else.
void check_activity_model(const std::string& model);

// OpenSTA's write_sdf for net.v in `dir` (synth/scripts/sdf.tcl; the library already linked there
// as kLinkedLiberty), read back. Throws std::runtime_error when OpenSTA fails.
SdfDelays make_sdf(const std::filesystem::path& dir, const std::string& top, double clock_ns, const std::string& what);

// Throws std::runtime_error when the timed simulation found cell arcs the SDF does not give
// (`missing`, TimedGateSim::missing_arcs): their delay would silently be 0.
void check_sdf_coverage(int missing, const std::string& what);

// OpenSTA commands giving every input port and pin its simulated activity (transitions per clock
// period) and duty; `what` says in the file's header comment what was simulated.
std::string activity_tcl(const GateSimResult& sim, const std::string& what);

}  // namespace gm::flow
