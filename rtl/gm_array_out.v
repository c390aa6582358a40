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
// Parameters: two banks per column (one is loaded while the other is read); a beat is registered
// with p_we_i and written into its bank one edge later.
// Field of column c in a parameter beat (136 bits, at [c*136 +: 136] of p_data_i):
//     [31:0] bias (signed)  [63:32] m0 (unsigned, < 2^31)  [71:64] shift (1..62)
//     [103:72] out_min (signed)  [135:104] out_max (signed)
// Each row carries its bank bit from stage to stage, so a stage reads the parameters of the tile its
// row belongs to; gm_array_ctrl refills a bank only after its last row has left the last stage.
// bank_i comes two cycles ahead of s_i (with the flags the control hands to the accumulators),
// because the bias is picked in the cycle the row spends in the acc register, from registered
// copies of the bank bit.
// m0's bit 31 and shift's bits 7:6 are outside those ranges and are ignored.
//
// Hand-written, Verilog-2005, lowRISC style; gen-array copies this file beside the array top.
// rst_sync_ni clears only the registered write enables; the data and the bank bits are not reset:
// the control's valid bits say which rows are results.

`default_nettype none

module gm_array_out #(
  parameter integer Cols = 2  // PE columns
) (
  input  wire                clk_i,
  input  wire                rst_sync_ni,
  input  wire                en_i,      // the array advances
  input  wire [Cols*136-1:0] p_data_i, // a parameter beat
  input  wire [1:0]          p_we_i,    // write it into {bank 1, bank 0}
  input  wire [Cols*32-1:0]  s_i,       // the acc register: column c at [c*32 +: 32]
  input  wire                bank_i,    // the parameter bank of the row, two cycles before s_i
  output wire [Cols*32-1:0]  y_o        // the requantized, clamped row
);

  genvar c;
  generate
    for (c = 0; c < Cols; c = c + 1) begin : g_col
      // One module per column, so that synthesis maps the lane once and instantiates it Cols
      // times (synth/scripts/map_array.ys keeps gm_array_out_lane's hierarchy).
      gm_array_out_lane u_lane (
        .clk_i      (clk_i),
        .rst_sync_ni(rst_sync_ni),
        .en_i       (en_i),
        .p_data_i   (p_data_i[c*136 +: 136]),
        .p_we_i     (p_we_i),
        .s_i        (s_i[c*32 +: 32]),
        .bank_i     (bank_i),
        .y_o        (y_o[c*32 +: 32])
      );
    end
  endgenerate

endmodule

// One column of the output stage: the bias add, requantization and clamp of column c, its two
// parameter banks and the registered parameter beat (its 136-bit field of p_data_i).
/* verilator lint_off DECLFILENAME */
module gm_array_out_lane (
/* verilator lint_on DECLFILENAME */
  input  wire         clk_i,
  input  wire         rst_sync_ni,
  input  wire         en_i,      // the array advances
  input  wire [135:0] p_data_i,  // this column's field of a parameter beat
  input  wire [1:0]   p_we_i,    // write it into {bank 1, bank 0}
  input  wire [31:0]  s_i,       // this column of the acc register
  input  wire         bank_i,    // the parameter bank of the row, two cycles before s_i
  output wire [31:0]  y_o        // the requantized, clamped value
);

  localparam integer PWidth = 136;

  generate
  // The beat is registered (every cycle, no enable) and written into its bank one edge later,
  // by write enables registered with it: one copy per byte of the field, so that each drives
  // 8 bank flip-flops. A single enable would drive all Cols * 272 of them, and this synthesis
  // flow builds no buffer tree on a flip-flop's output (a 4x4 array missed 10 ns by 7.6 ns on
  // it). `keep` stops Yosys from merging the copies. The late write is safe: a bank is read
  // only many edges after the beat that fills it, and it is refilled only after its last read
  // (gm_array_ctrl.v).
  reg [PWidth-1:0] p_data_q;
  always @(posedge clk_i) begin
    p_data_q <= p_data_i;
  end
`ifdef GM_SIM_BEHAVIORAL
  reg [PWidth-1:0] bank_lo_q;
  reg [PWidth-1:0] bank_hi_q;
  // GM_SIM_BEHAVIORAL (Verilator's harness builds only): the banks, their write enables and the
  // bank bits without the per-byte copies below, which exist for fan-out in synthesis and hold
  // equal values by construction. Same values, cycle for cycle, in a fraction of a simulator's
  // time (the copies were a quarter of an 8x8 array's Verilator time). Synthesis, Icarus and the
  // gate-level runs read the structural form; tests/rtl/array_out_test.cpp runs both.
  reg [1:0] we_q;
  always @(posedge clk_i) begin
    if (!rst_sync_ni) we_q <= 2'b00;
    else we_q <= p_we_i;
  end
  always @(posedge clk_i) begin
    if (we_q[0]) bank_lo_q <= p_data_q;
    if (we_q[1]) bank_hi_q <= p_data_q;
  end
  reg bank_a_q;
  reg bank_t_q;  // picks the shift (bits 69:64)
  reg bank_s_q;  // picks bias and m0
  reg bank_p_q;  // picks out_min and out_max
  always @(posedge clk_i) begin
    if (en_i) begin
      bank_a_q <= bank_i;
      bank_s_q <= bank_a_q;
      bank_p_q <= bank_t_q;
    end
  end
  wire bank_s;  // the bank bit stage 1 passes on
  assign bank_s = bank_s_q;
  wire [63:0] pick_s;
  wire [63:0] param_p;
  assign pick_s  = bank_s_q ? bank_hi_q[63:0] : bank_lo_q[63:0];
  assign param_p = bank_p_q ? bank_hi_q[135:72] : bank_lo_q[135:72];
