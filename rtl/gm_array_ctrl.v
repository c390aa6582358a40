// gm_array_ctrl: the control of greenmac's systolic array (docs/array.md): the pipeline enable, the
// three stream handshakes, the bookkeeping of the two weight banks, and the result's valid and last
// bits.
//
// Double-buffered weights: the load stream fills the load bank row by row (beat j writes row j, so
// Rows beats fill it), then the load bank switches, and the next tile's weights load while the
// current tile computes from the compute bank. Activations are accepted only while the compute bank
// is full; the beat with x_last_i empties it and switches the compute bank.
//
// Bank refill: a bank emptied by the last activation accepted at edge e takes its first new weight
// beat at edge e + Cols, and row j at an edge >= e + Cols + j. That activation's bank bit is read
// for the last time by PE (j, Cols-1) when it latches its sum at edge e + j + Cols, and a write at
// that same edge is still safe because the assignments are non-blocking. The countdown below holds
// the bank for the Cols-1 advancing cycles between those edges. The generated top's header and
// manifest.json state the same number as `bank_refill_after_last_activation` (= Cols edges).
//
// Hand-written, Verilog-2005, lowRISC style; gen-array copies this file beside the array top.
// rst_sync_ni: synchronous, active low (see gm_array_delay.v); it clears every control bit.

`default_nettype none

module gm_array_ctrl #(
  parameter integer Rows = 2,  // PE rows: weight beats per tile
  parameter integer Cols = 2   // PE columns
) (
  input  wire              clk_i,
  input  wire              rst_sync_ni,
  // The array's streams (valid/ready: a beat moves on an edge where both are high).
  input  wire              w_valid_i,
  output wire              w_ready_o,
  input  wire              x_valid_i,
  output wire              x_ready_o,
  input  wire              x_last_i,
  output wire              y_valid_o,
  input  wire              y_ready_i,
  output wire              y_last_o,
  // To and from the datapath.
  output wire              en_o,           // every register of the array advances
  output wire [2*Rows-1:0] w_we_o,         // row r's bank write enables {bank 1, bank 0} at [2*r +: 2]
  output wire              x_fire_o,       // an activation beat is accepted this cycle
  output wire              x_bank_o,       // the compute bank it multiplies with
  input  wire              south_valid_i   // valid bit leaving PE (Rows-1, Cols-1): a result next cycle
);

  localparam integer RowBits   = (Rows > 1) ? $clog2(Rows) : 1;
  localparam integer DrainBits = (Cols > 1) ? $clog2(Cols) : 1;
  localparam integer LastRowIndex = Rows - 1;
  localparam integer DrainCycles  = Cols - 1;  // the refill countdown (see the top of this file)
  localparam [RowBits-1:0]   LastRow    = LastRowIndex[RowBits-1:0];
  localparam [RowBits-1:0]   RowOne     = 1;
  localparam [DrainBits-1:0] DrainStart = DrainCycles[DrainBits-1:0];
  localparam [DrainBits-1:0] DrainOne   = 1;
  localparam [DrainBits-1:0] DrainZero  = 0;

  // The whole pipeline advances together; it holds while a result waits to be accepted.
  reg  y_valid_q;
  wire en;
  assign en = ~y_valid_q | y_ready_i;

  reg  [RowBits-1:0]   w_row_q;      // the row the next weight beat writes
  reg                  load_bank_q;  // the bank being filled
  reg                  comp_bank_q;  // the bank the next activation multiplies with
  reg  [1:0]           full_q;       // bank b holds a whole tile
  reg  [DrainBits-1:0] drain_lo_q;   // bank 0: cycles until its last activation has passed
  reg  [DrainBits-1:0] drain_hi_q;   // bank 1: the same

  wire load_blocked;
  assign load_blocked = load_bank_q ? (full_q[1] | (drain_hi_q != DrainZero)) :
                                      (full_q[0] | (drain_lo_q != DrainZero));
  assign w_ready_o = en & ~load_blocked;
  assign x_ready_o = en & (comp_bank_q ? full_q[1] : full_q[0]);

  wire w_fire;
  assign w_fire = w_valid_i & w_ready_o;
  wire x_fire;
  assign x_fire = x_valid_i & x_ready_o;
  wire load_done;
  assign load_done = w_fire & (w_row_q == LastRow);
  wire tile_done;
  assign tile_done = x_fire & x_last_i;

  wire [1:0] full_d;
  assign full_d[0] = (full_q[0] | (load_done & ~load_bank_q)) & ~(tile_done & ~comp_bank_q);
  assign full_d[1] = (full_q[1] | (load_done & load_bank_q)) & ~(tile_done & comp_bank_q);

  always @(posedge clk_i) begin
    if (!rst_sync_ni) begin
      w_row_q     <= {RowBits{1'b0}};
      load_bank_q <= 1'b0;
      comp_bank_q <= 1'b0;
      full_q      <= 2'b00;
      drain_lo_q  <= DrainZero;
      drain_hi_q  <= DrainZero;
    end else begin
      full_q <= full_d;
      if (load_done) begin
        w_row_q     <= {RowBits{1'b0}};
        load_bank_q <= ~load_bank_q;
      end else if (w_fire) begin
        w_row_q <= w_row_q + RowOne;
      end
      if (tile_done) comp_bank_q <= ~comp_bank_q;
      if (tile_done && !comp_bank_q) drain_lo_q <= DrainStart;
      else if (en && drain_lo_q != DrainZero) drain_lo_q <= drain_lo_q - DrainOne;
      if (tile_done && comp_bank_q) drain_hi_q <= DrainStart;
      else if (en && drain_hi_q != DrainZero) drain_hi_q <= drain_hi_q - DrainOne;
    end
  end

  // Weight write enables: beat j writes row j of the load bank.
  genvar r;
  generate
    for (r = 0; r < Rows; r = r + 1) begin : g_row_we
      localparam [RowBits-1:0] ThisRow = r;
      assign w_we_o[2*r +: 2] = {2{w_fire & (w_row_q == ThisRow)}} & {load_bank_q, ~load_bank_q};
    end
  endgenerate

  // Result valid: the last column's valid bit, one cycle after its sum. `last` follows the tile's
  // last activation through the same Rows + Cols stages.
  always @(posedge clk_i) begin
    if (!rst_sync_ni) y_valid_q <= 1'b0;
    else if (en) y_valid_q <= south_valid_i;
  end
  gm_array_delay #(
    .Width(1),
    .Depth(Rows + Cols),
    .Reset(1)
  ) u_last (
    .clk_i      (clk_i),
    .rst_sync_ni(rst_sync_ni),
    .en_i       (en),
    .d_i        (tile_done),
    .q_o        (y_last_o)
  );

  assign y_valid_o = y_valid_q;
  assign en_o      = en;
  assign x_fire_o  = x_fire;
  assign x_bank_o  = comp_bank_q;

endmodule

`default_nettype wire
