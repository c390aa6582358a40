// Registered wrapper for synthesis (synth/mult_synth.cpp, synth/scripts/map.ys): input and output
// registers around one multiplier, so that the critical path is register to register through the
// multiplier and the operands arrive once per clock. y_o in cycle t is the product of the operands
// of cycle t-2.
//
// The multiplier's module name is the macro GM_DUT, given on the tool's command line
// (read_verilog -DGM_DUT=NAME in map.ys). A macro rather than a placeholder that C++ substitutes:
// this file stays plain Verilog that every tool reads as it is, so it is linted on its own and is
// a cache-key ingredient byte for byte. The operand width is the parameter Width (hierarchy -chparam).

`default_nettype none

module gm_reg_wrapper #(
  parameter integer Width = 8  // operand width w; the product has 2w bits
) (
  input  wire               clk_i,
  input  wire [Width-1:0]   a_i,
  input  wire [Width-1:0]   b_i,
  output reg  [2*Width-1:0] y_o
);

  reg  [Width-1:0]   a_q;
  reg  [Width-1:0]   b_q;
  wire [2*Width-1:0] y_d;

  `GM_DUT u_dut (
    .a_i(a_q),
    .b_i(b_q),
    .y_o(y_d)
  );

  always @(posedge clk_i) begin
    a_q <= a_i;
    b_q <= b_i;
    y_o <= y_d;
  end

endmodule

`default_nettype wire
