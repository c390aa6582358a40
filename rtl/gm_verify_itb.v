// Icarus test bench of `greenmac verify --sim icarus` (tb/verify.cpp): applies NumPairs operand
// pairs read from pairs.hex (one {a, b} per line, a in the high half) to gm_vtop, the generated
// top that holds every design of one width (generator/sim_top.hpp), and writes gm_vtop's output
// for each pair to out.hex, one hex line per pair. The C++ side compares every 32-bit slot with
// its design's model. The parameters are set on iverilog's command line (-P).

`default_nettype none

module gm_verify_itb #(
  parameter integer Width    = 8,  // operand width w
  parameter integer Slots    = 3,  // 32-bit slots of gm_vtop's output
  parameter integer NumPairs = 1   // lines of pairs.hex
);

  reg  [2*Width-1:0]  pairs [0:NumPairs-1];
  reg  [Width-1:0]    a;
  reg  [Width-1:0]    b;
  wire [32*Slots-1:0] y;
  integer             k;
  integer             fd;

  gm_vtop u_dut (
    .a_i(a),
    .b_i(b),
    .y_o(y)
  );

  initial begin
    $readmemh("pairs.hex", pairs);
    fd = $fopen("out.hex", "w");
    for (k = 0; k < NumPairs; k = k + 1) begin
      {a, b} = pairs[k];
      #1;
      $fwrite(fd, "%h\n", y);
    end
    $fclose(fd);
    $finish;
  end

endmodule

`default_nettype wire
