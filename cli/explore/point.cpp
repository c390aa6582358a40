#include "cli/explore/point.hpp"

#include "models/cache/cache_dir.hpp"
#include "models/files.hpp"

namespace fs = std::filesystem;

namespace gm::explore {

nlohmann::json to_json(const Point& p) {
  nlohmann::json j = {{"key", p.key},           {"lever", p.lever},         {"parent", p.parent},
                      {"recipe", p.recipe},     {"model", p.model},         {"mul_layers", p.mul_layers},
                      {"config", p.config},     {"zero_gate", p.zero_gate}, {"sparsity", p.sparsity},
                      {"width", p.width},       {"val_accuracy", p.val_accuracy},
                      {"test_accuracy", p.test_accuracy}, {"train_seconds", p.train_seconds}, {"note", p.note}};
  if (p.energy) {
    const PointEnergy& e = *p.energy;
    j["energy"] = {{"compute_nj", e.compute_nj}, {"compute_ci_nj", e.compute_ci_nj}, {"storage_nj", e.storage_nj},
                   {"voltage_nj", e.voltage_nj}, {"voltage_v", e.voltage_v},         {"cycles", e.cycles},
                   {"slack_ns", e.slack_ns},     {"images", e.images},               {"mismatches", e.mismatches},
                   {"seconds", e.seconds}};
  }
  return j;
}

Point point_from_json(const nlohmann::json& j) {
  Point p;
  p.key = j.at("key"), p.lever = j.at("lever"), p.parent = j.at("parent"), p.recipe = j.at("recipe");
  p.model = j.at("model"), p.mul_layers = j.at("mul_layers").get<std::vector<std::string>>();
  p.config = j.at("config"), p.zero_gate = j.at("zero_gate"), p.sparsity = j.at("sparsity"), p.width = j.at("width");
  p.val_accuracy = j.at("val_accuracy"), p.test_accuracy = j.at("test_accuracy");
  p.train_seconds = j.at("train_seconds"), p.note = j.at("note");
  if (j.contains("energy")) {
    const auto& e = j.at("energy");
    PointEnergy pe;
    pe.compute_nj = e.at("compute_nj"), pe.compute_ci_nj = e.at("compute_ci_nj"), pe.storage_nj = e.at("storage_nj");
    pe.voltage_nj = e.at("voltage_nj"), pe.voltage_v = e.at("voltage_v"), pe.cycles = e.at("cycles");
    pe.slack_ns = e.at("slack_ns"), pe.images = e.at("images"), pe.mismatches = e.at("mismatches");
    pe.seconds = e.at("seconds");
    p.energy = pe;
  }
  return p;
}

std::string point_key(const std::string& parent_key, const std::string& step) {
  return hex64(fnv1a(step, fnv1a(parent_key)));
}

PointStore::PointStore(const fs::path& dir) : dir_(dir) {
  fs::create_directories(dir_ / "points");
  fs::create_directories(dir_ / "models");
  fs::create_directories(dir_ / "logs");
}

std::optional<Point> PointStore::load(const std::string& key) const {
  const fs::path f = dir_ / "points" / (key + ".json");
  std::error_code ec;
  if (!fs::is_regular_file(f, ec)) return std::nullopt;
  try {
    return point_from_json(nlohmann::json::parse(read_file(f)));
  } catch (const std::exception&) {
    return std::nullopt;  // written by another version, or damaged: the point is evaluated again
  }
}

void PointStore::save(const Point& p) const {
  write_file_atomic(dir_ / "points" / (p.key + ".json"), to_json(p).dump(2) + "\n");
}

fs::path PointStore::model_path(const std::string& key) const { return dir_ / "models" / (key + ".json"); }

fs::path PointStore::log_path(const std::string& key, const std::string& what) const {
  return dir_ / "logs" / (key + "." + what + ".log");
}

}  // namespace gm::explore
