// gm_array_acc: the accumulator bank at the south edge of greenmac's systolic array (docs/array.md).
// Per column, Depth AccWidth-bit accumulators hold the partial rows of a tile's M chunk while the
// K slices of the chunk pass through the array, so the host never adds anything.
//
// For activation beat m of a tile (m counted here, from 0, reset by the tile's last beat), per
// column c:
//     s = (first_k ? 0 : acc[m]) + sum_c        AccWidth bits, wraps around
//     !last_k: acc[m] <= s                      (nothing leaves)
//      last_k: res_o  <= s                      (to the output stage, or y_data_o)
// The read, the add and the write happen in one advancing cycle, so the next K slice of a one-row
// chunk can follow on the very next cycle and read the value just written.
//
// The de-skew hands over a whole row at once, so one beat count serves every column (each column
// keeps a copy, for fan-out). The host keeps a tile at Depth beats or fewer; a longer tile would
// wrap around to entry 0.
//
// Hand-written, Verilog-2005, lowRISC style; gen-array copies this file beside the array top.
// rst_sync_ni: synchronous, active low (see gm_array_delay.v); it clears the beat counter only: the
// accumulators are data, and a tile with first_k never reads them.

`default_nettype none

module gm_array_acc #(
  parameter integer Cols     = 2,   // PE columns
  parameter integer AccWidth = 32,  // accumulator bits
  parameter integer Depth    = 4    // accumulators per column (activation beats per tile, at most)
) (
  input  wire                     clk_i,
  input  wire                     rst_sync_ni,
  input  wire                     en_i,        // the array advances
  input  wire [Cols*AccWidth-1:0] sum_i,       // the de-skewed row: column c at [c*AccWidth +: AccWidth]
  // The row's flags, from the control ONE CYCLE AHEAD of sum_i (registered here per column):
  input  wire                     valid_i,     // sum_i is an activation row's
  input  wire                     first_k_i,   // its tile's flags
  input  wire                     last_k_i,
  input  wire                     last_i,      // the tile's last row: the counter restarts
  output wire [Cols*AccWidth-1:0] res_o        // s of the last last_k row, column c as in sum_i
);

  genvar c;
  generate
    for (c = 0; c < Cols; c = c + 1) begin : g_col
      // The beat counter m, one-hot: bit i selects entry i. Each column keeps its own copy (kept
      // apart like the flags) so that a select bit drives only this column's AccWidth read gates
      // and write enables: a shared binary counter would drive Cols * AccWidth * Depth / 2 mux
      // selects and, on OSU018, dominate the cycle time.
      // The flags, one copy per column: a shared copy would drive Cols * AccWidth gates from one
      // flip-flop, and this synthesis flow builds no buffer tree on a flip-flop's output. `keep`
      // stops Yosys from merging the copies back into one (they hold the same value).
      reg valid_q;
      reg first_k_q;
      reg last_k_q;
      reg last_q;
      (* keep *)
      always @(posedge clk_i) begin
        if (!rst_sync_ni) begin
          valid_q   <= 1'b0;
          first_k_q <= 1'b0;
          last_k_q  <= 1'b0;
          last_q    <= 1'b0;
        end else if (en_i) begin
          valid_q   <= valid_i;
          first_k_q <= first_k_i;
          last_k_q  <= last_k_i;
          last_q    <= last_i;
        end
      end

`ifdef GM_SIM_BEHAVIORAL
      // GM_SIM_BEHAVIORAL (Verilator's harness builds only): the same bank as a memory addressed by
      // a binary beat count. It computes what the structural form below computes, cycle for cycle,
      // in a fraction of a simulator's time (the 16-way AND-OR read and 16 write enables per column
      // were a fifth of an 8x8 array's Verilator time). Synthesis, Icarus and the gate-level runs
      // read the structural form; tests/tb/array_runner_test.cpp compares the two on random GEMMs.
      localparam integer BeatBits = Depth > 1 ? $clog2(Depth) : 1;
      reg [AccWidth-1:0] entries_q [0:Depth-1];
      reg [BeatBits-1:0] beat_q;
      always @(posedge clk_i) begin
        if (!rst_sync_ni) begin
          beat_q <= {BeatBits{1'b0}};
        end else if (en_i && valid_q) begin
          beat_q <= last_q || {{(32-BeatBits){1'b0}}, beat_q} == Depth - 1 ? {BeatBits{1'b0}} : beat_q + 1'b1;
        end
      end

      wire [AccWidth-1:0] s;
      assign s = (first_k_q ? {AccWidth{1'b0}} : entries_q[beat_q]) + sum_i[c*AccWidth +: AccWidth];

      always @(posedge clk_i) begin
        if (en_i && valid_q && !last_k_q) entries_q[beat_q] <= s;
      end

`else
      localparam [Depth-1:0] BeatFirst = 1;  // entry 0
      genvar i;
      reg  [Depth-1:0] beat_q;
      wire [Depth-1:0] beat_next;  // the next entry: a rotation
      if (Depth == 1) begin : g_one
        assign beat_next = beat_q;
      end else begin : g_many
        assign beat_next = {beat_q[Depth-2:0], beat_q[Depth-1]};
      end
      (* keep *)
      always @(posedge clk_i) begin
        if (!rst_sync_ni) begin
          beat_q <= BeatFirst;
        end else if (en_i && valid_q) begin
          beat_q <= last_q ? BeatFirst : beat_next;
        end
      end

      // The bank, entry i at [i*AccWidth +: AccWidth], read as an AND-OR with the one-hot beat (the
      // synthesis balances the OR).
      reg [Depth*AccWidth-1:0] entries_q;
      reg [AccWidth-1:0]       entry;
      integer j;
      always @* begin
        entry = {AccWidth{1'b0}};
        for (j = 0; j < Depth; j = j + 1) begin
          entry = entry | (entries_q[j*AccWidth +: AccWidth] & {AccWidth{beat_q[j]}});
        end
      end

      // s, wrapping around like the partial sums (the carry out is dropped on purpose).
      wire [AccWidth-1:0] s;
      assign s = (first_k_q ? {AccWidth{1'b0}} : entry) + sum_i[c*AccWidth +: AccWidth];

      // Write back (not on last_k: that row's sum leaves instead).
      wire write_back;
      assign write_back = en_i & valid_q & ~last_k_q;
      for (i = 0; i < Depth; i = i + 1) begin : g_entry
        always @(posedge clk_i) begin
          if (write_back && beat_q[i]) entries_q[i*AccWidth +: AccWidth] <= s;
        end
      end

`endif
      reg [AccWidth-1:0] res_q;
      always @(posedge clk_i) begin
        if (en_i && valid_q && last_k_q) res_q <= s;
      end
      assign res_o[c*AccWidth +: AccWidth] = res_q;
    end
  endgenerate

endmodule

`default_nettype wire
