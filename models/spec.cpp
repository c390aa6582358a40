#include "models/spec.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <sstream>

namespace gm {

namespace {

// Function-local static: families register from static initialisers in other translation units.
std::map<std::string, FamilyDef>& registry() {
  static std::map<std::string, FamilyDef> families;
  return families;
}

constexpr int kMinWidth = 2;
constexpr int kMaxWidth = 16;

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

bool parse_int(const std::string& text, int& out) {
  if (text.empty() || text.size() > 9) return false;
  size_t i = (text[0] == '-') ? 1 : 0;
  if (i == text.size()) return false;
  for (size_t k = i; k < text.size(); ++k)
    if (!std::isdigit(static_cast<unsigned char>(text[k]))) return false;
  out = std::stoi(text);
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

std::string Spec::canonical() const {
  std::map<std::string, std::string> all;
  all["w"] = std::to_string(w);
  all["s"] = is_signed ? "1" : "0";
  for (const auto& [k, v] : num) all[k] = std::to_string(v);
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
    if (!p.in_name) continue;
    if (p.is_text) {
      out += "_" + identifier(get_str(p.key));
    } else if (p.is_enum()) {
      out += "_" + get_str(p.key);
    } else {
      out += "_" + p.key + std::to_string(get(p.key));
    }
  }
  return out;
}

Spec parse_spec(const std::string& text_in) {
  const std::string text = trim(text_in);
  const size_t colon = text.find(':');
  const std::string fam = trim(text.substr(0, colon));
  const FamilyDef* def = find_family(fam);
  if (!def)
    throw SpecError("unknown family '" + fam + "' in spec '" + text + "'; known families: " +
                    family_names() + " (see `greenmac list`)");

  std::map<std::string, std::string> given;
  if (colon != std::string::npos) {
    std::stringstream ss(text.substr(colon + 1));
    std::string item;
    while (std::getline(ss, item, ',')) {
      item = trim(item);
      if (item.empty()) continue;
      const size_t eq = item.find('=');
      if (eq == std::string::npos)
        throw SpecError("'" + item + "' in spec '" + text + "' is not KEY=VALUE; write e.g. " + fam +
                        ":w=8,s=1");
      const std::string key = trim(item.substr(0, eq));
      if (given.count(key)) throw SpecError("key '" + key + "' given twice in spec '" + text + "'");
      given[key] = trim(item.substr(eq + 1));
    }
  }

  Spec spec;
  spec.family = fam;
  auto take_int = [&](const std::string& key, int lo, int hi, const std::string& range,
                      int& out) -> bool {
    auto it = given.find(key);
    if (it == given.end()) return false;
    int v = 0;
    if (!parse_int(it->second, v) || v < lo || v > hi)
      throw SpecError(fam + ": " + key + "=" + it->second + " is out of range; " + key + " must be " +
                      range);
    out = v;
    given.erase(it);
    return true;
  };

  spec.w = 8;
  take_int("w", kMinWidth, kMaxWidth, "an integer in 2..16", spec.w);
  int s = 0;
  take_int("s", 0, 1, "0 (unsigned) or 1 (signed)", s);
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
  if (def->check) {
    const std::string problem = def->check(spec);
    if (!problem.empty()) throw SpecError(fam + ": " + problem);
  }
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
