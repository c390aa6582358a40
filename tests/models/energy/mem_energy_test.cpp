// The energy-per-access table: the default's scaling by hand, the JSON reader and its one-line errors.
#include <gtest/gtest.h>

#include "models/energy/layer_stats.hpp"
#include "models/energy/mem_energy.hpp"
#include "models/errors.hpp"

namespace gm::energy {
namespace {

// Horowitz 45 nm: 8 KB SRAM 64-bit read 10 pJ; x (180/45) * (1.8/0.9)^2 = 16 -> 160 pJ per 64 bits.
// int8 MAC: (0.2 + 0.1) * 16 = 4.8 pJ; fp32 MAC: (3.7 + 0.9) * 16 = 73.6 pJ; DRAM (1.3 + 2.6) / 2 nJ.
TEST(MemEnergy, DefaultTableIsHorowitzScaledSixteenTimes) {
  const MemEnergyTable t = default_mem_energy_table();
  for (const MemCost* c : {&t.weight, &t.activation, &t.accumulator, &t.output}) {
    EXPECT_DOUBLE_EQ(c->read_pj, 160.0);
    EXPECT_DOUBLE_EQ(c->write_pj, 160.0);
    EXPECT_EQ(c->access_bits, 64);
    EXPECT_DOUBLE_EQ(c->read_pj_per_bit(), 2.5);
  }
  EXPECT_TRUE(t.has_dram);
  EXPECT_DOUBLE_EQ(t.dram.read_pj, 1950.0);
  EXPECT_NEAR(t.int8_mac_pj, 4.8, 1e-12);
  EXPECT_NEAR(t.fp32_mac_pj, 73.6, 1e-12);
  EXPECT_NE(t.source.find("Horowitz"), std::string::npos);
  EXPECT_NE(t.name.find("estimate"), std::string::npos);
}

const char* kGood = R"({
  "name": "test", "node": "180 nm", "source": "made up",
  "buffers": {
    "weight":      {"read_pj": 64,  "write_pj": 128, "access_bits": 64},
    "activation":  {"read_pj": 8,   "write_pj": 8,   "access_bits": 8},
    "accumulator": {"read_pj": 32,  "write_pj": 64,  "access_bits": 32},
    "output":      {"read_pj": 0,   "write_pj": 16,  "access_bits": 8}
  },
  "compute": {"int8_mac_pj": 1, "fp32_mac_pj": 10}
})";

TEST(MemEnergy, ParsesAFileWithoutDram) {
  const MemEnergyTable t = parse_mem_energy(kGood, "t.json");
  EXPECT_EQ(t.name, "test");
  EXPECT_DOUBLE_EQ(t.weight.write_pj, 128);
  EXPECT_EQ(t.activation.access_bits, 8);
  EXPECT_FALSE(t.has_dram);
  EXPECT_DOUBLE_EQ(t.fp32_mac_pj, 10);
}

// Energies by hand with the table above (pJ per bit: weight r 1 w 2, activation 1, accumulator r 1
// w 2, output w 2): counts weight 10 r / 3 w, activation 7, accumulator 5 r / 4 w, output 6 w.
TEST(MemEnergy, StorageEnergyIsCountsTimesBitsTimesPerBitCost) {
  const MemEnergyTable t = parse_mem_energy(kGood, "t.json");
  AccessCounts c;
  c.weight_reads = 10, c.weight_writes = 3, c.activation_reads = 7;
  c.accumulator_reads = 5, c.accumulator_writes = 4, c.output_writes = 6, c.dram_reads = 99;
  const StorageEnergy e = storage_energy(c, ElementBits{8, 8, 32, 16}, t);
  EXPECT_DOUBLE_EQ(e.weight, (10 * 1 + 3 * 2) * 8.0);         // 128
  EXPECT_DOUBLE_EQ(e.activation, 7 * 1 * 8.0);               // 56
  EXPECT_DOUBLE_EQ(e.accumulator, (5 * 1 + 4 * 2) * 32.0);   // 416
  EXPECT_DOUBLE_EQ(e.output, 6 * 2 * 16.0);                  // 192
  EXPECT_DOUBLE_EQ(e.dram, 0.0);                             // no dram entry: not counted
  EXPECT_DOUBLE_EQ(e.total(), 128 + 56 + 416 + 192);
  EXPECT_DOUBLE_EQ(e.outside_array(), 128 + 56 + 192);
  const StorageEnergy f = storage_energy(c, fp32_bits(), t);
  EXPECT_DOUBLE_EQ(f.weight, 4 * e.weight);
  EXPECT_DOUBLE_EQ(f.accumulator, e.accumulator);
}

// Every bad file is one UserError line that names the file and what to fix.
void expect_error(const std::string& text, const std::string& fragment) {
  try {
    parse_mem_energy(text, "bad.json");
    ADD_FAILURE() << "accepted: " << text;
  } catch (const UserError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("bad.json"), std::string::npos) << msg;
    EXPECT_NE(msg.find(fragment), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

std::string good_with(const std::string& from, const std::string& to) {
  std::string s = kGood;
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(MemEnergy, BadFilesAreOneLineErrors) {
  expect_error("{", "not valid JSON");
  expect_error("[]", "top level");
  expect_error(good_with(R"("read_pj": 64,)", ""), "buffers.weight.read_pj");
  expect_error(good_with(R"("read_pj": 8,)", R"("read_pj": -1,)"), "buffers.activation.read_pj");
  expect_error(good_with(R"("read_pj": 8,)", R"("read_pj": "8",)"), "buffers.activation.read_pj");
  expect_error(good_with(R"("access_bits": 32)", R"("access_bits": 0)"), "buffers.accumulator.access_bits");
  expect_error(good_with(R"("access_bits": 32)", R"("access_bits": 3.5)"), "buffers.accumulator.access_bits");
  expect_error(good_with(R"("output":)", R"("outptu":)"), "unknown field 'buffers.outptu'");
  expect_error(good_with(R"("fp32_mac_pj": 10)", R"("fp32_mac_pj": 10, "x": 1)"), "compute.x");
  expect_error(good_with(R"("compute": {"int8_mac_pj": 1, "fp32_mac_pj": 10})", R"("compute": {"int8_mac_pj": 1})"),
               "compute.fp32_mac_pj");
  expect_error(good_with(R"("name": "test")", R"("name": 5)"), "name");
}

TEST(MemEnergy, MissingFileIsAUserError) {
  EXPECT_THROW(load_mem_energy("/nonexistent/table.json"), UserError);
}

}  // namespace
}  // namespace gm::energy
