#include "models/dnn/layer_multipliers.hpp"

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "models/cache/cache_dir.hpp"  // fnv1a
#include "models/dnn/layer_names.hpp"
#include "models/dnn/operand_fit.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/map_lines.hpp"

namespace gm::dnn {

namespace {

const char* const kMapUsage =
    "; lines are `LAYER SPEC` (e.g. `conv1 drum:k=4,s=1`), `default SPEC` for the layers not named, # comments";

// The layer as the messages show it: "layer conv1" or "the default".
std::string what(const std::string& layer) { return layer == kDefaultLayer ? "the default multiplier" : "layer " + layer; }

}  // namespace

LayerMultipliers::LayerMultipliers() : default_(parse_spec("exact:s=1")) {}

LayerMultipliers::LayerMultipliers(const Spec& default_spec) : default_(default_spec) { check_dnn_spec(default_); }

void LayerMultipliers::assign(const std::string& layer, const Spec& spec, const std::string& origin) {
  try {
    check_dnn_spec(spec);
  } catch (const SpecError& e) {
    throw SpecError(origin + ": " + what(layer) + ": " + e.what());
  }
  const std::string fix = "; give each layer one multiplier";
  if (layer == kDefaultLayer) {
    if (!default_origin_.empty())
      throw UserError(what(layer) + " is given twice (" + default_origin_ + " and " + origin + ")" + fix);
    default_ = spec;
    default_origin_ = origin;
    return;
  }
  for (const auto& o : overrides_)
    if (o.layer == layer) throw UserError(what(layer) + " is given twice (" + o.origin + " and " + origin + ")" + fix);
  overrides_.push_back({layer, spec, origin});
}

const Spec& LayerMultipliers::spec_of(const std::string& name) const {
  for (const auto& o : overrides_)
    if (o.layer == name) return o.spec;
  return default_;
}

void LayerMultipliers::check(const Network& net) const {
  const auto layers = gemm_layers(net);
  for (const auto& o : overrides_) {
    bool found = false;
    for (const auto& g : layers) found = found || g.name == o.layer;
    if (!found)
      throw UserError(o.origin + ": model " + net.name + " has no conv or fc layer '" + o.layer + "'; its layers are " +
                      gemm_layer_name_list(net) + " (greenmac dnn eval --list-layers)");
  }
}

std::vector<LayerSpec> LayerMultipliers::assignments(const Network& net) const {
  check(net);
  std::vector<LayerSpec> out;
  for (const auto& g : gemm_layers(net)) out.push_back({g.index, g.name, spec_of(g.name)});
  return out;
}

std::vector<LayerSpec> LayerMultipliers::resolve(const Network& net) const {
  std::vector<LayerSpec> out = assignments(net);
  for (const auto& l : out) check_operands_fit(net, l.index, l.spec);
  return out;
}

std::string LayerMultipliers::canonical(const Network& net) const {
  std::string s;
  for (const auto& l : assignments(net)) s += (s.empty() ? "" : ";") + l.name + "=" + l.spec.canonical();
  return s;
}

std::string LayerMultipliers::name(const Network& net) const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a(canonical(net))));
  return std::string("gm_layers_") + buf;
}

std::vector<Spec> distinct_specs(const std::vector<LayerSpec>& layers) {
  std::vector<Spec> specs;
  for (const auto& l : layers) {
    bool seen = false;
    for (const auto& s : specs) seen = seen || s.canonical() == l.spec.canonical();
    if (!seen) specs.push_back(l.spec);
  }
  return specs;
}

namespace {

Spec parse_spec_at(const std::string& text, const std::string& origin, const std::string& layer) {
  try {
    return parse_spec(text);
  } catch (const SpecError& e) {
    throw SpecError(origin + ": " + what(layer) + ": " + e.what());
  }
}

}  // namespace

void add_mul_layer_option(LayerMultipliers& lm, const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw UserError("--mul-layer '" + text + "': expected LAYER=SPEC, e.g. --mul-layer conv1=drum:k=4,s=1 (one option "
                    "per layer; the layer names: greenmac dnn eval --list-layers)");
  const std::string layer = text.substr(0, eq);
  lm.assign(layer, parse_spec_at(text.substr(eq + 1), "--mul-layer", layer), "--mul-layer");
}

void add_mul_map_text(LayerMultipliers& lm, const std::string& text, const std::string& origin) {
  for (const MapLine& line : map_lines(text, origin)) {
    const auto& tok = line.tokens;
    if (tok.size() != 2) throw UserError(line.where + ": cannot read '" + line.text() + "'" + kMapUsage);
    lm.assign(tok[0], parse_spec_at(tok[1], line.where, tok[0]), line.where);
  }
}

void add_mul_map_file(LayerMultipliers& lm, const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw UserError("--mul-map '" + path + "' is not a readable file; give a file of `LAYER SPEC` lines (docs/dnn.md)");
  add_mul_map_text(lm, read_file(path), path);
}

LayerMultipliers layer_multipliers_from_options(const std::vector<std::string>& mul_layer_options,
                                                const std::string& map_file) {
  LayerMultipliers lm;
  if (!map_file.empty()) add_mul_map_file(lm, map_file);
  for (const auto& o : mul_layer_options) add_mul_layer_option(lm, o);
  return lm;
}

}  // namespace gm::dnn
