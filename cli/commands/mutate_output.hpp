// The outputs of `greenmac mutate`, made from its rows of JSON, so that a run and `greenmac merge`
// of its shards (cli/shard/shard.hpp) print, write and check the same things from the same data.
// A row is what `mutate --json` prints for a design; the checks need two more facts per design,
// kept beside the rows (MutateChecks) so that the printed JSON stays as it was.
//
//   -o DIR  writes DIR/mutate.json (what --json prints) and DIR/report.md
//   --shard I/N -o DIR  mutates every N-th design from the I-th and writes DIR/shards/mutate-I-of-N.json;
//           `greenmac merge DIR` puts the rows back in the order of the unsharded run.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/checks.hpp"
#include "tb/mutate.hpp"

namespace gm {

nlohmann::json mutate_row(const MutateResult& r);
// {"reference_passed": bool, "escapes": [the `mutate` command of each escaped mutant]}
nlohmann::json mutate_row_checks(const MutateResult& r);

// The table `mutate` prints without --json.
std::string mutate_table(const nlohmann::json& rows);

// The failed checks (a design whose round trip fails verification, each escaped mutant), one per
// line, and the exit status: 1 when any design failed.
struct MutateChecks {
  std::string stderr_lines;
  int exit_code = 0;
};
MutateChecks mutate_checks(const nlohmann::json& rows, const nlohmann::json& row_checks);

// DIR/mutate.json and DIR/report.md, each written atomically.
void write_mutate_outputs(const std::filesystem::path& dir, const nlohmann::json& rows,
                          const nlohmann::json& row_checks);

// What every shard of one sweep must share: the whole design list and the options that decide a row.
nlohmann::json mutate_shard_args(const std::vector<Spec>& specs, const MutateOptions& opt);

}  // namespace gm
