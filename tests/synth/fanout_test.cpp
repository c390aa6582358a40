// Fanout of a mapped netlist (synth/fanout.hpp): a hand-made netlist whose loads are counted by hand,
// and a 4x4 array, whose replicated control must keep every cell-driven net small.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "models/files.hpp"
#include "synth/array_synth.hpp"
#include "synth/fanout.hpp"
#include "synth/liberty.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

// A flop q (D = a) drives three inverters and one AND input: 4 loads (its clock pin is not a load of
// clk_i). Port a drives the flop's D and the other AND input: 2 loads.
TEST(Fanout, HandCountedNetlist) {
  if (!fs::exists(kOsu018Lib)) GTEST_SKIP() << "osu018 library missing";
  const Liberty lib = parse_liberty(read_file(kOsu018Lib), kOsu018Lib);
  const auto netlist = nlohmann::json::parse(R"({"modules": {"top": {
    "ports": {"clk_i": {"direction": "input", "bits": [2]}, "a": {"direction": "input", "bits": [3]},
              "y": {"direction": "output", "bits": [5, 6, 7, 8]}},
    "cells": {
      "f":  {"type": "DFFPOSX1", "connections": {"D": [3], "CLK": [2], "Q": [4]}},
      "i0": {"type": "INVX1", "connections": {"A": [4], "Y": [5]}},
      "i1": {"type": "INVX1", "connections": {"A": [4], "Y": [6]}},
      "i2": {"type": "INVX1", "connections": {"A": [4], "Y": [7]}},
      "g":  {"type": "AND2X2", "connections": {"A": [3], "B": [4], "Y": [8]}}},
    "netnames": {"q": {"hide_name": 0, "bits": [4]}, "y": {"hide_name": 0, "bits": [5, 6, 7, 8]}}}}})");
  const FanoutReport r = netlist_fanout(netlist, "top", lib, "clk_i");
  EXPECT_EQ(r.max_cell_fanout, 4);
  EXPECT_EQ(r.max_cell_net, "q");
  EXPECT_EQ(r.max_port_fanout, 2);
  EXPECT_EQ(r.max_port, "a");
  EXPECT_THROW(netlist_fanout(netlist, "nope", lib, "clk_i"), std::runtime_error);
}

// The weight-bank write strobe, the shift enables and the accumulator pointers are replicated per PE
// or per column in the RTL. Broadcast from one flop, the bank write strobe alone would reach every
// PE's w-bit bank: R * C * w = 128 pins on 4x4. With the copies, no cell-driven net reaches more than
// one PE's or one column's worth: bounded by 64 here.
TEST(Fanout, FourByFourArrayHasNoBroadcastControl) {
  if (!gm::test::synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library is missing";
  const fs::path scratch = gm::test::temp_dir((fs::temp_directory_path() / "gm-fanout").string());
  setenv("GREENMAC_CACHE", (scratch / "cache").c_str(), 1);
  const ArrayConfig cfg = make_array_config(4, 4, parse_spec("drum:k=4,s=1"), "", 32, false, 0, false);
  const ArraySynthResult r = synth_array(cfg, default_array_gemm(cfg, 1), ArraySynthOptions{});
  EXPECT_TRUE(r.netlist_matches_model);
  EXPECT_GT(r.fanout.max_cell_fanout, 1);
  EXPECT_LE(r.fanout.max_cell_fanout, 64) << r.fanout.max_cell_net;
  EXPECT_FALSE(r.fanout.max_cell_net.empty());
  EXPECT_GE(r.slack_ns, 0);
  std::error_code ec;
  fs::remove_all(scratch, ec);
}

}  // namespace
}  // namespace gm
