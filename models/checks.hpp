// The checks a command makes on its own results: RTL against the models, a mapped netlist against
// its design, an array's cycle count against the cycle model, a proof, a lint. A command records
// every failed check here and returns finish(), so no check can fail without deciding the exit
// status: 0 when all passed, 1 when any failed (bad input is a UserError: 2, before any check runs).
#pragma once

#include <string>
#include <vector>

namespace gm {

class CheckLog {
 public:
  // Records one failed check, e.g. "verify: drum_k4_w8_s1: 3 mismatches of 65536 pairs".
  void fail(std::string what) { failed_.push_back(std::move(what)); }
  // Records `what` as failed unless `passed`.
  void expect(bool passed, std::string what) {
    if (!passed) fail(std::move(what));
  }
  bool ok() const { return failed_.empty(); }
  int exit_code() const { return ok() ? 0 : 1; }
  const std::vector<std::string>& failures() const { return failed_; }
  // "greenmac: check failed: WHAT" per failure (stderr opens with these), "" when none failed.
  std::string stderr_lines() const;
  // The same as report lines: "**check failed:** WHAT" per failure, then a blank line.
  std::string markdown_lines() const;
  // Prints stderr_lines() and returns exit_code(): the last statement of a command that checks.
  int finish() const;

 private:
  std::vector<std::string> failed_;
};

}  // namespace gm
