# greenmac timing and power (OpenSTA 2.0.17): timing at the clock, then power twice. activity.tcl
# sets every non-clock pin with sta::set_power_pin_activity (`set_power_activity -pins` is broken in
# 2.0.17); in this build the activity argument is transitions per clock period, like `-activity`.
# It follows sta_head.tcl (the netlist, the clock); the text is part of the cache key.
puts "GM_SLACK [sta::worst_slack -max]"
report_checks -path_delay max -digits 4
set_power_activity -input -activity 0.5
puts "GM_POWER vectorless"
report_power -digits 8
source activity.tcl
puts "GM_POWER simulated"
report_power -digits 8
puts "GM_DONE"