`else
  localparam integer Bytes = PWidth / 8;
  genvar g;
  reg [PWidth-1:0] bank_lo_q;
  reg [PWidth-1:0] bank_hi_q;
  // Each copy is a register of its own, not a bit of a shared vector: a simulator then updates
  // it with one store, where bits of one vector cost a read-modify-write each, one after the
  // other (that chain took a fifth of an 8x8 array's Verilator time).
  for (g = 0; g < Bytes; g = g + 1) begin : g_byte
    reg we_lo_q;
    reg we_hi_q;
    (* keep *)
    always @(posedge clk_i) begin
      if (!rst_sync_ni) begin
        we_lo_q <= 1'b0;
        we_hi_q <= 1'b0;
      end else begin
        we_lo_q <= p_we_i[0];
        we_hi_q <= p_we_i[1];
      end
    end
    always @(posedge clk_i) begin
      if (we_lo_q) bank_lo_q[g*8 +: 8] <= p_data_q[g*8 +: 8];
      if (we_hi_q) bank_hi_q[g*8 +: 8] <= p_data_q[g*8 +: 8];
    end
  end

  // Each stage's parameters are picked from the row's bank one stage early and registered
  // beside the row, so no stage's arithmetic waits for a bank multiplexer; the bank bits that
  // pick them have one copy per byte (kept apart as above), each driving 8 multiplexers.
  // bank_i comes two cycles before s_i; bank_a_q holds it for the cycle before the acc
  // register loads, bank_s_q while the row sits in the acc register.
  reg bank_a_q;
  (* keep *)
  always @(posedge clk_i) begin
    if (en_i) bank_a_q <= bank_i;
  end
  reg bank_t_q;  // picks the shift (bits 69:64)
  wire [63:0] pick_s;   // bias and m0 (bits 62:0 of the field; bit 63 unused)
  wire [63:0] param_p;  // out_min and out_max (bits 135:72 of the field)
  for (g = 0; g < 8; g = g + 1) begin : g_copy
    reg bank_s_q;  // picks byte g of bias and m0
    reg bank_p_q;  // picks byte g of out_min and out_max
    (* keep *)
    always @(posedge clk_i) begin
      if (en_i) bank_s_q <= bank_a_q;
    end
    (* keep *)
    always @(posedge clk_i) begin
      if (en_i) bank_p_q <= bank_t_q;
    end
    assign pick_s[g*8 +: 8]  = bank_s_q ? bank_hi_q[g*8 +: 8] : bank_lo_q[g*8 +: 8];
    assign param_p[g*8 +: 8] = bank_p_q ? bank_hi_q[72+g*8 +: 8] : bank_lo_q[72+g*8 +: 8];
  end
  wire bank_s;  // the bank bit stage 1 passes on
  assign bank_s = g_copy[0].bank_s_q;
`endif
  wire [62:0] param_s;
  assign param_s = pick_s[62:0];

  // Stage 1: t = wrap32(s + bias); m0 and the bank go along.
  reg [31:0] t_q;
  reg [30:0] m0_t_q;  // m0 < 2^31
  always @(posedge clk_i) begin
    if (en_i) begin
      t_q      <= s_i + param_s[31:0];
      m0_t_q   <= param_s[62:32];
      bank_t_q <= bank_s;
    end
  end
  wire [5:0] shift_t;
  assign shift_t = bank_t_q ? bank_hi_q[69:64] : bank_lo_q[69:64];

  // Stage 2: the product t * m0, signed times unsigned, 63 bits and the sign; the shift goes along.
  wire signed [31:0] t_signed;
  assign t_signed = t_q;
  wire signed [31:0] m0_signed;
  assign m0_signed = {1'b0, m0_t_q};
  reg signed [63:0] prod_q;
  reg        [5:0]  shift_p_q;  // 1..62
  always @(posedge clk_i) begin
    if (en_i) begin
      prod_q    <= t_signed * m0_signed;
      shift_p_q <= shift_t;
    end
  end

  // Stage 3: the rounding constant 2^(shift-1) added; the shift and the clamp bounds go along.
  wire [63:0] half;
  assign half = 64'd1 << (shift_p_q - 6'd1);
  reg signed [63:0] round_q;
  reg        [5:0]  shift_r_q;
  reg signed [31:0] out_min_q;
  reg signed [31:0] out_max_q;
  always @(posedge clk_i) begin
    if (en_i) begin
      round_q   <= prod_q + $signed(half);
      shift_r_q <= shift_p_q;
      out_min_q <= param_p[31:0];
      out_max_q <= param_p[63:32];
    end
  end

  // Stage 4: the arithmetic shift (floor) and the clamp to [out_min, out_max].
  wire signed [63:0] v;
  assign v = round_q >>> shift_r_q;
  wire signed [63:0] out_min;  // sign-extended, to compare with v
  wire signed [63:0] out_max;
  assign out_min = {{32{out_min_q[31]}}, out_min_q};
  assign out_max = {{32{out_max_q[31]}}, out_max_q};
  reg [31:0] y_q;
  always @(posedge clk_i) begin
    if (en_i) begin
      if (v < out_min) y_q <= out_min_q;
      else if (v > out_max) y_q <= out_max_q;
      else y_q <= v[31:0];
    end
  end
  assign y_o = y_q;

  // Outside the documented ranges (see the top of this file), and the fields each stage ignores.
  wire unused_param;
  assign unused_param = ^{bank_lo_q[71:70], bank_lo_q[63], bank_hi_q[71:70], bank_hi_q[63], v[63:32],
                         pick_s[63]};
  endgenerate

endmodule

`default_nettype wire
