#include "models/spec.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <sstream>

#include "models/install_layout.hpp"

namespace gm {

namespace {

// Function-local static: families register from static initialisers in other translation units.
std::map<std::string, FamilyDef>& registry() {
  static std::map<std::string, FamilyDef> families;
  return families;
}

constexpr int kMinWidth = 2;
constexpr int kMaxWidth = 16;

// Strict decimal: digits only, no sign, no leading zero (except "0" itself). Spec strings are names
// too, so "008", "+4" and "-0" would be second spellings of a design; refusing them keeps one.
enum class IntParse { ok, not_decimal, too_large };
IntParse parse_int(const std::string& text, int& out) {
  if (text.empty()) return IntParse::not_decimal;
  for (char c : text)
    if (c < '0' || c > '9') return IntParse::not_decimal;
  if (text.size() > 1 && text[0] == '0') return IntParse::not_decimal;
  if (text.size() > 9) return IntParse::too_large;
  out = std::stoi(text);
  return IntParse::ok;
}

// Whitespace, control characters and bytes outside ASCII have no place in a spec (a path value may
// hold any printable character but the comma, which separates fields).
bool plain_ascii(const std::string& s, bool allow_space) {
  for (unsigned char c : s)
    if (c < 0x20 || c >= 0x7f || (c == ' ' && !allow_space)) return false;
  return true;
}

std::string family_names() {
  std::string out;
  for (const auto* f : all_families()) out += (out.empty() ? "" : ", ") + f->name;
  return out;
}

std::string key_names(const FamilyDef& def) {
  std::string out = "w, s";
  for (const auto& p : def.params) out += ", " + p.key;
  return out;
}

// Lower-case letters, digits and single underscores only: safe inside a Verilog identifier.
std::string identifier(const std::string& text) {
  std::string out;
  for (char c : text) {
    const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::isalnum(static_cast<unsigned char>(l))) out += l;
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "x" : out;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

std::string Bound::text() const {
  std::ostringstream os;
  if (per_w == 0) {
    os << offset;
  } else {
    if (per_w != 1) os << per_w;
    os << "w";
    if (offset > 0) os << "+" << offset;
    if (offset < 0) os << offset;
  }
  return os.str();
}

int Spec::get(const std::string& key) const {
  if (key == "w") return w;
  if (key == "s") return is_signed ? 1 : 0;
  auto it = num.find(key);
  if (it == num.end()) throw std::logic_error("spec " + family + " has no numeric key " + key);
  return it->second;
}

const std::string& Spec::get_str(const std::string& key) const {
  auto it = str.find(key);
  if (it == str.end()) throw std::logic_error("spec " + family + " has no enum key " + key);
  return it->second;
}

const FamilyDef& Spec::def() const {
  const FamilyDef* f = find_family(family);
  if (!f) throw std::logic_error("unregistered family " + family);
  return *f;
}

bool Spec::hidden(const ParamDef& p) const {
  return p.only_when_set && get(p.key) == p.def.at(w);
}

std::string Spec::canonical() const {
  std::map<std::string, std::string> all;
  all["w"] = std::to_string(w);
  all["s"] = is_signed ? "1" : "0";
  for (const auto& [k, v] : num) all[k] = std::to_string(v);
  if (const FamilyDef* f = find_family(family))
    for (const auto& p : f->params)
      if (hidden(p)) all.erase(p.key);
  for (const auto& [k, v] : str) all[k] = v;
  std::string out = family + ":";
  bool first = true;
  for (const auto& [k, v] : all) {
    out += (first ? "" : ",") + k + "=" + v;
    first = false;
  }
  return out;
}

std::string Spec::name() const {
  std::string out = "gm_" + family + "_" + (is_signed ? "s" : "u") + std::to_string(w);
  for (const auto& p : def().params) {
    if (!p.in_name || hidden(p)) continue;
    if (p.is_text) {
      out += "_" + identifier(get_str(p.key));
    } else if (p.is_enum()) {
      out += "_" + get_str(p.key);
    } else {
      out += "_" + p.key + std::to_string(get(p.key));
    }
  }
  if (!tag.empty()) out += "_" + tag;
  return out;
}

Spec parse_spec(const std::string& text) {
  const size_t colon = text.find(':');
  const std::string fam = text.substr(0, colon);
  std::string example = " (write e.g. drum:k=4,s=1)";
  if (fam.empty()) throw SpecError("spec '" + text + "' has no family before ':'; known families: " + family_names());
  const FamilyDef* def = find_family(fam);
  if (!def)
    throw SpecError("unknown family '" + fam + "' in spec '" + text + "'; known families: " +
                    family_names() + " (see `greenmac list`)");
  example = " (write e.g. " + fam + ":w=8,s=1)";

  std::map<std::string, std::string> given;
  if (colon != std::string::npos) {
    const std::string rest = text.substr(colon + 1);
    if (rest.empty())
      throw SpecError("spec '" + text + "' ends with ':'; give KEY=VALUE after it or drop the ':'" + example);
    std::vector<std::string> items;
    size_t start = 0;
    while (true) {
      const size_t comma = rest.find(',', start);
      items.push_back(rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    for (const auto& item : items) {
      if (item.empty())
        throw SpecError("spec '" + text + "' has an empty field (two commas, or a comma at either end)" + example);
      const size_t eq = item.find('=');
      if (eq == std::string::npos)
        throw SpecError("'" + item + "' in spec '" + text + "' is not KEY=VALUE; write e.g. " + fam +
                        ":w=8,s=1");
      const std::string key = item.substr(0, eq);
      const std::string value = item.substr(eq + 1);
      const ParamDef* pd = nullptr;
      for (const auto& p : def->params)
        if (p.key == key) pd = &p;
      const bool path_value = pd && pd->is_path;
      if (!plain_ascii(key, false) || !plain_ascii(value, path_value))
        throw SpecError("spec '" + text + "' contains a space, a control character or a non-ASCII character in '" +
                        item + "'; write keys and values without spaces" + example);
      if (key.empty()) throw SpecError("'" + item + "' in spec '" + text + "' has no key before '='" + example);
      if (value.empty())
        throw SpecError("key '" + key + "' in spec '" + text + "' has no value; write " + key + "=VALUE");
      if (given.count(key)) throw SpecError("key '" + key + "' given twice in spec '" + text + "'");
      given[key] = value;
    }
  }

  Spec spec;
  spec.family = fam;
  auto take_int = [&](const std::string& key, int lo, int hi, const std::string& range,
                      int& out) -> bool {
    auto it = given.find(key);
    if (it == given.end()) return false;
    int v = 0;
    const IntParse how = parse_int(it->second, v);
    if (how == IntParse::not_decimal)
      throw SpecError(fam + ": " + key + "=" + it->second + " is not a plain decimal number (digits only, no sign, "
                      "no leading zero); " + key + " must be " + range);
    if (how == IntParse::too_large || v < lo || v > hi)
      throw SpecError(fam + ": " + key + "=" + it->second + " is out of range; " + key + " must be " +
                      range);
    out = v;
    given.erase(it);
    return true;
  };

  spec.w = 8;
  const bool w_given = take_int("w", kMinWidth, kMaxWidth, "an integer in 2..16", spec.w);
  int s = 0;
  const bool s_given = take_int("s", 0, 1, "0 (unsigned) or 1 (signed)", s);
  spec.is_signed = s == 1;

  for (const auto& p : def->params) {
    if (p.is_text) {
      auto it = given.find(p.key);
      if (it == given.end()) {
        if (p.required)
          throw SpecError(fam + ": missing required key '" + p.key + "' (" + p.help + ")");
        spec.str[p.key] = p.text_default;
        continue;
      }
      if (it->second.empty()) throw SpecError(fam + ": " + p.key + " is empty; give " + p.key + "=<" + p.help + ">");
      if (p.is_path && !p.path_name.empty() && it->second == p.path_name)
        spec.str[p.key] = data_file(p.path_name_data).lexically_normal().string();
      else
        spec.str[p.key] = p.is_path ? std::filesystem::absolute(it->second).lexically_normal().string() : it->second;
      given.erase(it);
      continue;
    }
    if (p.is_enum()) {
      auto it = given.find(p.key);
      if (it == given.end()) {
        spec.str[p.key] = p.choices.front();
        continue;
      }
      if (std::find(p.choices.begin(), p.choices.end(), it->second) == p.choices.end())
        throw SpecError(fam + ": " + p.key + "=" + it->second + " is not valid; " + p.key +
                        " must be one of " + join(p.choices, "|"));
      spec.str[p.key] = it->second;
      given.erase(it);
      continue;
    }
    const int lo = p.lo.at(spec.w), hi = p.hi.at(spec.w);
    const std::string range = "an integer in " + p.lo.text() + ".." + p.hi.text() + " (" +
                              std::to_string(lo) + ".." + std::to_string(hi) + " at w=" +
                              std::to_string(spec.w) + ")";
    int v = 0;
    if (take_int(p.key, lo, hi, range, v)) {
      spec.num[p.key] = v;
    } else if (p.required) {
      throw SpecError(fam + ": missing required key '" + p.key + "' (" + p.help + "); give " + p.key +
                      "=N with N " + range.substr(3));
    } else {
      spec.num[p.key] = p.def.at(spec.w);
    }
  }
  if (!given.empty())
    throw SpecError("unknown key '" + given.begin()->first + "' for family " + fam + "; its keys are " +
                    key_names(*def));
  if (def->operand_shape) {
    const OperandShape shape = def->operand_shape(spec);
    if (w_given && spec.w != shape.w)
      throw SpecError(fam + ": w=" + std::to_string(spec.w) + " but the design has w=" + std::to_string(shape.w) +
                      "; leave w out (it comes from the design) or write w=" + std::to_string(shape.w));
    if (s_given && spec.is_signed != shape.is_signed)
      throw SpecError(fam + ": s=" + std::to_string(s) + " but the design has s=" + (shape.is_signed ? "1" : "0") +
                      "; leave s out (it comes from the design) or write s=" + (shape.is_signed ? "1" : "0"));
    spec.w = shape.w;
    spec.is_signed = shape.is_signed;
  }
  if (def->check) {
    const std::string problem = def->check(spec);
    if (!problem.empty()) throw SpecError(fam + ": " + problem);
  }
  if (def->name_tag) spec.tag = def->name_tag(spec);
  return spec;
}

void register_family(FamilyDef def) {
  auto& reg = registry();
  if (reg.count(def.name)) throw std::logic_error("family registered twice: " + def.name);
  std::string name = def.name;
  reg.emplace(std::move(name), std::move(def));
}

const FamilyDef* find_family(const std::string& name) {
  auto& reg = registry();
  auto it = reg.find(name);
  return it == reg.end() ? nullptr : &it->second;
}

std::vector<const FamilyDef*> all_families() {
  std::vector<const FamilyDef*> out;
  for (const auto& [name, def] : registry()) out.push_back(&def);
  return out;
}

std::vector<Spec> default_set() {
  std::vector<Spec> out;
  for (const auto* f : all_families()) {
    if (!f->in_sweeps) continue;
    std::vector<std::string> points = f->default_points;
    if (points.empty()) points.push_back("");
    for (int s = 0; s <= 1; ++s)
      for (const auto& pt : points) {
        std::string text = f->name + ":w=8,s=" + std::to_string(s) + (pt.empty() ? "" : "," + pt);
        out.push_back(parse_spec(text));
      }
  }
  return out;
}

Spec random_spec(std::mt19937_64& rng, const FamilyDef& family, int w, bool is_signed) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    std::string text = family.name + ":w=" + std::to_string(w) + ",s=" + (is_signed ? "1" : "0");
    for (const auto& p : family.params) {
      if (p.is_enum()) {
        text += "," + p.key + "=" + p.choices[rng() % p.choices.size()];
      } else {
        const int lo = p.lo.at(w), hi = p.hi.at(w);
        if (hi < lo) break;
        text += "," + p.key + "=" + std::to_string(lo + static_cast<int>(rng() % (hi - lo + 1)));
      }
    }
    try {
      return parse_spec(text);
    } catch (const SpecError&) {
      // a cross-parameter check refused this draw; draw again
    }
  }
  throw std::logic_error("no valid random spec for family " + family.name + " at w=" + std::to_string(w));
}

std::vector<Spec> expand_specs(const std::vector<std::string>& specs, const std::string& set_name) {
  std::vector<Spec> out;
  if (!set_name.empty()) {
    if (set_name != "default")
      throw SpecError("unknown set '" + set_name + "'; the only set is 'default'");
    out = default_set();
  }
  for (const auto& t : specs) out.push_back(parse_spec(t));
  // Drop repeats (same canonical name), keeping the first.
  std::set<std::string> seen;
  std::vector<Spec> uniq;
  for (auto& s : out)
    if (seen.insert(s.name()).second) uniq.push_back(std::move(s));
  if (uniq.empty()) throw SpecError("no designs given; name at least one SPEC or use --set default");
  return uniq;
}

}  // namespace gm
