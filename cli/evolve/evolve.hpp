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
#include "models/metrics.hpp"

namespace gm {

class Progress;  // models/progress.hpp

struct EvolveOptions {
  int w = 8;
  bool is_signed = true;
  std::string dist_file;             // the operand histogram (a b weight): error weights
  std::string stream_file;           // the operand sequence (a b [weight], in order): switching; "" = drawn from dist
  // How the switching estimate counts transitions (models/evo/stream_activity.hpp): zero delay,
  // or unit delay with glitches.
  evo::ActivityDelay activity_delay = evo::ActivityDelay::kZero;
  // LAYER=FILE, one per layer: every bound must also hold under each of these histograms (with
  // --dist or --model; with --model LAYER must be one of the model's layers, and FILE may be the
  // word `model`: that layer's products in the same inference).
  std::vector<std::string> dist_layers;
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
  std::string outside_on;            // when not: "the whole network" or the first layer it exceeds the bound on
  uint64_t random_seed = 0;          // of its search (--seed, or --seed + I for shard I)
};

struct EvolveResult {
  std::string seed_spec;
  int seed_gates = 0;
  evo::Fitness seed_fitness;
  double seed_measured_pj = 0, seed_measured_area_um2 = 0;
  std::string stream_label, dist_origin;
  evo::ActivityDelay activity_delay = evo::ActivityDelay::kZero;
  std::vector<std::pair<std::string, std::string>> layers;  // --dist-layer: name and origin, in order
  size_t stream_pairs = 0, dist_entries = 0;
  evo::GateCosts costs;
  std::vector<EvolvedCircuit> circuits;
  double evaluations_per_second = 0;  // over every search of this run that did search
  size_t shards = 0;                  // > 1: merged from that many --shard searches (cli/evolve/evolve_shard.hpp)
};

// Validates every input first (bounds, files, the library folder, tools), then searches. Throws
// UserError for bad input. It is the three phases below in a row.
EvolveResult run_evolve(const EvolveOptions& opt);

// The phases of a run, apart so that `--shard I/N` can search in one process and store, check and
// measure in another (cli/evolve/evolve_shard.hpp).

// The operands as text: the error weights and the switching stream ("" = drawn from the weights).
struct LayerOperandText {
  std::string name, text, origin;  // --dist-layer LAYER=FILE: LAYER, the file's text, FILE
  bool from_model = false;         // LAYER=model: from --model's inference, kept in LIBDIR/operands_LAYER.dist
};
struct OperandTexts {
  std::string dist, dist_origin, stream, stream_origin;
  std::vector<LayerOperandText> layers;  // extra histograms every bound must hold on too
};

// One --dist-layer histogram, parsed and checked.
struct LayerDistribution {
  std::string name;
  Distribution dist;
};

// Everything the searches and the storing read, checked.
struct EvolveInputs {
  std::vector<evo::ErrorBound> bounds;
  OperandTexts texts;
  Distribution dist;
  std::vector<LayerDistribution> layers;            // --dist-layer, in order
  std::vector<std::pair<int64_t, int64_t>> stream;  // in order
  std::string stream_label;
  evo::GateCosts costs;
  std::string seed_spec;   // canonical
  evo::GateNetlist seed;   // empty when the inputs were rebuilt from shards (the searches are done)
};

// Reads and checks every input (files, the network's operands, the seed design, the Liberty);
// makes no folder. Throws UserError.
EvolveInputs read_evolve_inputs(const EvolveOptions& opt);
// The weights and the stream from the operand texts (the stream drawn from --seed when there is
// none): what read_evolve_inputs does after reading the texts.
void parse_operands(const EvolveOptions& opt, const OperandTexts& texts, EvolveInputs& in);
// Makes the library folder; with --model, writes LIBDIR/operands.dist and .stream.
void open_library(const EvolveOptions& opt, const EvolveInputs& in);

// One bound's search, before anything is stored.
struct FoundCircuit {
  std::string bound;
  evo::GateNetlist netlist;  // the search's last parent
  evo::Fitness fitness;
  uint64_t evaluations = 0, generations = 0;
  double seconds = 0;
  bool resumed = false;
  bool started_from_seed = true;  // else from the circuit of an earlier bound
  uint64_t random_seed = 0;
  bool met() const { return fitness.violation == 0; }
};

struct SearchRun {
  evo::Fitness seed_fitness;
  size_t stream_pairs = 0, dist_entries = 0;
  std::vector<FoundCircuit> circuits;  // one per bound, in order
  uint64_t searched_evaluations = 0;   // by the searches that did search (not read back)
  double searched_seconds = 0;
};

// Searches the bounds in order from `random_seed`, each from the cheapest circuit so far that meets
// it; checkpoints in opt.out/.evolve.
SearchRun search_bounds(const EvolveOptions& opt, const EvolveInputs& in, uint64_t random_seed);

// Stores the circuits that met their bound in opt.out, checks them from the stored files and,
// with opt.synth, measures them and the seed: the run's result.
EvolveResult store_and_measure(const EvolveOptions& opt, const EvolveInputs& in, const SearchRun& run);

}  // namespace gm
