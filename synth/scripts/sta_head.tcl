# The head of every greenmac OpenSTA run (OpenSTA 2.0.17): the library, the mapped netlist, the clock
# and zero I/O delays. synth/flow.cpp (sta_script) puts it before power.tcl, sdf.tcl and the pin-energy
# calibration (synth/pin_energy.cpp) and fills in {TOP}, {LIB} and {PERIOD}; the text is part of the
# cache keys.
read_liberty {LIB}
read_verilog net.v
link_design {TOP}
create_clock -name clk -period {PERIOD} [get_ports clk_i]
set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk_i]]
set_output_delay 0 -clock clk [all_outputs]
