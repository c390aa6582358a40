#include "models/evo/library.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "models/errors.hpp"
#include "models/evo/bit_sim.hpp"
#include "models/files.hpp"
#include "models/install_layout.hpp"
#include "models/metrics_json.hpp"
#include "models/pairs.hpp"

namespace fs = std::filesystem;

namespace gm::evo {

ModelFn netlist_model(const GateNetlist& n) {
  auto table = std::make_shared<std::vector<int64_t>>();
  BitSim().products(n, *table);
  const int w = n.w;
  return [table, w](int64_t a, int64_t b) { return (*table)[pair_index(a, b, w)]; };
}

fs::path library_dir(const std::string& lib) {
  return lib == kShippedLibrary ? data_file(kShippedLibraryData) : fs::path(lib);
}

fs::path netlist_file(const fs::path& lib, const std::string& id) { return lib / (id + ".gmnet"); }

std::string store_in_library(const fs::path& lib, const GateNetlist& n, const Provenance& how) {
  const GateNetlist stored = compacted(n);
  const std::string id = content_id(stored);
  const ErrorMetrics m = compute_metrics(netlist_model(stored), stored.w, stored.is_signed);
  nlohmann::ordered_json j;
  j["id"] = id;
  j["format"] = kFormatVersion;
  j["w"] = stored.w;
  j["s"] = stored.is_signed ? 1 : 0;
  j["gates"] = stored.gates.size();
  j["metrics"] = error_metrics_json<nlohmann::ordered_json>(m);
  j["provenance"] = {{"seed_design", how.seed_design}, {"bound", how.bound}, {"run_seconds", how.run_seconds},
                     {"random_seed", how.random_seed}, {"made_by", how.made_by}};
  if (!how.search.is_null()) j["search"] = how.search;
  fs::create_directories(lib);
  write_file_atomic(netlist_file(lib, id), canonical_text(stored));
  write_file_atomic(lib / (id + ".json"), j.dump(2) + "\n");
  return id;
}

void record_measurement(const fs::path& lib, const std::string& id, const nlohmann::ordered_json& measured) {
  const fs::path record = lib / (id + ".json");
  auto j = nlohmann::ordered_json::parse(read_file(record));
  j["measured"] = measured;
  write_file_atomic(record, j.dump(2) + "\n");
}

namespace {

// The id of an evo seed design ("evo:...,id=ID,..."), or "" for any other seed.
std::string evo_seed_id(const std::string& seed_design) {
  if (seed_design.rfind("evo:", 0) != 0) return "";
  std::istringstream params(seed_design.substr(4));
  for (std::string kv; std::getline(params, kv, ',');)
    if (kv.rfind("id=", 0) == 0) return kv.substr(3);
  return "";
}

// Rewrites each entry's ratio to its seed as a ratio to the first seed of its chain outside the
// library, following seeds that are circuits of the same library. Each ratio is one search's
// measurement of its circuit against its seed on its own stream: the product is exact when the
// searches of a chain share the stream (as the shipped library's do), an approximation otherwise.
void chain_to_first_seed(std::vector<LibraryEntry>& entries) {
  std::map<std::string, LibraryEntry> own;
  for (const auto& e : entries) own.emplace(e.id, e);
  for (auto& e : entries) {
    std::set<std::string> seen = {e.id};
    for (std::string seed = evo_seed_id(e.root_seed); own.count(seed) && seen.insert(seed).second;
         seed = evo_seed_id(e.root_seed)) {
      const LibraryEntry& parent = own.at(seed);
      e.energy_ratio *= parent.energy_ratio;
      e.measured = e.measured && parent.measured;
      e.root_seed = parent.root_seed;
    }
  }
}

}  // namespace

std::vector<LibraryEntry> list_library(const fs::path& lib) {
  if (!fs::is_directory(lib))
    throw UserError("evo library " + lib.string() + " is not a folder; give a folder written by greenmac evolve");
  std::vector<LibraryEntry> out;
  for (const auto& f : fs::directory_iterator(lib)) {
    if (f.path().extension() != ".json" || !is_content_id(f.path().stem().string())) continue;
    if (!fs::is_regular_file(netlist_file(lib, f.path().stem().string()))) continue;
    try {
      const auto j = nlohmann::json::parse(read_file(f.path()));
      LibraryEntry e;
      e.id = j.at("id").get<std::string>();
      e.w = j.at("w").get<int>();
      e.is_signed = j.at("s").get<int>() == 1;
      e.bound = j.at("provenance").at("bound").get<std::string>();
      e.root_seed = j.at("provenance").at("seed_design").get<std::string>();
      if (j.contains("measured") && j["measured"].contains("energy_ratio_to_seed")) {
        e.energy_ratio = j["measured"]["energy_ratio_to_seed"].get<double>();
        e.measured = true;
      } else if (j.contains("search") && j["search"].contains("switching_estimate_ratio_to_seed")) {
        e.energy_ratio = j["search"]["switching_estimate_ratio_to_seed"].get<double>();
      }
      out.push_back(e);
    } catch (const nlohmann::json::exception& e) {
      throw UserError(f.path().string() + ": not a circuit record (" + e.what() + "); restore it or store the circuit again");
    }
  }
  chain_to_first_seed(out);
  std::sort(out.begin(), out.end(), [](const LibraryEntry& a, const LibraryEntry& b) {
    return a.energy_ratio != b.energy_ratio ? a.energy_ratio < b.energy_ratio : a.id < b.id;
  });
  return out;
}

GateNetlist read_library_netlist(const fs::path& lib, const std::string& id) {
  if (!is_content_id(id))
    throw UserError("id=" + id + " is not a circuit id; give the " + std::to_string(kIdDigits) +
                    " lower-case hex digits of its file name in the library (ID of ID.gmnet)");
  const fs::path file = netlist_file(lib, id);
  if (!fs::is_regular_file(file))
    throw UserError("no circuit " + id + " in lib=" + lib.string() + " (" + file.string() +
                    " is not a file); give the library folder that holds ID.gmnet and ID.json");
  const GateNetlist n = parse_gate_netlist(read_file(file), file.string());
  const std::string actual = content_id(n);
  if (actual != id)
    throw UserError(file.string() + ": the netlist's content id is " + actual + ", not " + id +
                    ": the file was changed after it was stored; restore it, or store the new netlist under its own id");
  return n;
}

}  // namespace gm::evo
