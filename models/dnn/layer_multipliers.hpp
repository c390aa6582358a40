// A multiplier per layer: a default spec plus overrides, layer name -> spec (names from
// models/dnn/layer_names.hpp). Parsed from `--mul-layer LAYER=SPEC` options and `--mul-map FILE`
// files (docs/dnn.md, "Per-layer multipliers"), checked against a network, and resolved into one
// spec per conv/fc layer. It is the one description of a per-layer configuration that every stage
// receives (the golden engine LayerGemm, dnn eval; later the array runs): parsed once, passed as an
// object, never as text.
//
// Its canonical text names the configuration in reports and JSON: every conv/fc layer of the
// network in network order, each with its canonical spec (the default for those not overridden),
//     conv1=drum:k=4,s=1,w=8;conv2=exact:arch=dadda,s=1,w=8;fc1=exact:arch=dadda,s=1,w=8
// so two assignments that give every layer the same multiplier have the same text, however they
// were written.
#pragma once

#include <string>
#include <vector>

#include "models/dnn/network.hpp"
#include "models/spec.hpp"

namespace gm::dnn {

// The pseudo layer name that sets the multiplier of every layer not named (`default=SPEC`).
inline constexpr const char* kDefaultLayer = "default";

struct LayerOverride {
  std::string layer;   // as given; check() proves it names a conv/fc layer of the network
  Spec spec;           // signed, 4 to 8 bits (check_dnn_spec)
  std::string origin;  // where it was given, for messages: "--mul-layer", "map.txt:3"
};

// One conv/fc layer's resolved multiplier.
struct LayerSpec {
  size_t index = 0;  // in net.layers
  std::string name;  // layer_name(net, index)
  Spec spec;
};

class LayerMultipliers {
 public:
  LayerMultipliers();  // every layer exact:s=1
  explicit LayerMultipliers(const Spec& default_spec);

  // Gives layer `layer` the multiplier `spec` (or every layer not named, when layer is "default").
  // Throws SpecError when the spec is not 8-bit signed, UserError when the layer (or the default)
  // was given before; both messages name `origin`.
  void assign(const std::string& layer, const Spec& spec, const std::string& origin);

  const Spec& default_spec() const { return default_; }
  const std::vector<LayerOverride>& overrides() const { return overrides_; }
  // True when nothing was assigned (no override and no explicit default).
  bool empty() const { return overrides_.empty() && default_origin_.empty(); }
  // The multiplier of the layer named `name`: its override, else the default.
  const Spec& spec_of(const std::string& name) const;

  // Throws UserError when an override names no conv/fc layer of `net`; the message lists the
  // network's layer names.
  void check(const Network& net) const;
  // check(), then the multiplier of every conv/fc layer of `net` in network order.
  std::vector<LayerSpec> assignments(const Network& net) const;
  // assignments(), after checking that every layer's operands fit its multiplier's width
  // (check_operands_fit: UserError for a narrow multiplier on a wider layer): what runs `net`.
  std::vector<LayerSpec> resolve(const Network& net) const;
  // The canonical text (above) for `net`; checks the names first.
  std::string canonical(const Network& net) const;
  // A short identifier of the configuration for file names: "gm_layers_" + 16 hex digits of the
  // FNV-1a hash of canonical(net).
  std::string name(const Network& net) const;

 private:
  Spec default_;
  std::string default_origin_;  // "" while the default is the constructor's
  std::vector<LayerOverride> overrides_;
};

// The distinct specs of resolved layers, in the order of their first layer (one array, harness or
// netlist per spec in the hardware paths, shared by the layers that use it).
std::vector<Spec> distinct_specs(const std::vector<LayerSpec>& layers);

// One --mul-layer value: LAYER=SPEC, split at the FIRST '=' (the spec has its own '=' and ',').
// Throws UserError for a value without a layer or a spec, SpecError for a bad spec.
void add_mul_layer_option(LayerMultipliers& lm, const std::string& text);

// The text of a map file: one `LAYER SPEC` per line (`default SPEC` for the layers not named),
// '#' starts a comment that runs to the end of the line, blank lines are skipped. `origin` (the
// file name) and the line number name a bad line in the message.
void add_mul_map_text(LayerMultipliers& lm, const std::string& text, const std::string& origin);
// Reads the map file first (UserError when it cannot be read).
void add_mul_map_file(LayerMultipliers& lm, const std::string& path);

// The configuration of the command-line options: the map file (when `map_file` is not empty), then
// every --mul-layer value; exact:s=1 for the layers neither names (unless one says `default`).
LayerMultipliers layer_multipliers_from_options(const std::vector<std::string>& mul_layer_options,
                                                const std::string& map_file);

}  // namespace gm::dnn
