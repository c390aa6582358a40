// The multiplier inside the PEs of an RTL inference (`dnn rtl --mul-model gates|lut [--mul-rtl FILE]`),
// made ready before the network runs:
//   gates  the PEs simulate the multiplier's RTL: the generated gate-level design, or the user's
//          file (--mul-rtl: e.g. a hand-optimized or post-ECO netlist) in its place. A wrong gate shows
//          up as logit mismatches against the golden inference, whose products come from the model.
//   lut    the PEs look products up in the model's truth table (fast). The table stands in for the
//          RTL only after the RTL (generated, or the user's file) is verified equal to the model on
//          every operand pair (tb/verify, exhaustive at 8 bits; its harness is cached by content, so
//          a rerun builds nothing and simulates 65,536 pairs in milliseconds).
// The spec's model stays the oracle in both.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "generator/array/array.hpp"
#include "models/spec.hpp"

namespace gm {

struct PeMultiplier {
  MulModel model = MulModel::kGate;
  std::vector<ArrayFile> rtl;  // files that replace the generated multiplier of the same name (gates + --mul-rtl)
  bool verified = false;       // lut: the RTL equals the model on every pair
  uint64_t verified_pairs = 0;
  std::string failure;         // lut: why the RTL does not equal the model (one line); empty when it does
};

// "gates" | "lut" (the CLI's names); throws UserError for anything else.
MulModel parse_mul_model(const std::string& name);
std::string mul_model_name(MulModel m);

// Reads --mul-rtl (empty: the generated RTL) and checks that it defines module spec.name() with the
// multiplier's ports (a_i, b_i: w bits in; y_o: 2w bits out), else UserError with one line; with
// lut, verifies the RTL exhaustively against the model (a failure is recorded in `failure`, not
// thrown: it is a failed check, exit 1). Throws UserError when a needed tool is missing.
PeMultiplier prepare_pe_multiplier(const Spec& spec, MulModel model, const std::filesystem::path& mul_rtl);

// The module-and-ports check alone (Verilator lint of the file under a wrapper that instantiates it).
void check_mul_rtl_file(const Spec& spec, const std::filesystem::path& file);

}  // namespace gm
