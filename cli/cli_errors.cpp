#include "cli/cli_errors.hpp"

namespace gm {

std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

namespace {

// Named subcommands only: option groups are nameless subcommands in CLI11.
std::vector<const CLI::App*> commands_of(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); });
}

const CLI::App* find_sub(const CLI::App& app, const std::string& name) {
  for (const CLI::App* s : commands_of(app))
    if (s->get_name() == name) return s;
  return nullptr;
}

}  // namespace

std::string parse_error_line(const CLI::App& app, const CLI::ParseError& e, int argc, const char* const* argv) {
  // Walk the command words in argv ("dnn eval") to find the command the error concerns. Only apps
  // that have subcommands take command words, so option values are not mistaken for commands.
  const CLI::App* at = &app;
  std::string path = "greenmac";
  std::string unknown_word, first_option;
  for (int i = 1; i < argc; ++i) {
    const std::string tok = argv[i];
    const bool has_subs = !commands_of(*at).empty();
    if (!has_subs) break;
    if (tok == "--") break;
    if (!tok.empty() && tok[0] == '-') {
      if (first_option.empty()) first_option = tok;
      continue;
    }
    if (const CLI::App* s = find_sub(*at, tok)) {
      at = s;
      path += " " + tok;
      continue;
    }
    unknown_word = tok;  // a word where a command belongs
    break;
  }
  const bool needs_command = !commands_of(*at).empty();
  if (needs_command && !unknown_word.empty())
    return "unknown command '" + unknown_word + "'; run '" + path + " --help' for the list";
  if (needs_command && dynamic_cast<const CLI::RequiredError*>(&e))
    return (path == "greenmac" ? "no command given" : "'" + path + "' needs a subcommand") +
           (first_option.empty() ? "" : " (unknown option '" + first_option + "' before it)") + "; run '" + path +
           " --help' for the list";
  return one_line(e.what()) + "; run '" + path + " --help'";
}

}  // namespace gm
