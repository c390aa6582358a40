// The top of `verify --trace` (tb/verify_trace.hpp): one design in gm_vtop (generator/sim_top.hpp)
// with what a waveform viewer needs beside its product: the model's expected product and the pair's
// index in the verification's pair stream, both driven by the harness
// (tb/harness/verify_trace_main.cpp), and whether the two products differ. Only the traced
// re-run of a few pairs builds it; the fast verification harness is gm_vtop alone.

`default_nettype none

module gm_verify_trace #(
  parameter integer Width = 8,  // operand bits
  parameter integer Slots = 3   // gm_vtop's 32-bit output slots (sim_slots(1))
) (
  input  wire [Width-1:0]    a_i,         // operand bit patterns, as the pair stream gives them
  input  wire [Width-1:0]    b_i,
  input  wire [31:0]         expected_i,  // the model's product, zero-extended like a slot
  input  wire [63:0]         pair_i,      // the pair's index in the stream (exhaustive: a << w | b)
  output wire [Slots*32-1:0] y_o,
  output wire [31:0]         product_o,   // the design's product: slot 0 of gm_vtop
  output wire                mismatch_o   // the design disagrees with its model on this pair
);

  gm_vtop u_vtop (
    .a_i(a_i),
    .b_i(b_i),
    .y_o(y_o)
  );

  assign product_o  = y_o[31:0];
  assign mismatch_o = (product_o != expected_i);

  // pair_i is only shown in the waveform.
  wire unused_pair;
  assign unused_pair = ^pair_i;

endmodule

`default_nettype wire
