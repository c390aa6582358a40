// `--trace DIR` of verify and gemm (docs/verification.md "Waveforms"): the option, and the line a
// failing run prints so that the user can re-run it with a waveform.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace gm {

// The directory a reproduce line suggests.
inline constexpr const char* kSuggestedTraceDir = "greenmac-trace";

// Adds `--trace DIR` to a command; `dir` stays "" when it is not given.
void add_trace_option(CLI::App& sub, std::string* dir, const std::string& what);

// Checks, before any work, that DIR can be created and written (UserError naming --trace otherwise).
void check_trace_dir(const std::string& dir);

// A word as a POSIX shell reads it back: as it is when it holds only safe characters, else in '...'.
std::string shell_quote(const std::string& word);

// Prints to stderr "greenmac: reproduce with a waveform: greenmac WORDS... --trace greenmac-trace",
// `words` being the command and the arguments that reproduce the run.
void print_reproduce_line(const std::vector<std::string>& words);

}  // namespace gm
