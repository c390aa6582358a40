// gm_array_ctrl: the control of greenmac's systolic array (docs/array.md): the pipeline enable, the
// stream handshakes, the bookkeeping of the two weight banks (with each row's pad bit) and of the
// two parameter banks of the output stage, and the delay line that carries each activation beat's
// flags to the accumulators and the result's valid and last bits to y_valid_o and y_last_o.
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
// Padding rows: each weight beat carries w_pad_i, stored per bank and row beside the weights. A pad
// row's valid bit is cleared at the west edge (gm_array_skew), so all its PEs add 0 for the tile.
//
// Parameter banks (OutStage = 1): one p beat fills the load bank of the output stage's channel
// parameters. The activations of a last_k tile are accepted only while the parameter compute bank
// is full; the beat with x_last_i & x_last_k_i empties it and switches it. The refill countdown
// holds the bank until that beat's row latches in the stage's last register, at edge
// e + Rows + Cols - 1 + OutDepth for a beat accepted at edge e (Rows + Cols + OutDepth - 2 advancing
// cycles; `param_refill_after_last_activation` = Rows + Cols + OutDepth - 1 in the header and
// manifest.json). The stage reads its parameters one register earlier (gm_array_out.v picks them a
// stage ahead), so this keeps one cycle of margin, and a write on that edge is safe in any case.
//
// Result flags: an accepted beat's {valid, first_k, last_k, last, parameter bank} travel beside the
// data through skew, grid and de-skew to the accumulators (south_*_o, one stage early: the
// accumulators register them per column). The beats of a last_k tile then travel on to y_valid_o /
// y_last_o, through as many stages as the acc register and the output stage. They are not taken from the PEs' valid bits,
// because a pad row carries none.
//
// Hand-written, Verilog-2005, lowRISC style; gen-array copies this file beside the array top.
// rst_sync_ni: synchronous, active low (see gm_array_delay.v); it clears every control bit.

