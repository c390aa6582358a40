// gm_array_deskew: the output de-skew of greenmac's systolic array. The sum leaving column c at the
// south edge is delayed Cols-1-c cycles, so that a whole row of Y leaves in one beat (docs/array.md).
//
// Hand-written, Verilog-2005, lowRISC style; gen-array copies this file beside the array top.
// The sums are data: they are not reset (rst_sync_ni is only passed on; see gm_array_delay.v).

`default_nettype none

module gm_array_deskew #(
  parameter integer Cols     = 2,  // PE columns
  parameter integer AccWidth = 32  // accumulator bits
) (
  input  wire                     clk_i,
  input  wire                     rst_sync_ni,
  input  wire                     en_i,
  input  wire [Cols*AccWidth-1:0] sum_i,  // the south edge: column c at [c*AccWidth +: AccWidth]
  output wire [Cols*AccWidth-1:0] y_o     // column c, delayed Cols-1-c cycles
);

  genvar c;
  generate
    for (c = 0; c < Cols; c = c + 1) begin : g_col
      gm_array_delay #(
        .Width(AccWidth),
        .Depth(Cols - 1 - c),
        .Reset(0)
      ) u_delay (
        .clk_i      (clk_i),
        .rst_sync_ni(rst_sync_ni),
        .en_i       (en_i),
        .d_i        (sum_i[c*AccWidth +: AccWidth]),
        .q_o        (y_o[c*AccWidth +: AccWidth])
      );
    end
  endgenerate

endmodule

`default_nettype wire
