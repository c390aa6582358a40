// One evaluated point of `greenmac explore` (cli/explore/search.hpp): a model file, the multiplier
// of every conv/fc layer, zero gating, and what was measured on it. Points are kept one JSON file
// each in DIR/points/<key>.json, written atomically as soon as a figure is known, so that an
// interrupted search resumes: the key is a hash of the point's recipe (its parent's key and the step
// that made it), the same in every run with the same options.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gm::explore {

// The measured whole-inference energy of a point (infer-energy's method, docs/energy.md), with the
// storage table estimate and the voltage estimate apart.
struct PointEnergy {
  double compute_nj = 0, compute_ci_nj = 0;  // measured: gate-level whole inferences
  double storage_nj = 0;                     // table estimate: accesses outside the array
  double voltage_nj = 0, voltage_v = 0;      // estimate: the compute at the lowest supply the slack allows
  double cycles = 0, slack_ns = 0;
  size_t images = 0;
  uint64_t mismatches = 0;  // logits and layer outputs that differ from the golden inference
  double seconds = 0;
};

struct Point {
  std::string key;     // hash of the recipe
  std::string lever;   // the lever this point adds to its parent: baseline, prune, precision, approx, ...
  std::string parent;  // the parent's key ("" for the baseline)
  std::string recipe;  // what was done, in words
  std::string model;   // model file (or a shipped model's name for the baseline)
  std::vector<std::string> mul_layers;  // LAYER=SPEC options that give its configuration
  std::string config;                   // the configuration's canonical text
  bool zero_gate = false;
  double sparsity = 0;   // channel pruning
  int width = 8;        // operand width of the layers after the first
  double val_accuracy = -1, test_accuracy = -1;  // -1: not evaluated
  std::optional<PointEnergy> energy;
  double train_seconds = 0;
  std::string note;  // why it was not measured, or what went wrong

  bool has_val() const { return val_accuracy >= 0; }
};

nlohmann::json to_json(const Point& p);
Point point_from_json(const nlohmann::json& j);  // throws nlohmann::json::exception on a bad file

// The key of a point made from `parent_key` by `step` (a canonical description of the step).
std::string point_key(const std::string& parent_key, const std::string& step);

// DIR/points: the points of one search.
class PointStore {
 public:
  explicit PointStore(const std::filesystem::path& dir);
  // The stored point of this key, if a complete file is there.
  std::optional<Point> load(const std::string& key) const;
  void save(const Point& p) const;  // atomic
  std::filesystem::path model_path(const std::string& key) const;  // DIR/models/<key>.json
  std::filesystem::path log_path(const std::string& key, const std::string& what) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace gm::explore
