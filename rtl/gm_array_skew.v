// gm_array_skew: the input skew of greenmac's systolic array. Row r of an accepted activation beat
// is delayed r cycles, together with its valid bit and the bank bit that says which weight bank it
// multiplies with, so that it meets the partial sums coming down from the rows above (docs/array.md).
// A row that is K padding in its weight bank (pad_i) leaves with its valid bit cleared, so every PE
// of the row adds 0 (hardware padding: the host corrects nothing). The pad bit is read when the row
// leaves the skew; the refill rule of gm_array_ctrl.v keeps it until then.
//
// Hand-written, Verilog-2005, lowRISC style; gen-array copies this file beside the array top.
// rst_sync_ni: synchronous, active low (see gm_array_delay.v); it clears the valid and bank bits.

`default_nettype none

module gm_array_skew #(
  parameter integer Rows  = 2,  // PE rows
  parameter integer Width = 8   // operand bits
) (
  input  wire                  clk_i,
  input  wire                  rst_sync_ni,
  input  wire                  en_i,
  input  wire [Rows*Width-1:0] x_data_i,      // the beat: row r at [r*Width +: Width]
  input  wire                  x_valid_i,     // a beat is accepted this cycle
  input  wire                  x_sel_i,       // the weight bank it multiplies with
  input  wire [2*Rows-1:0]     pad_i,         // row r is padding in {bank 1, bank 0}, at [2*r +: 2]
  output wire [Rows*Width-1:0] lane_x_o,      // row r, delayed r cycles
  output wire [Rows-1:0]       lane_valid_o,  // its valid bit, delayed r cycles
  output wire [Rows-1:0]       lane_sel_o     // its bank bit, delayed r cycles
);

  genvar r;
  generate
    for (r = 0; r < Rows; r = r + 1) begin : g_row
      gm_array_delay #(
        .Width(Width),
        .Depth(r),
        .Reset(0)
      ) u_data (
        .clk_i      (clk_i),
        .rst_sync_ni(rst_sync_ni),
        .en_i       (en_i),
        .d_i        (x_data_i[r*Width +: Width]),
        .q_o        (lane_x_o[r*Width +: Width])
      );

      // The control bits {valid, bank} travel beside the data and are reset.
      wire [1:0] lane_ctrl;
      gm_array_delay #(
        .Width(2),
        .Depth(r),
        .Reset(1)
      ) u_ctrl (
        .clk_i      (clk_i),
        .rst_sync_ni(rst_sync_ni),
        .en_i       (en_i),
        .d_i        ({x_valid_i, x_sel_i}),
        .q_o        (lane_ctrl)
      );
      assign lane_valid_o[r] = lane_ctrl[1] & ~(lane_ctrl[0] ? pad_i[2*r+1] : pad_i[2*r]);
      assign lane_sel_o[r]   = lane_ctrl[0];
    end
  endgenerate

endmodule

`default_nettype wire
