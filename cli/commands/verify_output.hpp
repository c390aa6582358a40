// The outputs of `greenmac verify`, made from its rows of JSON (one per design, the objects
// `verify --json` prints), so that a run and `greenmac merge` of its shards (cli/shard/shard.hpp)
// print, write and check the same things from the same data.
//
//   -o DIR  writes DIR/verify.json (what --json prints) and DIR/report.md
//   --shard I/N -o DIR  verifies every N-th design from the I-th and writes DIR/shards/verify-I-of-N.json;
//           `greenmac merge DIR` puts the rows back in the order of the unsharded run.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/checks.hpp"
#include "tb/verify.hpp"

namespace gm {

nlohmann::json verify_row(const VerifyResult& r);

// The lines `verify` prints without --json: PASS/FAIL per design, then the summary with the builds.
std::string verify_text(const nlohmann::json& rows, const std::string& sim, int builds, int cached_builds);

// One failed check per design that did not match its model.
CheckLog verify_checks(const nlohmann::json& rows);

// DIR/verify.json and DIR/report.md, each written atomically.
void write_verify_outputs(const std::filesystem::path& dir, const nlohmann::json& rows, const std::string& sim);

// What every shard of one sweep must share: the whole design list (canonical specs) and the options
// that decide a row.
nlohmann::json verify_shard_args(const std::vector<Spec>& specs, const VerifyOptions& opt);

}  // namespace gm
