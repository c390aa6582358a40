// The wrapper that puts many designs of one operand width into one simulation.
//
// `gm_vtop` drives every design from the same a_i/b_i and packs each product, zero-extended, into a
// 32-bit slot of one wide output (slot k = bits [32k+31 : 32k]). At least three slots are made so
// that Verilator always exposes the output as a VlWide word array. One harness build then verifies
// all designs of a width at once instead of compiling once per design.
//
// Only the list of designs is generated: it is what differs from one run to the next. The slot
// (zero-extension into 32 bits) is the hand-written module gm_sim_slot in rtl/gm_sim_slot.v, which
// every simulation of gm_vtop compiles with it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "models/spec.hpp"

namespace gm {

inline constexpr const char* kSimTop = "gm_vtop";
inline constexpr int kSlotBits = 32;
inline constexpr const char* kSimSlot = "gm_sim_slot";
inline constexpr const char* kSimSlotFile = "rtl/gm_sim_slot.v";  // under data_dir()

int sim_slots(size_t designs);  // max(designs, 3)

// Verilog text of gm_vtop for designs that all have operand width specs[0].w. Design k is the
// module modules[k] when given (mutants of one spec need distinct names), else specs[k].name().
std::string sim_top_verilog(const std::vector<Spec>& specs, const std::vector<std::string>& modules = {});

}  // namespace gm
