// A mapped 2-bit counter with enable on OSU018 cells, as Yosys JSON: the sequential netlist the
// gate-simulator tests (SeqGateSim, TimedGateSim) share.
//   nets: 2 clk, 3 en, 4 q0, 5 q1, 6 d0 = q0 ^ en, 7 c = q0 & en, 8 d1 = q1 ^ c
#pragma once

#include <nlohmann/json.hpp>

namespace gm::test {

inline const nlohmann::json& counter_netlist() {
  static const auto j = nlohmann::json::parse(R"({"modules": {"cnt": {
    "ports": {"clk": {"direction": "input", "bits": [2]}, "en": {"direction": "input", "bits": [3]},
              "q[0]": {"direction": "output", "bits": [4]}, "q[1]": {"direction": "output", "bits": [5]}},
    "cells": {
      "f0": {"type": "DFFPOSX1", "connections": {"CLK": [2], "D": [6], "Q": [4]}},
      "f1": {"type": "DFFPOSX1", "connections": {"CLK": [2], "D": [8], "Q": [5]}},
      "x0": {"type": "XOR2X1", "connections": {"A": [4], "B": [3], "Y": [6]}},
      "a0": {"type": "AND2X1", "connections": {"A": [4], "B": [3], "Y": [7]}},
      "x1": {"type": "XOR2X1", "connections": {"A": [5], "B": [7], "Y": [8]}}},
    "netnames": {"en": {"bits": [3]}, "q0": {"bits": [4]}, "q1": {"bits": [5]}, "d0": {"bits": [6]},
                 "c": {"bits": [7]}, "d1": {"bits": [8]}}}}})");
  return j;
}

}  // namespace gm::test
