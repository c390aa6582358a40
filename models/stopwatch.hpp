// Wall time of a step, for the seconds the reports give (build, simulation, training...).
#pragma once

#include <chrono>

namespace gm {

// Seconds on the steady clock since `t0`.
inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace gm
