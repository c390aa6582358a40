// Reading tool logs for mistakes in the user's own files.
//
// When verilator, iverilog or yosys fails on a file the user gave (--rtl-dir), the failure is the
// user's input, not greenmac's: it is reported as one line "FILE:LINE: message" (exit 2) taken from
// the tool's log, instead of an internal error with the whole log.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gm {

// A file as the tool saw it (its name in the tool's working directory) and the user's file it
// is a copy of, which the message names.
struct UserSource {
  std::string tool_name;             // e.g. "gm_exact_u8_dadda.v" or "dut.v"
  std::filesystem::path user_path;   // e.g. /home/me/rtl/gm_exact_u8_dadda.v
};

// The first error in `log` located in one of `files`, as "USER_PATH:LINE: message (tool)", or
// nullopt when no error line names one of them (then the failure is greenmac's own).
// Understands Verilator ("%Error: f.v:12:5: msg"), Icarus ("f.v:12: syntax error") and Yosys
// ("f.v:12: ERROR: msg", "ERROR: Parser error in line f.v:12: msg").
std::optional<std::string> first_user_source_error(const std::string& log, const std::vector<UserSource>& files,
                                                   const std::string& tool);

}  // namespace gm
