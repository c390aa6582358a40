// The array shape of the gate-simulator benches: 4x4, or GREENMAC_BENCH_ARRAY=RxC.
#pragma once

#include <utility>

namespace gm {

// {rows, cols}; a malformed GREENMAC_BENCH_ARRAY is bad input (UserError).
std::pair<int, int> bench_array_from_env();

}  // namespace gm
