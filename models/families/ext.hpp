// ext: a third-party combinational multiplier, e.g. an EvoApproxLib circuit.
//
//   ext:path=FILE.v,top=NAME[,a=PORT,b=PORT,y=PORT,w=W,s=S]
//
// Its model is its own truth table, obtained by simulating the module on every operand pair. The
// table is made on the RTL side (generator/families/ext.cpp, which can run a simulator) through the provider
// hook below and kept in the cache, keyed by the file's contents and the spec; the model reads it
// from there, so processes without the hook (the Verilator harness) use the same table.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "models/spec.hpp"

namespace gm {

inline constexpr int kMaxExternalWidth = 12;  // the truth table has 2^(2w) entries

using ExternalTableProvider = std::function<std::vector<int64_t>(const Spec&)>;
void set_external_table_provider(ExternalTableProvider provider);

// What else the table depends on besides the file and the spec: the simulator's version and
// greenmac's build. greenmac installs a function that computes it (generator/families/ext.cpp, called at
// most once); the Verilator harness, which cannot compute it, is given greenmac's value as text.
void set_external_table_salt(std::function<std::string()> salt);
std::string external_table_salt();

// The key of the spec's truth table in the cache (CacheStore kind "ext"): the salt, the canonical
// spec and the file's bytes.
std::string external_table_key(const Spec& spec);

}  // namespace gm
