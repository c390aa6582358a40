#include "cli/command.hpp"

#include <algorithm>

namespace gm {

namespace {
std::vector<CommandDef>& commands() {
  static std::vector<CommandDef> table;
  return table;
}
}  // namespace

void register_command(CommandDef def) { commands().push_back(std::move(def)); }

std::vector<CommandDef> all_commands() {
  auto out = commands();
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.order < y.order; });
  return out;
}

void SpecArgs::add_to(CLI::App& sub, bool /*required*/) {
  sub.add_option("SPEC", specs, "design specs, FAMILY[:KEY=VAL,...], e.g. drum:k=4,s=1 (see `greenmac list`)");
  sub.add_option("--set", set, "add a named set of designs; 'default' is the default set")
      ->check(CLI::IsMember({"default"}));
}

}  // namespace gm
