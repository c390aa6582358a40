// The default table and the --mem-energy reader. Every number here is a table estimate.
#include "models/energy/mem_energy.hpp"

#include <cmath>
#include <set>
#include <nlohmann/json.hpp>

#include "models/errors.hpp"
#include "models/files.hpp"

namespace gm::energy {
namespace {

// Horowitz, ISSCC 2014, 45 nm, 0.9 V.
constexpr double kSram8kbRead64Pj45 = 10.0;       // 8 KB SRAM, 64-bit read
constexpr double kDramRead64PjLow = 1300.0;       // DRAM, 64-bit read: 1.3 .. 2.6 nJ
constexpr double kDramRead64PjHigh = 2600.0;
constexpr double kMul8Pj45 = 0.2, kAdd32Pj45 = 0.1;
constexpr double kFpMul32Pj45 = 3.7, kFpAdd32Pj45 = 0.9;  // fp32 add: Horowitz's table, not in the anchors file
// Dynamic energy ~ C V^2 with C ~ feature size: 45 nm, 0.9 V -> 180 nm, 1.8 V.
constexpr double kScale45To180 = (180.0 / 45.0) * (1.8 / 0.9) * (1.8 / 0.9);

using nlohmann::json;

[[noreturn]] void fail(const std::string& origin, const std::string& what) {
  throw UserError("memory energy table '" + origin + "': " + what +
                  " (see docs/energy.md for the schema)");
}

void check_keys(const json& obj, const std::set<std::string>& allowed, const std::string& origin,
                const std::string& where) {
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (!allowed.count(it.key())) fail(origin, "unknown field '" + where + it.key() + "'");
}

double energy_field(const json& obj, const char* key, const std::string& origin, const std::string& where) {
  if (!obj.contains(key)) fail(origin, "missing field '" + where + key + "'");
  const json& v = obj.at(key);
  if (!v.is_number()) fail(origin, "field '" + where + key + "' must be a number of pJ");
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < 0 || d > 1e9) fail(origin, "field '" + where + key + "' must be 0 .. 1e9 pJ");
  return d;
}

MemCost mem_cost(const json& obj, const std::string& origin, const std::string& name) {
  const std::string where = "buffers." + name + ".";
  if (!obj.is_object()) fail(origin, "'buffers." + name + "' must be an object {read_pj, write_pj, access_bits}");
  check_keys(obj, {"read_pj", "write_pj", "access_bits"}, origin, where);
  MemCost c;
  c.read_pj = energy_field(obj, "read_pj", origin, where);
  c.write_pj = energy_field(obj, "write_pj", origin, where);
  if (!obj.contains("access_bits")) fail(origin, "missing field '" + where + "access_bits'");
  const json& b = obj.at("access_bits");
  if (!b.is_number_integer() || b.get<int64_t>() < 1 || b.get<int64_t>() > 4096)
    fail(origin, "field '" + where + "access_bits' must be an integer 1 .. 4096");
  c.access_bits = static_cast<int>(b.get<int64_t>());
  return c;
}

std::string string_field(const json& obj, const char* key, const std::string& origin) {
  if (!obj.contains(key)) return "";
  if (!obj.at(key).is_string()) fail(origin, std::string("field '") + key + "' must be a string");
  return obj.at(key).get<std::string>();
}

}  // namespace

MemEnergyTable default_mem_energy_table() {
  MemEnergyTable t;
  t.name = "default (table estimate)";
  t.node = "OSU018 180 nm, 1.8 V (scaled from 45 nm, 0.9 V)";
  t.source =
      "Horowitz ISSCC 2014 (45 nm, 0.9 V): 8 KB SRAM 64-bit read 10 pJ, DRAM 64-bit read 1.3-2.6 nJ, 8-bit mul "
      "0.2 pJ, 32-bit add 0.1 pJ, fp32 mul 3.7 pJ, fp32 add 0.9 pJ; on-chip numbers x16 = (180/45) * (1.8/0.9)^2, "
      "DRAM unscaled (midpoint); SRAM write assumed equal to read";
  const double sram = kSram8kbRead64Pj45 * kScale45To180;  // 160 pJ per 64 bits
  t.weight = t.activation = t.accumulator = t.output = MemCost{sram, sram, 64};
  t.has_dram = true;
  const double dram = (kDramRead64PjLow + kDramRead64PjHigh) / 2;
  t.dram = MemCost{dram, dram, 64};
  t.int8_mac_pj = (kMul8Pj45 + kAdd32Pj45) * kScale45To180;
  t.fp32_mac_pj = (kFpMul32Pj45 + kFpAdd32Pj45) * kScale45To180;
  return t;
}

MemEnergyTable parse_mem_energy(const std::string& text, const std::string& origin) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    fail(origin, std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object()) fail(origin, "the top level must be an object");
  check_keys(j, {"name", "node", "source", "buffers", "compute"}, origin, "");
  MemEnergyTable t;
  t.name = string_field(j, "name", origin);
  t.node = string_field(j, "node", origin);
  t.source = string_field(j, "source", origin);
  if (t.name.empty()) t.name = origin;
  if (!j.contains("buffers") || !j.at("buffers").is_object()) fail(origin, "missing object 'buffers'");
  const json& b = j.at("buffers");
  check_keys(b, {"weight", "activation", "accumulator", "output", "dram"}, origin, "buffers.");
  for (const char* need : {"weight", "activation", "accumulator", "output"})
    if (!b.contains(need)) fail(origin, std::string("missing field 'buffers.") + need + "'");
  t.weight = mem_cost(b.at("weight"), origin, "weight");
  t.activation = mem_cost(b.at("activation"), origin, "activation");
  t.accumulator = mem_cost(b.at("accumulator"), origin, "accumulator");
  t.output = mem_cost(b.at("output"), origin, "output");
  t.has_dram = b.contains("dram");
  if (t.has_dram) t.dram = mem_cost(b.at("dram"), origin, "dram");
  if (!j.contains("compute") || !j.at("compute").is_object()) fail(origin, "missing object 'compute'");
  const json& c = j.at("compute");
  check_keys(c, {"int8_mac_pj", "fp32_mac_pj"}, origin, "compute.");
  t.int8_mac_pj = energy_field(c, "int8_mac_pj", origin, "compute.");
  t.fp32_mac_pj = energy_field(c, "fp32_mac_pj", origin, "compute.");
  return t;
}

MemEnergyTable load_mem_energy(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw UserError("memory energy table '" + path.string() + "' does not exist or is not a file (give a JSON file, "
                    "schema in docs/energy.md)");
  return parse_mem_energy(read_file(path), path.string());
}

}  // namespace gm::energy
