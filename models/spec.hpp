// Spec strings and the family registry.
//
// A spec string names one multiplier variant everywhere (CLI, file names, reports, JSON):
//
//     FAMILY[:KEY=VAL,KEY=VAL...]        e.g.  drum:k=4,s=1
//
// Every family takes `w` (operand width, 2..16, default 8) and `s` (0 unsigned, 1 signed two's
// complement, default 0). The rest are declared once per family in a ParamDef table; parsing,
// range checks, `greenmac list`, help text and the randomized test sweeps all read that table.
//
// Each family registers itself from its own models/<family>.cpp through a static FamilyRegistrar;
// there is no central list. The RTL side registers separately (generator/registry.hpp) so that the
// model and the generator stay independent.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace gm {

// Raised for every user mistake in a spec; the message is one line that says what and how to fix.
struct SpecError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A bound that may depend on the operand width: value = per_w * w + offset.
struct Bound {
  int per_w = 0;
  int offset = 0;
  int at(int w) const { return per_w * w + offset; }
  std::string text() const;  // "2", "w", "2w", "w-1"
};

// One family parameter. Numeric when `choices` is empty, otherwise an enumeration.
struct ParamDef {
  std::string key;
  std::string help;
  Bound lo, hi;                      // numeric range, inclusive
  bool required = false;             // no default: the user must give it
  Bound def;                         // default (numeric) when not required
  std::vector<std::string> choices;  // enumeration values; choices[0] is the default
  bool is_text = false;              // free text (a name or a path), checked by the family
  bool is_path = false;              // text that is a file path: made absolute when parsed
  // is_path: a value that names one of greenmac's data folders instead of a path, e.g. "shipped",
  // and that folder (relative to the data directory, e.g. "models/evo/lib"). The spec holds the
  // folder's absolute path, so that a program without the data directory beside it (a Verilator
  // harness in the cache) reads the same files.
  std::string path_name, path_name_data;
  bool in_name = true;               // part of the design's name
  // A key added to a family after its designs were named (bam's and trunc's z): while it holds its
  // default it is left out of the canonical spec and of the name, so the existing designs keep
  // their spellings, names, file headers and cache entries. Numeric keys only.
  bool only_when_set = false;
  std::string text_default;          // default of an optional text parameter
  bool is_enum() const { return !choices.empty(); }
  bool is_number() const { return choices.empty() && !is_text; }
};

struct Spec;
// The arithmetic model of one variant: operands in their natural range (signed: -2^(w-1)..2^(w-1)-1),
// result the value of the 2w-bit output word read as signed (s=1) or unsigned (s=0).
using ModelFn = std::function<int64_t(int64_t a, int64_t b)>;

// Operand width and signedness of a design that fixes them itself (FamilyDef::operand_shape).
struct OperandShape {
  int w = 8;
  bool is_signed = false;
};

struct FamilyDef {
  std::string name;
  std::string summary;      // one line for `greenmac list`
  std::string reference;    // paper or definition the model follows
  std::string signed_mode;  // how signed operands are handled: "baugh-wooley", "sign-magnitude", ...
  std::vector<ParamDef> params;
  // Extra cross-parameter checks; returns "" when fine, else the one-line problem.
  std::function<std::string(const Spec&)> check;
  std::function<ModelFn(const Spec&)> make_model;
  // Parameter points (without w and s) for the default set; each is used with s=0 and s=1 at w=8.
  std::vector<std::string> default_points;
  // False for families that need user input (an external file): left out of the default set and
  // of random sweeps.
  bool in_sweeps = true;
  // For families whose design depends on more than the parameters that appear in the name (ext:
  // the imported file's bytes and the port mapping): a short identifier-safe tag computed once at
  // parse time and appended to the name, so that different designs never share a name.
  std::function<std::string(const Spec&)> name_tag;
  // For families whose design fixes w and s (evo: the netlist file's header): returns them from the
  // text parameters, or throws SpecError. parse_spec then sets w and s from it and refuses a spec
  // that gives other values. Such a family has no numeric parameter (their ranges depend on w).
  std::function<OperandShape(const Spec&)> operand_shape;
};

// A parsed, validated and completed spec (defaults filled in).
struct Spec {
  std::string family;
  int w = 8;
  bool is_signed = false;
  std::map<std::string, int> num;          // numeric parameters, all present after parsing
  std::map<std::string, std::string> str;  // enumeration and text parameters, all present after parsing
  std::string tag;                         // FamilyDef::name_tag at parse time ("" for most families)

  int get(const std::string& key) const;
  const std::string& get_str(const std::string& key) const;
  const FamilyDef& def() const;

  // `family:key=val,...` with every key spelled out (but an only_when_set key at its default), sorted:
  // equal for equal designs.
  std::string canonical() const;
  // Module, file and report name: gm_<family>_<u|s><w>[_<key><val>|_<enumval>]...[_<tag>], params
  // in the family's declared order. A Verilog identifier.
  std::string name() const;
  int out_width() const { return 2 * w; }
  // True for a parameter left out of canonical() and name(): an only_when_set key at its default.
  bool hidden(const ParamDef& p) const;
};

// Parse and validate; throws SpecError with a one-line message naming the problem and the valid range.
Spec parse_spec(const std::string& text);

// Registry.
void register_family(FamilyDef def);
const FamilyDef* find_family(const std::string& name);
std::vector<const FamilyDef*> all_families();  // sorted by name

struct FamilyRegistrar {
  explicit FamilyRegistrar(FamilyDef def) { register_family(std::move(def)); }
};

// The default set: every family at its default points, s=0 and s=1, w=8.
std::vector<Spec> default_set();

// A random valid spec of the family at width w and signedness s: every parameter uniform in its
// range (retrying when the family's cross-parameter check refuses). For sweeps and tests.
Spec random_spec(std::mt19937_64& rng, const FamilyDef& family, int w, bool is_signed);

// Expand CLI arguments: each element is a spec string; `--set default` adds the default set.
std::vector<Spec> expand_specs(const std::vector<std::string>& specs, const std::string& set_name);

}  // namespace gm
