// Icarus bench of the systolic array (`greenmac bench array`, gm::run_gemm_icarus): the clock and
// the array only. The stream protocol runs in C++ (tb/array_stream.hpp) through the VPI module
// tb/harness/array_vpi.cpp, which sets the inputs of every cycle and reads its outputs, so Icarus
// drives the array exactly as Verilator and the gate-level simulator do.
//
// Compiled with the array: iverilog -g2005 -DGM_ARRAY=<array module> [-DGM_OUT_STAGE] -Pgm_array_tb.ROWS=R
// -Pgm_array_tb.COLS=C -Pgm_array_tb.W=w -Pgm_array_tb.ACC=acc -Pgm_array_tb.DEPTH=D
// -Pgm_array_tb.OUT_STAGE=0|1 array_tb.v <array files>. GM_OUT_STAGE connects the p_* ports, which
// only an array with the output stage has.
// A cycle: inputs change with the clock low, settle for 1 ns, outputs are read, rising edge.

`timescale 1ns / 1ps

module gm_array_tb;
  parameter integer ROWS = 1;
  parameter integer COLS = 1;
  parameter integer W = 8;
  parameter integer ACC = 32;
  parameter integer DEPTH = 1;
  parameter integer OUT_STAGE = 0;
  localparam integer PBITS = 136;

  reg clk_i;
  reg rst_sync_ni;
  reg w_valid_i;
  reg [COLS*W-1:0] w_data_i;
  reg w_pad_i;
  reg x_valid_i;
  reg [ROWS*W-1:0] x_data_i;
  reg x_last_i;
  reg x_first_k_i;
  reg x_last_k_i;
  reg p_valid_i;
  reg [COLS*PBITS-1:0] p_data_i;
  reg y_ready_i;
  wire w_ready_o;
  wire x_ready_o;
  wire p_ready_o;
  wire y_valid_o;
  wire [COLS*ACC-1:0] y_data_o;
  wire y_last_o;
  reg running;

  `GM_ARRAY u_array (
    .clk_i(clk_i),
    .rst_sync_ni(rst_sync_ni),
    .w_valid_i(w_valid_i),
    .w_ready_o(w_ready_o),
    .w_data_i(w_data_i),
    .w_pad_i(w_pad_i),
    .x_valid_i(x_valid_i),
    .x_ready_o(x_ready_o),
    .x_data_i(x_data_i),
    .x_last_i(x_last_i),
    .x_first_k_i(x_first_k_i),
    .x_last_k_i(x_last_k_i),
`ifdef GM_OUT_STAGE
    .p_valid_i(p_valid_i),
    .p_ready_o(p_ready_o),
    .p_data_i(p_data_i),
`endif
    .y_valid_o(y_valid_o),
    .y_ready_i(y_ready_i),
    .y_data_o(y_data_o),
    .y_last_o(y_last_o)
  );

`ifndef GM_OUT_STAGE
  assign p_ready_o = 1'b0;
`endif

  initial begin
    clk_i = 1'b0;
    rst_sync_ni = 1'b0;
    w_valid_i = 1'b0;
    w_data_i = {COLS*W{1'b0}};
    x_valid_i = 1'b0;
    x_data_i = {ROWS*W{1'b0}};
    w_pad_i = 1'b0;
    x_last_i = 1'b0;
    x_first_k_i = 1'b0;
    x_last_k_i = 1'b0;
    p_valid_i = 1'b0;
    p_data_i = {COLS*PBITS{1'b0}};
    y_ready_i = 1'b1;
    running = 1'b1;
    $gm_stream_open(ROWS, COLS, W, ACC, DEPTH, OUT_STAGE);
    while (running) begin
      $gm_stream_drive(running, rst_sync_ni, w_valid_i, w_data_i, w_pad_i, x_valid_i, x_data_i, x_last_i,
                       x_first_k_i, x_last_k_i, p_valid_i, p_data_i, y_ready_i);
      if (running) begin
        #1;
        $gm_stream_sense(w_ready_o, x_ready_o, p_ready_o, y_valid_o, y_last_o, y_data_o);
        clk_i = 1'b1;
        #1 clk_i = 1'b0;
      end
    end
    $finish;
  end
endmodule
