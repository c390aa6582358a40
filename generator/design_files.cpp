#include "generator/design_files.hpp"

#include "models/files.hpp"
#include "generator/registry.hpp"
#include "models/version.hpp"

namespace fs = std::filesystem;

namespace gm {

nlohmann::json manifest_entry(const Spec& spec) {
  nlohmann::json params = nlohmann::json::object();
  params["w"] = spec.w;
  params["s"] = spec.is_signed ? 1 : 0;
  for (const auto& [k, v] : spec.num) params[k] = v;
  for (const auto& p : spec.def().params)
    if (spec.hidden(p)) params.erase(p.key);  // as in the canonical spec: a later key only when set
  for (const auto& [k, v] : spec.str) params[k] = v;
  const std::string w = std::to_string(spec.w), y = std::to_string(spec.out_width());
  return {
      {"spec", spec.canonical()},
      {"name", spec.name()},
      {"file", spec.name() + ".v"},
      {"family", spec.family},
      {"signed", spec.is_signed},
      {"params", params},
      {"ports", nlohmann::json::array({
                    {{"name", "a_i"}, {"dir", "input"}, {"width", spec.w}},
                    {{"name", "b_i"}, {"dir", "input"}, {"width", spec.w}},
                    {{"name", "y_o"}, {"dir", "output"}, {"width", spec.out_width()}},
                })},
  };
}

std::vector<fs::path> write_designs(const std::vector<Spec>& specs, const fs::path& dir) {
  std::vector<std::string> texts;
  for (const auto& s : specs) texts.push_back(rtl::generate_verilog(s));
  ensure_output_dir(dir);
  nlohmann::json manifest = {{"generator", "greenmac"}, {"version", kVersion}, {"designs", nlohmann::json::array()}};
  std::vector<fs::path> paths;
  for (size_t i = 0; i < specs.size(); ++i) {
    const fs::path p = dir / (specs[i].name() + ".v");
    write_file_atomic(p, texts[i]);
    paths.push_back(p);
    manifest["designs"].push_back(manifest_entry(specs[i]));
  }
  write_file_atomic(dir / "manifest.json", manifest.dump(2) + "\n");
  return paths;
}

}  // namespace gm
