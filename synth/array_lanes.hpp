// Up to 64 GEMMs of one shape through the array's stream protocol (tb/array_stream.hpp) in ONE pass
// of the zero-delay gate simulation: GEMM j runs in lane j of SeqGateSim (bit j of every net's word).
//
// Every lane has its own ArrayStream. GEMMs of identical shape (and stall seed) drive identical
// control (reset, valids, x_last, the K flags, y_ready) and must read identical handshakes (ready,
// y_valid, y_last): only the data buses differ between lanes. The driver checks both every cycle and
// throws std::runtime_error naming the cycle and signal when a lane's control differs from lane 0's
// (a netlist whose control depends on data, or GEMMs of different shapes).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "synth/array_synth.hpp"
#include "synth/gate_sim.hpp"
#include "synth/liberty.hpp"

namespace gm {

// problems.size() must equal sim.lanes(). Each lane's result is its GEMM's Y (and cycles, equal in
// every lane). Every counted cycle is sampled once (all lanes together).
std::vector<ArrayDriveResult> drive_array_gemm_lanes(SeqGateSim& sim, const ArrayConfig& cfg,
                                                     const std::vector<const GemmProblem*>& problems);

// The mapped netlist net.v in `dir` (as the array flow keeps it) as Yosys JSON for the gate
// simulation: read with the library's cells as black boxes and flattened (the flow's netlist is
// hierarchical). The flow's net.v drives the constants at kept instances' pins from a library
// buffer (the 0s) and an inverter (the 1s) with their inputs left open (OSU018 has no tie cells;
// synth/scripts/map_array.ys, hilomap -singleton: at most one of each per module). Open inputs are
// read as constant 0, so each tie gives its constant. Two open-input cells of one type in a module
// (both ties as buffers: a library without an inverter) is an error: net.v cannot tell them apart.
// Throws std::runtime_error when Yosys fails.
nlohmann::json read_mapped_netlist(const std::filesystem::path& dir, const std::string& top,
                                   const std::filesystem::path& lib_path, const Liberty& lib);

}  // namespace gm
