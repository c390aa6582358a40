// The array's stream ports on a gate-level simulation of its netlist, looked up once by name, and
// the control inputs of one cycle (tb/array_stream.hpp ArrayInputs). Shared by the one-GEMM adapter
// (synth/array_synth.cpp) and the lane-parallel one (synth/array_lanes.cpp); a lane-parallel
// SeqGateSim gives a control value to every lane, as the lanes' control must be equal.
#pragma once

#include <cstdint>

#include "synth/gate_sim.hpp"
#include "tb/array_stream.hpp"

namespace gm {

struct ArrayPortIds {
  ArrayPortIds(const CycleGateSim& sim, const ArrayShape& shape)
      : rst(sim.port("rst_sync_ni")),
        wv(sim.port("w_valid_i")),
        wd(sim.port("w_data_i")),
        wp(sim.port("w_pad_i")),
        wr(sim.port("w_ready_o")),
        xv(sim.port("x_valid_i")),
        xd(sim.port("x_data_i")),
        xl(sim.port("x_last_i")),
        xf(sim.port("x_first_k_i")),
        xk(sim.port("x_last_k_i")),
        xr(sim.port("x_ready_o")),
        pv(shape.out_stage ? sim.port("p_valid_i") : -1),
        pd(shape.out_stage ? sim.port("p_data_i") : -1),
        pr(shape.out_stage ? sim.port("p_ready_o") : -1),
        yv(sim.port("y_valid_o")),
        yr(sim.port("y_ready_i")),
        yd(sim.port("y_data_o")),
        yl(sim.port("y_last_o")) {}

  // The cycle's control inputs (not the data buses: each adapter sets those its own way).
  void drive_control(CycleGateSim& sim, const ArrayInputs& in) const {
    sim.set_input(rst, uint64_t{in.rst_n});
    sim.set_input(wv, uint64_t{in.w_valid});
    sim.set_input(wp, uint64_t{in.w_pad});
    sim.set_input(xv, uint64_t{in.x_valid});
    sim.set_input(xl, uint64_t{in.x_last});
    sim.set_input(xf, uint64_t{in.x_first_k});
    sim.set_input(xk, uint64_t{in.x_last_k});
    sim.set_input(yr, uint64_t{in.y_ready});
    if (pv >= 0) sim.set_input(pv, uint64_t{in.p_valid});
  }

  int rst, wv, wd, wp, wr, xv, xd, xl, xf, xk, xr, pv, pd, pr, yv, yr, yd, yl;
};

}  // namespace gm