`default_nettype none

module gm_array_ctrl #(
  parameter integer Rows     = 2,  // PE rows: weight beats per tile
  parameter integer Cols     = 2,  // PE columns
  parameter integer OutStage = 0,  // 1: the output stage and its parameter banks exist
  parameter integer OutDepth = 1   // registers from the de-skew to y_data_o (acc + output stage)
) (
  input  wire              clk_i,
  input  wire              rst_sync_ni,
  // The array's streams (valid/ready: a beat moves on an edge where both are high).
  input  wire              w_valid_i,
  output wire              w_ready_o,
  input  wire              w_pad_i,        // with each weight beat: its row is K padding
  input  wire              x_valid_i,
  output wire              x_ready_o,
  input  wire              x_last_i,
  input  wire              x_first_k_i,    // the tile flags, constant over a tile's beats
  input  wire              x_last_k_i,
  input  wire              p_valid_i,      // parameter beats (OutStage = 1; else tie to 0)
  output wire              p_ready_o,
  output wire              y_valid_o,
  input  wire              y_ready_i,
  output wire              y_last_o,
  // To and from the datapath.
  output wire              en_o,           // every register of the array advances
  output wire [2*Rows-1:0] w_we_o,         // row r's bank write enables {bank 1, bank 0} at [2*r +: 2]
  output wire              x_fire_o,       // an activation beat is accepted this cycle
  output wire              x_bank_o,       // the compute bank it multiplies with
  output wire [2*Rows-1:0] pad_o,          // row r's pad bits {bank 1, bank 0} at [2*r +: 2]
  output wire [1:0]        p_we_o,         // parameter bank write enables {bank 1, bank 0}
  output wire              south_valid_o,  // a cycle before the de-skew's output: an activation row's sums
  output wire              south_first_k_o,
  output wire              south_last_k_o,
  output wire              south_last_o,   // the tile's last row
  output wire              south_bank_o    // the row's parameter bank, as early as the flags
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
  wire y_valid;
  wire en;
  assign en = ~y_valid | y_ready_i;

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
  // A last_k tile also needs its parameters (param_ok, below).
  wire param_ok;
  assign x_ready_o = en & (comp_bank_q ? full_q[1] : full_q[0]) & (param_ok | ~x_last_k_i);

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

  // Pad bits: written with the row's weights, so they switch banks with them.
  reg [2*Rows-1:0] pad_q;
  always @(posedge clk_i) begin
    if (!rst_sync_ni) pad_q <= {(2*Rows){1'b0}};
    else pad_q <= (pad_q & ~w_we_o) | ({(2*Rows){w_pad_i}} & w_we_o);
  end

  // Parameter banks of the output stage: the same scheme as the weight banks, one beat per bank.
  wire p_fire;
  wire p_bank;
  generate
    if (OutStage != 0) begin : g_param
      localparam integer PDrainCycles = Rows + Cols + OutDepth - 2;  // see the top of this file
      localparam integer PDrainBits   = $clog2(PDrainCycles + 1);
      localparam [PDrainBits-1:0] PDrainStart = PDrainCycles[PDrainBits-1:0];
      localparam [PDrainBits-1:0] PDrainOne   = 1;
      localparam [PDrainBits-1:0] PDrainZero  = 0;
      reg                  p_load_bank_q;
      reg                  p_comp_bank_q;
      reg  [1:0]           p_full_q;
      reg  [PDrainBits-1:0] p_drain_lo_q;
      reg  [PDrainBits-1:0] p_drain_hi_q;
      wire p_blocked;
      assign p_blocked = p_load_bank_q ? (p_full_q[1] | (p_drain_hi_q != PDrainZero)) :
                                         (p_full_q[0] | (p_drain_lo_q != PDrainZero));
      assign p_ready_o = en & ~p_blocked;
      assign p_fire    = p_valid_i & p_ready_o;
      assign param_ok  = p_comp_bank_q ? p_full_q[1] : p_full_q[0];
      wire p_done;
      assign p_done = tile_done & x_last_k_i;
      always @(posedge clk_i) begin
        if (!rst_sync_ni) begin
          p_load_bank_q <= 1'b0;
          p_comp_bank_q <= 1'b0;
          p_full_q      <= 2'b00;
          p_drain_lo_q  <= PDrainZero;
          p_drain_hi_q  <= PDrainZero;
        end else begin
          p_full_q[0] <= (p_full_q[0] | (p_fire & ~p_load_bank_q)) & ~(p_done & ~p_comp_bank_q);
          p_full_q[1] <= (p_full_q[1] | (p_fire & p_load_bank_q)) & ~(p_done & p_comp_bank_q);
          if (p_fire) p_load_bank_q <= ~p_load_bank_q;
          if (p_done) p_comp_bank_q <= ~p_comp_bank_q;
          if (p_done && !p_comp_bank_q) p_drain_lo_q <= PDrainStart;
          else if (en && p_drain_lo_q != PDrainZero) p_drain_lo_q <= p_drain_lo_q - PDrainOne;
          if (p_done && p_comp_bank_q) p_drain_hi_q <= PDrainStart;
          else if (en && p_drain_hi_q != PDrainZero) p_drain_hi_q <= p_drain_hi_q - PDrainOne;
        end
      end
      assign p_we_o = {2{p_fire}} & {p_load_bank_q, ~p_load_bank_q};
      assign p_bank = p_comp_bank_q;
    end else begin : g_no_param
      // No output stage: nothing to wait for, and no parameter beat is ever taken.
      assign p_ready_o = 1'b0;
      assign p_fire    = 1'b0;
      assign param_ok  = 1'b1;
      assign p_we_o    = 2'b00;
      assign p_bank    = 1'b0;
      wire unused_p_valid;
      assign unused_p_valid = p_valid_i;
    end
  endgenerate
  wire unused_p_fire;
  assign unused_p_fire = p_fire;

  // The flags of each accepted beat, beside its data, to one stage before the de-skew's output:
  // Rows + Cols - 1 stages (the skew and the grid take Rows - 1 + Cols - 1, the PE registers 1
  // more, the de-skew the rest). gm_array_acc registers them per column for the last stage, so
  // that no flip-flop here drives Cols * AccWidth loads (this synthesis flow builds no buffer
  // tree on a flip-flop's output).
  wire [4:0] south;
  gm_array_delay #(
    .Width(5),
    .Depth(Rows + Cols - 1),
    .Reset(1)
  ) u_south (
    .clk_i      (clk_i),
    .rst_sync_ni(rst_sync_ni),
    .en_i       (en),
    .d_i        ({x_fire, x_first_k_i, x_last_k_i, x_last_i, p_bank}),
    .q_o        (south)
  );
  assign south_valid_o   = south[4];
  assign south_first_k_o = south[3];
  assign south_last_k_o  = south[2];
  assign south_last_o    = south[1];

  assign south_bank_o    = south[0];

  // From there to y_data_o: only a last_k tile's rows leave; OutDepth + 1 stages (the de-skew's
  // last, the acc register, the output stage).
  wire [1:0] result;
  gm_array_delay #(
    .Width(2),
    .Depth(OutDepth + 1),
    .Reset(1)
  ) u_result (
    .clk_i      (clk_i),
    .rst_sync_ni(rst_sync_ni),
    .en_i       (en),
    .d_i        ({south[4] & south[2], south[1] & south[2]}),
    .q_o        (result)
  );
  assign y_valid  = result[1];
  assign y_last_o = result[0];

  assign y_valid_o = y_valid;
  assign pad_o     = pad_q;
  assign en_o      = en;
  assign x_fire_o  = x_fire;
  assign x_bank_o  = comp_bank_q;

endmodule

`default_nettype wire
