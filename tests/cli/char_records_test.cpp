// The shard records of characterize and synth (cli/shard/char_records.hpp): a row or a synthesis
// result read back from its record is the same row, down to the last bit of every double.
#include "cli/shard/char_records.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace gm {
namespace {

// A result whose every member differs from its default, doubles with bits that do not survive a
// short decimal (1/3, pi).
SynthResult odd_synth(const std::string& spec) {
  SynthResult s;
  s.spec = parse_spec(spec);
  s.lib = "/lib/x.lib";
  s.clock_ns = 10.0 / 3.0;
  s.area_um2 = M_PI * 1000;
  s.cells = {{"NAND2X1", 7}, {"DFFPOSX1", 16}};
  s.cell_count = 23;
  s.nand2_eq = 1.0 / 7.0;
  s.delay_ns = std::sqrt(2.0);
  s.fmax_mhz = 1000 / std::sqrt(2.0);
  s.slack_ns = -1e-17;
  s.vectorless = {0.1, 0.2, 0.3, 1e-9};
  s.simulated = {0.11, 0.22, 0.33, 2e-9};
  s.simulated_multiplier = {0.011, 0.022, 0.033, 3e-9};
  s.simulated_wrapper = {0.0011, 0.0022, 0.0033, 4e-9};
  s.wrapper_flops = 15;
  s.activity = "ops.txt";
  s.activity_order = "in order";
  s.cycles = 12345;
  s.mean_activity = 0.123456789012345678;
  s.activity_model = "zero";
  s.glitch_share = 0.07;
  s.netlist_matches_model = false;
  s.cached = true;
  s.seconds = 4.5;
  return s;
}

TEST(ShardRecords, SynthResultReadsBackBitForBit) {
  const SynthResult s = odd_synth("trunc:w=4,t=3");
  const nlohmann::json j = synth_record(s);
  const SynthResult back = synth_from_record(nlohmann::json::parse(j.dump()));
  EXPECT_EQ(synth_record(back), j);
  // The report's own JSON (which derives figures from the members) agrees too.
  EXPECT_EQ(synth_result_json(back), synth_result_json(s));
  EXPECT_EQ(back.area_um2, s.area_um2);
  EXPECT_EQ(back.spec.canonical(), s.spec.canonical());
}

TEST(ShardRecords, CharRowAndConfigurationReadBackBitForBit) {
  CharRow r;
  r.spec = parse_spec("drum:w=8,k=4,s=1");
  r.reference = true;
  r.metrics.mred = 1.0 / 3.0;
  r.metrics.wce = -77;
  r.metrics.weighted = true;
  r.synth = odd_synth("drum:w=8,k=4,s=1");
  r.vs_exact.energy = 2.0 / 3.0;
  r.front_area_mred = true;
  r.has_dnn = true;
  r.accuracy = 0.9123;
  r.dnn_stream = "weight-stationary";
  r.has_inference = true;
  r.inference.array = "4x4";
  r.inference.energy_nj = M_PI;
  r.inference.compute.energy_per_image_nj = {1.0 / 3.0, 2.0 / 3.0};
  r.inference.compute.per_layer.resize(2);
  r.inference.compute.per_layer[1].mismatches = 3;
  r.inference.compute.layer_specs = {{"conv1", "exact:s=1,w=8"}};
  r.inference.per_layer.resize(1);
  r.inference.per_layer[0].energy_storage_nj = 1e-3 / 3;
  r.has_rtl = true;
  r.rtl_layer_mismatches = 5;
  const nlohmann::json j = char_row_record(r);
  const CharRow back = char_row_from_record(nlohmann::json::parse(j.dump()));
  EXPECT_EQ(char_row_record(back), j);
  EXPECT_EQ(char_row_json(back), char_row_json(r));
  EXPECT_EQ(back.rtl_layer_mismatches, 5u);  // in the checks, not in char_row_json
  EXPECT_EQ(back.inference.compute.per_layer[1].mismatches, 3u);

  CharRow c;  // a per-layer configuration: no spec, no synthesis
  c.configuration = true;
  c.config_spec = "conv1=exact:s=1,w=8";
  c.config_name = "layers_h1234";
  c.layers = {{"conv1", "exact:s=1,w=8"}};
  const CharRow cb = char_row_from_record(nlohmann::json::parse(char_row_record(c).dump()));
  EXPECT_TRUE(cb.configuration);
  EXPECT_EQ(char_row_json(cb), char_row_json(c));
}

TEST(ShardRecords, ABadRecordThrows) {
  nlohmann::json j = synth_record(odd_synth("trunc:w=4,t=3"));
  j.erase("area_um2");
  EXPECT_THROW(synth_from_record(j), nlohmann::json::exception);
}

}  // namespace
}  // namespace gm
