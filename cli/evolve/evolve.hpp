// `greenmac evolve`: evolved multipliers for one network's operands (models/evo/cgp.hpp), stored in
// a library folder (models/evo/library.hpp) and, unless told not to, measured by the real flow.
//
// One run takes several error bounds; each yields one circuit. A bound's search starts from the
// cheapest circuit found so far that already meets it (the seed design at first), so a looser
// bound continues from a tighter one's result, the chaining EvoApproxLib used. Every search keeps a
// checkpoint in LIBDIR/.evolve/KEY.json, KEY a hash of everything the search depends on: a run
// interrupted and started again with the same arguments continues where it stopped, and a finished
// one is read back without searching.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "models/evo/cgp.hpp"

namespace gm {

class Progress;  // models/progress.hpp

struct EvolveOptions {
  int w = 8;
  bool is_signed = true;
  std::string dist_file;             // the operand histogram (a b weight): error weights
  std::string stream_file;           // the operand sequence (a b [weight], in order): switching; "" = drawn from dist
  // Instead of the files: the network's own operands (cli/evolve/network_operands.hpp), kept in
  // LIBDIR/operands.dist and LIBDIR/operands.stream.
  std::string model;
  std::string model_layer;  // "" = every layer's products
  size_t model_images = 2000;
  std::string data_dir;
  std::vector<std::string> bounds;   // one circuit per bound
  std::string seed_from;             // the spec of the starting design ("" = exact:w=W,s=S)
  double seconds = 60;               // search time for the whole run, split evenly between the bounds
  uint64_t evaluations = 0;          // per bound; when set, the run stops there (reproducible from --seed)
  uint64_t seed = 1;
  int threads = 1;
  std::string lib = "osu018";
  evo::CgpOptions cgp;
  bool synth = true;                 // measure the stored circuits and the seed with the real flow
  std::filesystem::path out;         // the library folder
  Progress* progress = nullptr;      // set: a "search" stage of the bounds, then the measurement's "synth"
};

struct EvolvedCircuit {
  std::string bound;
  bool met = false;        // the search ended inside the bound
  std::string id;          // "" when not stored
  std::string spec;        // evo:lib=...,id=...
  evo::Fitness fitness;
  uint64_t evaluations = 0, generations = 0;
  double seconds = 0;
  bool resumed = false;    // read back from a checkpoint
  // The real flow (synth with the stream as the activity), when run: energy per operation of the
  // multiplier's own cells, and area.
  double measured_pj = 0, measured_area_um2 = 0;
  bool netlist_matches_model = true;
  bool metrics_within_bound = true;  // recomputed from the stored file by models/metrics.cpp
};

struct EvolveResult {
  std::string seed_spec;
  int seed_gates = 0;
  evo::Fitness seed_fitness;
  double seed_measured_pj = 0, seed_measured_area_um2 = 0;
  std::string stream_label, dist_origin;
  size_t stream_pairs = 0, dist_entries = 0;
  evo::GateCosts costs;
  std::vector<EvolvedCircuit> circuits;
  double evaluations_per_second = 0;  // over every search of this run that did search
};

// Validates every input first (bounds, files, the library folder, tools), then searches. Throws
// UserError for bad input.
EvolveResult run_evolve(const EvolveOptions& opt);

}  // namespace gm
