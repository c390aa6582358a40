// One slot of the verification top gm_vtop (generator/sim_top.hpp): a design's product,
// zero-extended into a 32-bit word. gm_vtop packs slot k into bits [32k+31:32k] of its output, so
// that one simulation checks many designs of one operand width.

`default_nettype none

module gm_sim_slot #(
  parameter integer ProdWidth = 16  // the product's width, 2w <= 32
) (
  input  wire [ProdWidth-1:0] prod_i,
  output wire [31:0]          slot_o
);

  generate
    if (ProdWidth < 32) begin : g_pad
      assign slot_o = {{(32 - ProdWidth){1'b0}}, prod_i};
    end else begin : g_full
      assign slot_o = prod_i;
    end
  endgenerate

endmodule

`default_nettype wire
