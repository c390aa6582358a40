// The synthesis and power flow behind `greenmac synth`.
//
// Per design: the generated module wrapped in input and output registers (clock clk_i), Yosys
// (synth -flatten, dfflibmap, abc onto the Liberty library, clean-up so that OpenSTA reads the
// netlist), a zero-delay gate-level simulation of the mapped netlist for per-pin switching activity
// (gate_sim.hpp), and OpenSTA for the register-to-register critical path and for power: once
// vectorless (activity 0.5 per cycle at the data inputs, propagated by OpenSTA) and once with the
// simulated activity of every pin.
//
// Results are cached under cache_dir()/synth, keyed by a hash of the RTL, the library contents, the
// flow scripts, the operand pairs of the activity stream and every setting; a corrupt entry is detected (it fails to parse) and recomputed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
#include <utility>

#include "models/metrics.hpp"
#include "models/spec.hpp"

namespace gm {

class Progress;  // models/progress.hpp

inline constexpr const char* kOsu018Lib = "/usr/share/qflow/tech/osu018/osu018_stdcells.lib";
inline constexpr double kDefaultClockNs = 10.0;  // 100 MHz: every w <= 16 design here meets it in OSU018
inline constexpr uint64_t kDefaultActivityCycles = 20'000;

struct SynthOptions {
  std::string lib = "osu018";       // osu018 or the path of a .lib file
  double clock_ns = kDefaultClockNs;
  std::string activity = "uniform";  // uniform | path of an operand-pair file ("a b weight" lines)
  uint64_t cycles = kDefaultActivityCycles;
  std::string activity_model = "timed";  // timed (SDF delays, glitches counted) | zero (zero-delay)
  uint64_t seed = 1;
  int jobs = 2;
  std::filesystem::path keep_dir;  // -o: netlists, scripts and reports per design
  Progress* progress = nullptr;    // set: a "synth" stage, one item per design (not a setting: not in the cache key)
};

struct PowerFigures {
  double total_mw = 0, internal_mw = 0, switching_mw = 0, leakage_mw = 0;
  double dynamic_mw() const { return internal_mw + switching_mw; }
};

struct SynthResult {
  Spec spec;
  std::string lib;       // the Liberty path used
  double clock_ns = 0;
  double area_um2 = 0;
  std::map<std::string, int> cells;  // cell type -> count (registers included)
  int cell_count = 0;
  double nand2_eq = 0;   // area / area of the library's smallest 2-input NAND
  double delay_ns = 0;   // register-to-register critical path: clock period - worst slack
  double fmax_mhz = 0;
  double slack_ns = 0;
  PowerFigures vectorless, simulated;
  // The simulated power split between the multiplier's own cells and the register wrapper's flops
  // (rtl/gm_reg_wrapper.v), from OpenSTA's per-instance power summed by its Sequential and
  // Combinational groups (synth/power_split.hpp); they add up to `simulated`.
  PowerFigures simulated_multiplier, simulated_wrapper;
  int wrapper_flops = 0;  // flip-flop instances: the wrapper's a, b and y registers (4w; fewer when Yosys drops unused ones)
  std::string activity;  // "uniform" or the operand-pair file
  std::string activity_order = "random";  // "random": pairs drawn at random; "in order": a sequence played as given
  uint64_t cycles = 0;
  double mean_activity = 0;   // mean simulated transitions per cycle over the nets
  std::string activity_model;  // timed | zero
  double glitch_share = 0;     // timed: 1 - zero-delay transitions / timed transitions (0 when zero)
  bool netlist_matches_model = true;  // the gate-level simulation reproduced the model's products
  bool cached = false;
  double seconds = 0;         // flow time (0 when cached)

  double energy_pj() const { return simulated.total_mw * clock_ns; }  // mW x ns = pJ per operation
  double energy_vectorless_pj() const { return vectorless.total_mw * clock_ns; }
  double energy_multiplier_pj() const { return simulated_multiplier.total_mw * clock_ns; }  // the multiplier alone
  double energy_wrapper_pj() const { return simulated_wrapper.total_mw * clock_ns; }        // the wrapper's flops
};

struct SynthStats {
  int synthesized = 0;  // designs run through Yosys and OpenSTA
  int cached = 0;       // designs answered from the cache
};

// Resolves --lib: "osu018" or a path to a .lib file; throws UserError for an unknown name or a
// missing file.
std::filesystem::path resolve_liberty(const std::string& lib);

// One design of a batch. `activity`, when set, is this design's own operand stream, held in memory
// (e.g. the operands a DNN fed this multiplier, characterize --dnn): pairs are drawn from it as from
// an --activity file, and `activity_label` names it in the result. Unset: SynthOptions::activity.
// `sequence`, when set, is played in its order instead, one (a, b) pair per cycle from its start,
// repeated when shorter than SynthOptions::cycles (e.g. the weight-stationary stream of one PE,
// models/dnn/pe_stream.hpp); `activity_label` names it.
struct SynthDesign {
  Spec spec;
  std::shared_ptr<const Distribution> activity;
  std::string activity_label;
  std::shared_ptr<const std::vector<std::pair<int64_t, int64_t>>> sequence;
};

// Validates everything first (tools, library, activity file, output directory), so that a bad input
// fails before any work or output; then runs the designs, `opt.jobs` at a time.
std::vector<SynthResult> synth_designs(const std::vector<SynthDesign>& designs, const SynthOptions& opt,
                                       SynthStats* stats = nullptr);
// The same batch with SynthOptions::activity for every design.
std::vector<SynthResult> synth_designs(const std::vector<Spec>& specs, const SynthOptions& opt,
                                       SynthStats* stats = nullptr);

nlohmann::json synth_result_json(const SynthResult& r);
std::string synth_csv(const std::vector<SynthResult>& results);
std::string synth_table(const std::vector<SynthResult>& results);

}  // namespace gm
