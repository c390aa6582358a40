// The quantized weight-stationary systolic array generator (`greenmac gen-array`).
//
// An R x C grid of processing elements (PEs). PE (r, c) holds the weight W[r][c] of the current tile
// (double-buffered: two weight banks, one filled while the other computes), takes an activation
// from the west, multiplies it with its generated multiplier (any native family or ext: design,
// chosen per PE by a mul-map), adds the partial sum from the north and passes both on: activations
// move east, partial sums move south. Row r of the activation stream is skewed by r cycles on the
// way in and column c of the results de-skewed by C-1-c cycles on the way out, so a whole row of
// X enters in one beat and a whole row of Y leaves in one beat. docs/array.md has the dataflow,
// the stream protocol, the latencies, the zero-gating rule and the mul-map format.
//
// At the south edge, per column, acc_depth accumulators add up the K slices of a tile's rows, and
// with out_stage an output stage adds the bias, requantizes and clamps (docs/quantization.md), so
// the host only orders tiles and streams operands.
//
// The fixed modules (PE, control, skew, de-skew, delay line, accumulator bank, output stage) are
// hand-written, parameterized Verilog in greenmac's rtl/ folder, read at run time and copied beside
// the generated top; the only generated Verilog is the top (ports, parameters, the PE grid as
// generate loops and each PE's multiplier) and the multipliers themselves.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "models/product_table.hpp"
#include "models/spec.hpp"

namespace gm {

inline constexpr int kMaxArraySide = 64;
inline constexpr int kMaxArrayWidth = kMaxTableWidth;  // the K_max figure and the golden GEMM use the full table
inline constexpr int kMaxAccDepth = 4096;               // accumulators per column, at most
inline constexpr int kParamFieldBits = 136;             // a column's field of a parameter beat (docs/array.md)

struct ArrayConfig {
  int rows = 1, cols = 1;
  std::vector<Spec> pe;  // rows * cols, row-major: pe[r * cols + c] is PE (r, c)'s multiplier
  int acc_width = 32;
  bool zero_gate = false;
  // Accumulators per column at the south edge (docs/array.md): the most activation beats of a tile.
  // make_array_config resolves 0 to R + C, the least D for which weight loads hide behind the
  // computation; never stored as 0.
  int acc_depth = 0;
  // The output stage: bias add, requantization and clamp of docs/quantization.md (needs acc_width 32).
  bool out_stage = false;
  // Test hook (no CLI option): the PE at (mutant_row, mutant_col) adds one extra to its partial sum.
  int mutant_row = -1, mutant_col = -1;
  // Where the PEs' multipliers came from, for the header's regenerating command only (not part of
  // canonical()): the --mul spec (canonical) and the --mul-map file as given, "" when not known or not used.
  std::string mul, mul_map;

  const Spec& at(int r, int c) const { return pe[r * cols + c]; }
  int w() const { return pe.front().w; }
  bool is_signed() const { return pe.front().is_signed; }
  // Every distinct multiplier, in order of first appearance (row-major).
  std::vector<Spec> distinct_specs() const;
  // The configuration as text; equal for equal arrays. The module name's hash is taken from it.
  std::string canonical() const;
  // gm_array_r<R>c<C>_<hash of canonical()>: a Verilog identifier unique per configuration.
  std::string name() const;
};

// "RxC" (e.g. "8x8"), each side 1..kMaxArraySide; throws UserError with a one-line message.
std::pair<int, int> parse_array_dims(const std::string& text);

// Applies a mul-map (see docs/array.md) to a configuration whose PEs all hold the default spec.
// `origin` names the text in messages (the file name). Throws UserError.
void apply_mul_map(ArrayConfig& cfg, const std::string& text, const std::string& origin);

// Builds and validates a configuration: default multiplier `mul`, optional mul-map file, all
// multipliers of one width and signedness, w <= kMaxArrayWidth, 2w <= acc_width <= 64, and with
// zero_gate only multipliers with M(x, 0) = M(0, x) = 0, acc_depth 1..kMaxAccDepth (0: R + C),
// out_stage only with acc_width 32. Throws SpecError or UserError.
ArrayConfig make_array_config(int rows, int cols, const Spec& mul, const std::string& mul_map_path,
                              int acc_width, bool zero_gate, int acc_depth = 0, bool out_stage = false);

// --acc-depth as a command line gives it (-1: not given) to make_array_config's acc_depth (0: the
// default R + C). An explicit 0 is an error there: throws UserError.
int acc_depth_option(int given);

// The product table of a multiplier, built once per process and shared.
const ProductTable& shared_product_table(const Spec& spec);

// max |M(x, w)| over every operand pair of every multiplier of the array.
int64_t array_max_abs_product(const ArrayConfig& cfg);

// The multiplier inside each PE: the gate-level generated design (synthesis, default) or, for fast
// simulation only, a lookup table with the same module name initialised from the multiplier's
// truth table (valid because `greenmac verify` proves the gate-level design equal to that table).
enum class MulModel { kGate, kLut };

// The array's latencies in advancing clock edges (docs/array.md). The header of the generated top
// and manifest.json both print this one table.
struct ArrayLatency {
  int weight_load_beats = 0;                        // R: beats that fill a weight bank
  int first_activation_after_last_weight_beat = 0;  // 1
  int result_after_activation = 0;                  // R + C + out_stage_depth: from accepting an activation row
                                                    // (of a last_k tile) to accepting its result
  int bank_refill_after_last_activation = 0;        // C: from the edge that accepts a tile's last activation to
                                                    // the first edge that can accept a new weight beat for its bank
  int param_refill_after_last_activation = 0;       // R + C + out_stage_depth - 1 (0 without the output stage):
                                                    // from the edge that accepts a last_k tile's last activation
                                                    // to the first edge that can accept a parameter beat for its bank
  int out_stage_depth = 0;                          // registers from the de-skew to y_data_o: 1 (the acc
                                                    // register), 5 with the output stage
};
ArrayLatency array_latency(const ArrayConfig& cfg);

// The hand-written modules every array uses, in greenmac's rtl/ folder (rtl/<name>.v).
inline const std::vector<std::string>& array_rtl_modules() {
  static const std::vector<std::string> names = {"gm_array_ctrl",   "gm_array_skew", "gm_array_pe", "gm_array_deskew",
                                                 "gm_array_delay", "gm_array_acc",  "gm_array_out"};
  return names;
}

// The command line that regenerates the array's files into DIR (the header's second line).
std::string gen_array_command(const ArrayConfig& cfg, MulModel mul_model);

struct ArrayFile {
  std::string name;  // file name: <module>.v, or <module>.hex for a lookup table's contents
  std::string text;
};

struct ArrayRtl {
  std::string top;
  std::vector<ArrayFile> files;  // the top, the rtl/ modules, each multiplier once
  nlohmann::json manifest;
  int64_t max_abs_product = 0;
  int64_t k_max = 0;
};

// Reads the rtl/ modules through gm::data_file (throws UserError when greenmac's files are missing).
ArrayRtl generate_array(const ArrayConfig& cfg, MulModel mul_model = MulModel::kGate);

// Writes every file and DIR/manifest.json; returns the Verilog files. Throws UserError.
std::vector<std::filesystem::path> write_array(const ArrayRtl& rtl, const std::filesystem::path& dir);

}  // namespace gm
