// gm_array_delay: delays a Width-bit signal by Depth advancing cycles of greenmac's systolic array
// (the cycles with en_i high); Depth = 0 is a plain wire. The array uses it for the input skew, the
// output de-skew and the result's `last` bit (docs/array.md).
//
// Hand-written, Verilog-2005, lowRISC style; gen-array copies this file beside the array top.
// Reset convention of the array: rst_sync_ni is SYNCHRONOUS and active low, sampled at the rising
// clock edge. The name says so on purpose: lowRISC reads `rst_ni` as asynchronous. With Reset = 1
// every stage clears on it (control bits); with Reset = 0 the stages are not reset (data).

`default_nettype none

module gm_array_delay #(
  parameter integer Width = 1,  // bits of the delayed signal
  parameter integer Depth = 1,  // cycles of delay, 0 or more
  parameter integer Reset = 0   // 1: every stage clears on rst_sync_ni
) (
  input  wire             clk_i,
  input  wire             rst_sync_ni,
  input  wire             en_i,
  input  wire [Width-1:0] d_i,
  output wire [Width-1:0] q_o
);

  generate
    if (Depth == 0) begin : g_wire
      assign q_o = d_i;
      // No stage, so no clock, reset or enable.
      wire unused_ctrl;
      assign unused_ctrl = ^{clk_i, rst_sync_ni, en_i};
    end else begin : g_stages
      // Stage s, at stages_q[s*Width +: Width], holds the signal of s+1 cycles ago; the oldest,
      // at the top, leaves.
      reg  [Width*Depth-1:0] stages_q;
      wire [Width*Depth-1:0] stages_d;
      if (Depth == 1) begin : g_one
        assign stages_d = d_i;
      end else begin : g_shift
        assign stages_d = {stages_q[Width*(Depth-1)-1:0], d_i};
      end
      if (Reset != 0) begin : g_reset
        always @(posedge clk_i) begin
          if (!rst_sync_ni) stages_q <= {(Width*Depth){1'b0}};
          else if (en_i) stages_q <= stages_d;
        end
      end else begin : g_no_reset
        always @(posedge clk_i) begin
          if (en_i) stages_q <= stages_d;
        end
        wire unused_rst;
        assign unused_rst = rst_sync_ni;
      end
      assign q_o = stages_q[Width*Depth-1 -: Width];
    end
  endgenerate

endmodule

`default_nettype wire
