// Mutation coverage of the verification: Yosys's own `mutate` makes variants of each design's RTL
// (every mode it offers: inv, const0, const1, cnot0, cnot1 on a cell port bit), each runs through
// the normal verification (verify_rtl, many mutants per harness build), and a mutant that the
// verification does not catch is given to a Yosys SAT miter against the design: "equivalent" when
// the miter is proved (the mutation changes nothing observable), "escaped" otherwise.
//
// The unmutated design goes through the same Yosys round trip and must pass verification, so a
// harness that cannot fail (or a round trip that breaks every mutant) is visible as an error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/spec.hpp"

namespace gm {

class Progress;  // models/progress.hpp

struct MutateOptions {
  int count = 30;                 // mutants per design (`mutate -list N`)
  uint64_t seed = 1;              // `mutate -seed`
  std::string sim = "verilator";  // verilator | icarus
  int sat_timeout_s = 120;        // per uncaught mutant; a time-out counts as escaped
  size_t batch = 160;             // designs per harness build
  int jobs = 2;                   // Yosys runs in parallel
  Progress* progress = nullptr;   // set: stages "mutants" (designs), "simulate" (batches), "SAT" (uncaught mutants)
};

struct MutateResult {
  Spec spec;
  int mutants = 0, caught = 0, equivalent = 0, escaped = 0;
  bool reference_passed = false;         // the unmutated round trip passed verification
  double seconds = 0;                    // Yosys + this design's share of the simulation + SAT
  std::vector<std::string> escapes;      // the `mutate` command of each escaped mutant
};

// Yosys SAT miter of two single-module designs with the same ports: true when `sat -prove` shows
// them equal on every input within timeout_s (false: a difference, or no proof in time).
bool sat_equivalent(const std::string& gold_text, const std::string& gold_module, const std::string& gate_text,
                    const std::string& gate_module, int timeout_s);

// Up to `count` single-gate mutants of the spec's generated RTL (`mutate -list count -seed seed`), each
// a flattened Verilog file that keeps the design's module name and ports, so it can stand in for
// the design (e.g. `dnn rtl --mul-rtl`). Throws UserError when yosys is missing.
std::vector<std::string> single_gate_mutants(const Spec& spec, int count, uint64_t seed);

// Throws UserError when yosys or the simulator is missing or the options are out of range.
std::vector<MutateResult> mutate_designs(const std::vector<Spec>& specs, const MutateOptions& opt);

}  // namespace gm
