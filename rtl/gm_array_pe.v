// gm_array_pe: one processing element of greenmac's weight-stationary systolic array
// (docs/array.md). It holds two weight banks (one is filled while the other computes), registers
// the activation and its valid and bank bits and passes them east, adds the product to the partial
// sum from the north and passes that south:
//
//     psum_o <= psum_i + ext(M(x, w))      (AccWidth bits, wraps around)
//
// The multiplier M sits beside the PE, in the generated top: Verilog-2005 cannot pass a module name
// as a parameter, and each PE may use a different multiplier (--mul-map). The PE drives its operands
// on mul_a_o (the activation) and mul_b_o (the weight) and takes the product on mul_y_i.
//
// A slot without a valid activation (an empty cycle, or a K padding row) adds 0, so the partial
// sums carry only the tile's real products.
// ZeroGate = 1: the top's west edge marks a zero activation as an empty slot (x_valid_i = 0), and
// the PE then keeps x_q as it is: neither the activation register nor the multiplier's a input
// switches, and the PE adds 0 as for any empty slot; the mark travels east with the activation.
// That is exact only when M(0, w) = 0 for every w (and M(x, 0) = 0, which the multiplier gets for
// free: a zero weight makes every partial product 0), which the generator checks. An earlier form
// held separate operand registers, also on zero weights: their 17 flip-flops per PE cost more clock
// energy than the multiplier saved (+3 % per CNN inference on a 4x4 array, docs/array.md).
// Mutant = 1 is a test hook: the PE adds one extra to its sum, to prove the harness catches it.
//
// Weight writes are registered here (timing): w_we_i is the combinational row enable of the control,
// and w_data_i the beat as the top registered it, one edge after it was accepted. Each PE keeps its
// own copy of the enable in w_we_q, so no flip-flop drives more than this PE's 2 * Width bank bits
// (a single bank-select flop drove every bank bit of the array: 524 loads and 8 ns in an 8x8 array,
// as flip-flop outputs get no buffer tree from ABC). A bank is therefore written one edge after its
// beat is accepted; the schedule still holds (docs/array.md, "Weight writes").
//
// Hand-written, Verilog-2005, lowRISC style; gen-array copies this file beside the array top.
// rst_sync_ni: synchronous, active low (see gm_array_delay.v); it clears the control bits only.

`default_nettype none

module gm_array_pe #(
  parameter integer Width    = 8,   // operand bits
  parameter integer AccWidth = 32,  // partial-sum bits, at least 2 * Width
  parameter integer Signed   = 1,   // 1: the product is sign-extended, 0: zero-extended
  parameter integer ZeroGate = 0,   // 1: hold the activation register on a zero activation
  parameter integer Mutant   = 0    // 1: add one extra (test hook)
) (
  input  wire                  clk_i,
  input  wire                  rst_sync_ni,
  input  wire                  en_i,       // the array advances
  input  wire [Width-1:0]      w_data_i,   // weight load: this PE's column of the beat, registered
  input  wire [1:0]            w_we_i,     // write {bank 1, bank 0}: the beat accepted at this edge
  input  wire [Width-1:0]      x_i,        // activation from the west
  input  wire                  x_valid_i,
  input  wire                  x_sel_i,    // its weight bank
  input  wire [AccWidth-1:0]   psum_i,     // partial sum from the north
  output wire [Width-1:0]      mul_a_o,    // the multiplier's operands and product
  output wire [Width-1:0]      mul_b_o,
  input  wire [2*Width-1:0]    mul_y_i,
  output wire [Width-1:0]      x_o,        // to the east
  output wire                  x_valid_o,
  output wire                  x_sel_o,
  output wire [AccWidth-1:0]   psum_o      // to the south
);

  localparam integer ProdWidth = 2 * Width;
  localparam integer ExtWidth  = AccWidth - ProdWidth;

  // Weight banks: bank 0 (lo) and bank 1 (hi); the load path writes one while the other computes.
  // The write lands one edge after the beat is accepted, together with w_data_i (see the top).
  reg [1:0] w_we_q;
  always @(posedge clk_i) begin
    if (!rst_sync_ni) w_we_q <= 2'b00;
    else w_we_q <= w_we_i;
  end
  reg [Width-1:0] wbank_lo_q;
  reg [Width-1:0] wbank_hi_q;
  always @(posedge clk_i) begin
    if (w_we_q[0]) wbank_lo_q <= w_data_i;
    if (w_we_q[1]) wbank_hi_q <= w_data_i;
  end

  // The activation and its control bits move east one PE per advancing cycle.
  reg [Width-1:0] x_q;
  reg             x_valid_q;
  reg             x_sel_q;
  always @(posedge clk_i) begin
    if (!rst_sync_ni) begin
      x_valid_q <= 1'b0;
      x_sel_q   <= 1'b0;
    end else if (en_i) begin
      x_valid_q <= x_valid_i;
      x_sel_q   <= x_sel_i;
    end
  end
  always @(posedge clk_i) begin
    if (en_i && (ZeroGate == 0 || x_valid_i)) x_q <= x_i;
  end

  // The product, sign- or zero-extended to the accumulator width.
  wire [AccWidth-1:0] product;
  generate
    if (ExtWidth == 0) begin : g_ext_none
      assign product = mul_y_i;
    end else if (Signed != 0) begin : g_ext_sign
      assign product = {{ExtWidth{mul_y_i[ProdWidth-1]}}, mul_y_i};
    end else begin : g_ext_zero
      assign product = {{ExtWidth{1'b0}}, mul_y_i};
    end
  endgenerate

  // The multiplier's operands: the activation register and the bank the activation selects. An
  // empty slot adds 0 (with ZeroGate, a zero activation is one).
  assign mul_a_o = x_q;
  assign mul_b_o = x_sel_q ? wbank_hi_q : wbank_lo_q;
  wire [AccWidth-1:0] addend;
  assign addend = x_valid_q ? product : {AccWidth{1'b0}};

  // Partial sum: AccWidth-bit two's complement, wraps around (the carry out is dropped on purpose).
  wire [AccWidth-1:0] psum_d;
  generate
    if (Mutant != 0) begin : g_mutant
      assign psum_d = psum_i + addend + {{(AccWidth-1){1'b0}}, 1'b1};
    end else begin : g_sum
      assign psum_d = psum_i + addend;
    end
  endgenerate
  reg [AccWidth-1:0] psum_q;
  always @(posedge clk_i) begin
    if (en_i) psum_q <= psum_d;
  end

  assign x_o       = x_q;
  assign x_valid_o = x_valid_q;
  assign x_sel_o   = x_sel_q;
  assign psum_o    = psum_q;

endmodule

`default_nettype wire
