// greenmac list [--json] [--default]: the families with their keys and ranges, or the default set.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "models/spec.hpp"

namespace gm {
namespace {

nlohmann::json param_json(const ParamDef& p) {
  nlohmann::json j = {{"key", p.key}, {"help", p.help}};
  if (p.is_text) {
    j["text"] = true;
    j["required"] = p.required;
    if (!p.required) j["default"] = p.text_default;
  } else if (p.is_enum()) {
    j["choices"] = p.choices;
    j["default"] = p.choices.front();
  } else {
    j["min"] = p.lo.text();
    j["max"] = p.hi.text();
    j["required"] = p.required;
    if (!p.required) j["default"] = p.def.text();
  }
  return j;
}

int run_list(bool json, bool defaults) {
  if (defaults) {
    const auto set = default_set();
    if (json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& s : set) out.push_back({{"spec", s.canonical()}, {"name", s.name()}});
      std::cout << out.dump(2) << "\n";
    } else {
      for (const auto& s : set) std::cout << s.canonical() << "\n";
    }
    return 0;
  }
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto* f : all_families()) {
      nlohmann::json params = nlohmann::json::array();
      params.push_back({{"key", "w"}, {"help", "operand width"}, {"min", "2"}, {"max", "16"}, {"default", "8"}});
      params.push_back({{"key", "s"}, {"help", "1 signed, 0 unsigned"}, {"min", "0"}, {"max", "1"}, {"default", "0"}});
      for (const auto& p : f->params) params.push_back(param_json(p));
      out.push_back({{"family", f->name}, {"summary", f->summary}, {"reference", f->reference},
                     {"signed", f->signed_mode}, {"params", params}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << "Every family takes w=2..16 (operand width, default 8) and s=0|1 (signed, default 0).\n\n";
  for (const auto* f : all_families()) {
    std::cout << f->name << "  " << f->summary << "\n";
    std::cout << "    reference: " << f->reference << "\n";
    std::cout << "    signed:    " << f->signed_mode << "\n";
    for (const auto& p : f->params) {
      std::cout << "    " << p.key << "=";
      if (p.is_text) {
        std::cout << "TEXT" << (p.required ? " (required)" : " (default " + p.text_default + ")");
      } else if (p.is_enum()) {
        for (size_t i = 0; i < p.choices.size(); ++i) std::cout << (i ? "|" : "") << p.choices[i];
        std::cout << " (default " << p.choices.front() << ")";
      } else {
        std::cout << p.lo.text() << ".." << p.hi.text();
        std::cout << (p.required ? " (required)" : " (default " + p.def.text() + ")");
      }
      std::cout << "  " << p.help << "\n";
    }
    std::cout << "\n";
  }
  return 0;
}

const CommandRegistrar reg({
    .name = "list",
    .help = "list the multiplier families with their keys and ranges, or the default set",
    .order = 10,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto json = std::make_shared<bool>(false);
          auto defaults = std::make_shared<bool>(false);
          sub.add_flag("--json", *json, "print JSON");
          sub.add_flag("--default", *defaults, "print the default set of designs, one canonical spec a line");
          return [=] { return run_list(*json, *defaults); };
        },
});

}  // namespace
}  // namespace gm
