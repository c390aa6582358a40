// Shard records of characterize and synth: every field of a characterization row and of a synthesis
// result as JSON, and back, so that `greenmac merge` rebuilds the very rows the shards computed and
// writes the report an unsharded run writes, byte for byte.
//
// Unlike char_row_json and synth_result_json (the reports' interface, which leave out what the
// reports do not show and derive some figures from others), these records keep every member, and
// doubles are written with enough digits to read back the same bits. A record is read back with
// the same build that wrote it (shards of one sweep), so there is no versioning.
#pragma once

#include <nlohmann/json.hpp>

#include "cli/report/characterize.hpp"
#include "synth/mult_synth.hpp"

namespace gm {

nlohmann::json synth_record(const SynthResult& r);
SynthResult synth_from_record(const nlohmann::json& j);  // throws nlohmann::json::exception on a bad record

nlohmann::json char_row_record(const CharRow& r);
CharRow char_row_from_record(const nlohmann::json& j);  // throws nlohmann::json::exception on a bad record

}  // namespace gm
