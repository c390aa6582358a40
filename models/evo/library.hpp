// A library of evolved multipliers: a folder that holds, per circuit, ID.gmnet (its netlist in
// canonical text, docs/families/evo.md) and ID.json (its error metrics and how it was made). The id is the
// netlist's content id, so a file changed after it was stored no longer matches its name, and the
// reader refuses it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/evo/gate_netlist.hpp"
#include "models/spec.hpp"

namespace gm::evo {

// How a circuit was made, kept in ID.json beside its metrics.
struct Provenance {
  std::string seed_design;  // the spec the search started from, e.g. "exact:arch=array,w=8"
  std::string bound;        // the error bound it was evolved under, e.g. "wmed <= 0.5 %"
  double run_seconds = 0;   // the search's run time
  uint64_t random_seed = 0;
  std::string made_by;      // the program that stored it
  nlohmann::ordered_json search;  // the search's own record (weighted error, cost estimate, counts); may be null
};

// The model of a netlist: every pair simulated once (BitSim), then read from the table.
ModelFn netlist_model(const GateNetlist& n);

// `lib=shipped` names the library that comes with greenmac (models/evo/lib, installed beside the
// DNN models); any other value is the folder itself.
inline constexpr const char* kShippedLibrary = "shipped";
inline constexpr const char* kShippedLibraryData = "models/evo/lib";
std::filesystem::path library_dir(const std::string& lib);

// LIB/ID.gmnet
std::filesystem::path netlist_file(const std::filesystem::path& lib, const std::string& id);

// Stores the netlist's active gates (compacted()) as ID.gmnet and its metrics (every pair, uniform)
// and provenance as ID.json; returns the id. Files are written atomically; storing the same circuit
// twice rewrites the same files.
std::string store_in_library(const std::filesystem::path& lib, const GateNetlist& n, const Provenance& how);

// Adds the real flow's measurement to LIB/ID.json as its "measured" object (written atomically),
// beside the record store_in_library wrote; list_library orders by its energy_ratio_to_seed (chained).
void record_measurement(const std::filesystem::path& lib, const std::string& id, const nlohmann::ordered_json& measured);

// One circuit of a library as its ID.json describes it: what a consumer needs to choose among them.
struct LibraryEntry {
  std::string id;
  int w = 0;
  bool is_signed = false;
  // The energy per operation relative to root_seed: the real flow's measurement when `greenmac
  // evolve` made one, else the search's estimate; 0 when the record has neither. A search seeded from
  // another circuit of the same library records its ratio to that circuit; the ratios along the
  // chain are multiplied, so that circuits of one library compare by one yardstick.
  double energy_ratio = 0;
  bool measured = false;  // every ratio along the chain was measured
  std::string bound;
  std::string root_seed;  // the first seed of the chain that is not a circuit of this library
};

// Every ID.json of the folder whose ID.gmnet is there too, cheapest energy_ratio first (ties by
// id). Throws UserError for a folder that is not there or a record that does not parse.
std::vector<LibraryEntry> list_library(const std::filesystem::path& lib);

// Reads and parses LIB/ID.gmnet and checks that its content id is ID. Every problem (an id that is
// not one, a missing or malformed file, a content id that differs: the file was changed) throws
// gm::UserError with one line that names the file and how to fix it.
GateNetlist read_library_netlist(const std::filesystem::path& lib, const std::string& id);

}  // namespace gm::evo
