// gm_array_out: the output stage of greenmac's systolic array (docs/array.md): per column, the bias
// add and the bit-exact requantization of docs/quantization.md (gm::dnn::requantize), then the clamp:
//
//     t = wrap32(s + bias)
//     v = (t * m0 + 2^(shift-1)) >>> shift     64-bit signed, arithmetic shift (floor)
//     y = clamp(v, out_min, out_max)           sign-extended to 32 bits
//
// |t * m0| < 2^62 (t is int32, m0 < 2^31), so the 64-bit intermediate never overflows.
//
// Pipelined so that it meets a 10 ns clock on OSU018 (a registered 32x31 multiply alone maps to
// about 7 ns): the bias add, the multiply, the rounding add, and the shift with the clamp each end
// in a register. With the acc register before it that makes Depth = 5 registers from the de-skew to
// y_data_o (gm_array_ctrl's OutDepth, the manifest's out_stage_depth).
//
// Parameters: two banks per column (one is loaded while the other is read), written by p_we_i.
// Field of column c in a parameter beat (136 bits, at [c*136 +: 136] of p_data_i):
//     [31:0] bias (signed)  [63:32] m0 (unsigned, < 2^31)  [71:64] shift (1..62)
//     [103:72] out_min (signed)  [135:104] out_max (signed)
// Each row carries its bank bit from stage to stage, so a stage reads the parameters of the tile its
// row belongs to; gm_array_ctrl refills a bank only after its last row has left the last stage.
// m0's bit 31 and shift's bits 7:6 are outside those ranges and are ignored.
//
// Hand-written, Verilog-2005, lowRISC style; gen-array copies this file beside the array top.
// The data and the bank bits are not reset (rst_sync_ni is unused): the control's valid bits say
// which rows are results.

`default_nettype none

module gm_array_out #(
  parameter integer Cols = 2  // PE columns
) (
  input  wire               clk_i,
  input  wire               rst_sync_ni,
  input  wire               en_i,      // the array advances
  input  wire [Cols*136-1:0] p_data_i, // a parameter beat
  input  wire [1:0]         p_we_i,    // write it into {bank 1, bank 0}
  input  wire [Cols*32-1:0] s_i,       // the acc register: column c at [c*32 +: 32]
  input  wire               bank_i,    // the parameter bank of s_i's row
  output wire [Cols*32-1:0] y_o        // the requantized, clamped row
);

  localparam integer PWidth = 136;

  wire unused_rst;
  assign unused_rst = rst_sync_ni;

  // The bank bit of the row in each stage: bias add, multiply, rounding add.
  reg bank_t_q;
  reg bank_p_q;
  reg bank_r_q;
  always @(posedge clk_i) begin
    if (en_i) begin
      bank_t_q <= bank_i;
      bank_p_q <= bank_t_q;
      bank_r_q <= bank_p_q;
    end
  end

  genvar c;
  generate
    for (c = 0; c < Cols; c = c + 1) begin : g_col
      reg [PWidth-1:0] bank_lo_q;
      reg [PWidth-1:0] bank_hi_q;
      always @(posedge clk_i) begin
        if (p_we_i[0]) bank_lo_q <= p_data_i[c*PWidth +: PWidth];
        if (p_we_i[1]) bank_hi_q <= p_data_i[c*PWidth +: PWidth];
      end

      // Stage 1: t = wrap32(s + bias), with the parameters of the row's bank.
      wire [PWidth-1:0] param_s;
      assign param_s = bank_i ? bank_hi_q : bank_lo_q;
      reg [31:0] t_q;
      always @(posedge clk_i) begin
        if (en_i) t_q <= s_i[c*32 +: 32] + param_s[31:0];
      end

      // Stage 2: the product t * m0, signed times unsigned (m0 < 2^31, so 31 bits), 63 bits + sign.
      wire [PWidth-1:0] param_t;
      assign param_t = bank_t_q ? bank_hi_q : bank_lo_q;
      wire signed [31:0] t_signed;
      assign t_signed = t_q;
      wire signed [31:0] m0_signed;
      assign m0_signed = {1'b0, param_t[62:32]};
      reg signed [63:0] prod_q;
      always @(posedge clk_i) begin
        if (en_i) prod_q <= t_signed * m0_signed;
      end

      // Stage 3: the rounding constant 2^(shift-1).
      wire [PWidth-1:0] param_p;
      assign param_p = bank_p_q ? bank_hi_q : bank_lo_q;
      wire [5:0] shift_p;
      assign shift_p = param_p[69:64];
      wire [63:0] half;
      assign half = 64'd1 << (shift_p - 6'd1);
      reg signed [63:0] round_q;
      always @(posedge clk_i) begin
        if (en_i) round_q <= prod_q + $signed(half);
      end

      // Stage 4: the arithmetic shift (floor) and the clamp to [out_min, out_max].
      wire [PWidth-1:0] param_r;
      assign param_r = bank_r_q ? bank_hi_q : bank_lo_q;
      wire [5:0] shift_r;
      assign shift_r = param_r[69:64];
      wire signed [63:0] v;
      assign v = round_q >>> shift_r;
      wire signed [63:0] out_min;  // sign-extended, to compare with v
      wire signed [63:0] out_max;
      assign out_min = {{32{param_r[103]}}, param_r[103:72]};
      assign out_max = {{32{param_r[135]}}, param_r[135:104]};
      reg [31:0] y_q;
      always @(posedge clk_i) begin
        if (en_i) begin
          if (v < out_min) y_q <= out_min[31:0];
          else if (v > out_max) y_q <= out_max[31:0];
          else y_q <= v[31:0];
        end
      end
      assign y_o[c*32 +: 32] = y_q;

      // Outside the documented ranges (see the top of this file), and the fields each stage ignores.
      wire unused_param;
      assign unused_param = ^{param_s[135:32], param_t[135:63], param_t[31:0], param_p[135:70],
                              param_p[63:0], param_r[71:70], param_r[63:0], v[63:32],
                              out_min[63:32], out_max[63:32]};
    end
  endgenerate

endmodule

`default_nettype wire
