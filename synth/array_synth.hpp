// Whole-array synthesis and power (`greenmac synth --array`, `greenmac characterize --array`).
//
// The generated systolic array (generator/array/array.hpp, gate-level multipliers) is mapped onto the
// Liberty library by Yosys hierarchically (synth/scripts/map_array.ys: the PE and each distinct multiplier
// mapped once and instantiated, the rest flattened; the array has its own registers, so there is no
// wrapper), timed by OpenSTA on that hierarchy (synth/scripts/power.tcl, as for single multipliers) and its power
// estimated twice: vectorless (data inputs at 0.5 transitions per cycle, propagated by OpenSTA), and
// from the switching activity of every pin in a cycle-by-cycle gate-level simulation of the mapped
// netlist, a flattened copy (by default the timed TimedGateSim with OpenSTA's SDF delays, glitches
// counted, synth/timed_sim.hpp; --activity-model zero: the zero-delay SeqGateSim, synth/gate_sim.hpp) driven by a real GEMM's streams through the one stream
// protocol that the Verilator harness and the Icarus bench also run (tb/array_stream.hpp: reset, weight
// loads, activations, x_last, valid/ready, at full rate unless the GEMM has a stall seed). The
// simulated Y is checked against the golden GEMM.
//
// Energy per MAC = simulated power x clock period x GEMM cycles / (M*K*N).
//
// Results are cached under cache_dir()/synth-array, keyed by a hash of every RTL file, the library,
// both scripts, the clock and the GEMM operands.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "generator/array/array.hpp"
#include "models/errors.hpp"
#include "tb/array_runner.hpp"
#include "synth/fanout.hpp"
#include "synth/flow.hpp"
#include "synth/gate_sim.hpp"
#include "synth/mult_synth.hpp"

namespace gm {

struct ArraySynthOptions {
  std::string lib = "osu018";
  double clock_ns = kDefaultClockNs;
  std::string activity_model = "timed";  // timed (SDF delays, glitches counted) | zero (zero-delay)
  std::filesystem::path keep_dir;  // -o: netlist, scripts and reports in DIR/<array name>/
  // false: map only (area, cells, fanout; net.v kept): no GEMM simulation and no OpenSTA run, so no
  // power, slack or netlist check. For the whole inferences, which simulate their own activity,
  // check every layer themselves and take the slack from their own OpenSTA run (inference_energy.hpp).
  bool power = true;
};

struct ArraySynthResult {
  std::string name;       // the array module name (gm_array_r<R>c<C>_<hash>)
  std::string config;     // ArrayConfig::canonical()
  std::string mul;        // the multiplier label: the spec when uniform, else "mixed"
  int rows = 0, cols = 0, w = 0, acc_width = 0;
  bool is_signed = false, zero_gate = false;
  std::string lib;
  double clock_ns = 0;
  double area_um2 = 0;
  std::map<std::string, int> cells;
  int cell_count = 0;
  double nand2_eq = 0;
  double delay_ns = 0, fmax_mhz = 0, slack_ns = 0;
  PowerFigures vectorless, simulated;
  int64_t gemm_m = 0, gemm_k = 0, gemm_n = 0;
  uint64_t cycles = 0;          // GEMM clock cycles (reset release to last result), the simulated cycles
  double mean_activity = 0;     // mean simulated transitions per cycle over the nets
  std::string activity_model;   // timed | zero
  double glitch_share = 0;      // timed: 1 - zero-delay transitions / timed transitions
  bool netlist_matches_model = true;  // the netlist's Y equals the golden GEMM
  FanoutReport fanout;                // the mapped netlist's worst fanout (synth/fanout.hpp)
  bool cached = false;
  double seconds = 0, yosys_seconds = 0, sim_seconds = 0;

  uint64_t macs() const { return static_cast<uint64_t>(gemm_m * gemm_k * gemm_n); }
  // mW x ns = pJ per cycle; times cycles / MACs.
  double energy_per_mac_pj() const { return macs() ? simulated.total_mw * clock_ns * cycles / macs() : 0; }
  double energy_vectorless_per_mac_pj() const {
    return macs() ? vectorless.total_mw * clock_ns * cycles / macs() : 0;
  }
};

// Parses --gemm "MxKxN" (each 1..1e6); throws UserError.
void parse_gemm_dims(const std::string& text, int64_t& m, int64_t& k, int64_t& n);

// The product table of every PE, row-major (cfg.pe order).
std::vector<const ProductTable*> pe_tables(const ArrayConfig& cfg);

// The default GEMM: 32 x 2R x 2C, random operands (random_gemm), so every PE sees 4 tiles.
GemmProblem default_array_gemm(const ArrayConfig& cfg, uint64_t seed);

// Synthesizes the array and simulates it on `gemm` (operands in the multipliers' natural range,
// full-rate streams). Throws UserError for missing tools, a bad library or bad operands.
ArraySynthResult synth_array(const ArrayConfig& cfg, const GemmProblem& gemm, const ArraySynthOptions& opt);

// One GEMM through the array's stream protocol (tb/array_stream.hpp) on a gate-level simulation of
// its mapped netlist: reset, then the streams at full rate (or with the GEMM's stall gaps); every
// counted cycle is sampled for the activity. Throws std::runtime_error when the protocol fails.
struct ArrayDriveResult {
  std::vector<int64_t> y;  // m x n, row-major
  uint64_t cycles = 0;     // reset release to the last result accepted
};
ArrayDriveResult drive_array_gemm(CycleGateSim& sim, const ArrayConfig& cfg, const GemmProblem& p);

// Maps the array onto the library with the flow's own Yosys script (synth/scripts/map_array.ys, every
// placeholder filled in, abc.constr beside it) in `dir`: array.v, synth.ys, stat.txt, net.v
// and the flattened net.json. The one place that fills the script in, so that a bench or
// test that maps an array runs exactly what synth_array runs. Throws std::runtime_error when Yosys fails.
void map_array_netlist(const flow::LibInfo& lib, const ArrayConfig& cfg, const ArrayRtl& rtl, double clock_ns,
                       const std::filesystem::path& dir);

// OpenSTA's name of a cell of the flattened simulation netlist: a kept module's cell is
// "<instance>.<cell>" there (the instance may hold dots: g_row[0].g_col[1].u_mul) and
// "<instance>/<cell>" in the hierarchy OpenSTA reads. The kept modules are all instantiated by the
// top and cell names (rename -enumerate: _N_) hold no dot, so the last dot is the boundary.
std::string hierarchical_instance_name(std::string flat);

// The same array with every PE holding exact:w=<w>,s=<s> (the baseline of `characterize --array`).
ArrayConfig exact_array_config(const ArrayConfig& cfg);

nlohmann::json array_synth_json(const ArraySynthResult& r);
std::string array_synth_csv(const std::vector<ArraySynthResult>& results);
std::string array_synth_table(const std::vector<ArraySynthResult>& results);

}  // namespace gm
