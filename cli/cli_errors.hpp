// The one-line error format for argument-parser (CLI11) errors and other multi-line messages.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace gm {

// `text` on one line: newlines and runs of spaces become single spaces, ends trimmed.
std::string one_line(const std::string& text);

// The message for a CLI11 parse error, without the "greenmac: error: " prefix: what went wrong and
// the help command of the (sub)command it concerns. An unknown command word is named as such.
std::string parse_error_line(const CLI::App& app, const CLI::ParseError& e, int argc, const char* const* argv);

}  // namespace gm
