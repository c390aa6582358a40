// The energy-per-access table of the storage estimate (docs/energy.md).
//
// Every number in it is a TABLE ESTIMATE, not a measurement: the defaults are Horowitz's 45 nm,
// 0.9 V figures (ISSCC 2014, /work/shared/reference/energy-anchors.md) scaled to greenmac's OSU018
// 180 nm, 1.8 V cells by dynamic energy ~ C * V^2 with C ~ feature size:
//     factor = (180 / 45) * (1.8 / 0.9)^2 = 16
// DRAM is a separate chip and is not scaled. `--mem-energy FILE` replaces the whole table.
#pragma once

#include <filesystem>
#include <string>

namespace gm::energy {

// One memory: pJ per access of access_bits bits. An element of b bits costs pj * b / access_bits
// (elements are packed into the buffer's words; partial words are not rounded up).
struct MemCost {
  double read_pj = 0, write_pj = 0;
  int access_bits = 64;
  double read_pj_per_bit() const { return read_pj / access_bits; }
  double write_pj_per_bit() const { return write_pj / access_bits; }
};

struct MemEnergyTable {
  std::string name;    // what the table is
  std::string node;    // the technology the numbers stand for
  std::string source;  // where they come from, and how they were scaled
  MemCost weight, activation, accumulator, output;
  bool has_dram = false;  // false: DRAM traffic is not counted
  MemCost dram;
  // Compute energy of one MAC, for the int8 vs fp32 comparison only (the measured compute energy of
  // the array comes from the netlist, not from here).
  double int8_mac_pj = 0;  // 8-bit multiply + 32-bit add
  double fp32_mac_pj = 0;  // fp32 multiply + fp32 add
};

// The shipped table (Horowitz 45 nm scaled x16 to 180 nm, 1.8 V). See docs/energy.md.
MemEnergyTable default_mem_energy_table();

// The JSON file of --mem-energy (schema in docs/energy.md). Throws UserError, one line
// naming the file and the field, for a missing, malformed or out-of-range file.
MemEnergyTable load_mem_energy(const std::filesystem::path& path);
MemEnergyTable parse_mem_energy(const std::string& text, const std::string& origin);

}  // namespace gm::energy
