# greenmac SDF for the timed gate simulation (synth/timed_sim.hpp): OpenSTA 2.0.17 computes every
# cell arc's delay (rise and fall, input pin -> output pin) from the library's tables at the load the
# netlist puts on each output (pin capacitances; the OSU018 library has no wire-load model, so no
# wire capacitance) and the slew it propagates from ideal inputs, at the library's one (typical)
# corner. Interconnect delays are 0 (no parasitics). 1 ps resolution (-digits 3, times in ns).
# It follows sta_head.tcl (the netlist, the clock); the text is part of the cache keys.
write_sdf -digits 3 -no_timestamp -no_version net.sdf
puts "GM_DONE"
