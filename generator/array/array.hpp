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

struct ArrayConfig {
  int rows = 1, cols = 1;
  std::vector<Spec> pe;  // rows * cols, row-major: pe[r * cols + c] is PE (r, c)'s multiplier
  int acc_width = 32;
  bool zero_gate = false;
  // Test hook (no CLI option): the PE at (mutant_row, mutant_col) adds one extra to its partial sum.
  int mutant_row = -1, mutant_col = -1;

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
// zero_gate only multipliers with M(x, 0) = M(0, x) = 0. Throws SpecError or UserError.
ArrayConfig make_array_config(int rows, int cols, const Spec& mul, const std::string& mul_map_path,
                              int acc_width, bool zero_gate);

// The product table of a multiplier, built once per process and shared.
const ProductTable& shared_product_table(const Spec& spec);

// max |M(x, w)| over every operand pair of every multiplier of the array.
int64_t array_max_abs_product(const ArrayConfig& cfg);

// The multiplier inside each PE: the gate-level generated design (synthesis, default) or, for fast
// simulation only, a lookup table with the same module name initialised from the multiplier's
// truth table (valid because `greenmac verify` proves the gate-level design equal to that table).
enum class MulModel { kGate, kLut };

struct ArrayFile {
  std::string name;  // file name: <module>.v, or <module>.hex for a lookup table's contents
  std::string text;
};

struct ArrayRtl {
  std::string top;
  std::vector<ArrayFile> files;  // the array, its PE modules, each multiplier once
  nlohmann::json manifest;
  int64_t max_abs_product = 0;
  int64_t k_max = 0;
};

ArrayRtl generate_array(const ArrayConfig& cfg, MulModel mul_model = MulModel::kGate);

// Writes every file and DIR/manifest.json; returns the Verilog files. Throws UserError.
std::vector<std::filesystem::path> write_array(const ArrayRtl& rtl, const std::filesystem::path& dir);

}  // namespace gm
